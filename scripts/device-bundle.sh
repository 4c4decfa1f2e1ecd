#!/usr/bin/env bash
# Packs what bench/dog-scaling.ts needs on a machine without Node.js or npm (the 16-core device
# machine: python3 with numpy and scipy, nothing to download from) into .node-carry/ (ignored
# by git, carried to the machine): this machine's node binary and the built bench with its
# runtime dependencies. The cloud clients (@aws-sdk, @smithy, @kubernetes: 76 MB) are left
# out; the bench never loads them. Run after `npx tsc -p tsconfig.json`; then
# scripts/device-run.sh runs a bench there.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/bench/dog-scaling.js ] || { echo "build first: npx tsc -p tsconfig.json" >&2; exit 1; }
rm -rf .node-carry && mkdir -p .node-carry
xz -T2 -6 -c "$(command -v node)" > .node-carry/node.xz
modules=$(npm ls --omit=dev --all --parseable 2>/dev/null | sed -n "s#^$PWD/##p" | grep '^node_modules/' | grep -Ev '^node_modules/(@aws-sdk|@smithy|@kubernetes|@aws-crypto|@aws)(/|$)' | sort -u)
# shellcheck disable=SC2086 # one path per word
tar -cf - dist/src dist/bench bin package.json bench/anchors $modules | xz -T2 -6 > .node-carry/app.tar.xz
du -sh .node-carry/*
