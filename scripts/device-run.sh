#!/usr/bin/env bash
# Runs one bench on the device machine (see scripts/device-bundle.sh), e.g.
#   bash scripts/device-run.sh dog-scaling --shapes 128x512x512 --workers 1,2,4,8,14
# unpacking node and the built bench from .node-carry/ first (once); the bench's output goes
# to $OUT/<bench>.txt as well as to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
bench="$1"
shift
if [ ! -x /tmp/tessera-node/node ]; then
  mkdir -p /tmp/tessera-node
  xz -dc .node-carry/node.xz > /tmp/tessera-node/node && chmod +x /tmp/tessera-node/node
  tar -xJf .node-carry/app.tar.xz
fi
export PATH="/tmp/tessera-node:$PATH"
export TESSERA_BENCH_PYTHON="${TESSERA_BENCH_PYTHON:-$(command -v python3)}"
echo "cores $(nproc); node $(node --version); python $TESSERA_BENCH_PYTHON; bench $bench $*"
node "dist/bench/$bench.js" "$@" 2>&1 | tee "${OUT:-/tmp}/$bench.txt"
