#!/usr/bin/env bash
# The one test command (`npm test`): system packages, typecheck + build, lint (with the
# layer and cycle rules), then every test under node:test, whose closing summary counts them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -d node_modules ] || npm ci
npx tsc -p tsconfig.json
npx eslint .
npx depcruise src --config .dependency-cruiser.cjs
export TESSERA_LOG_LEVEL="${TESSERA_LOG_LEVEL:-error}"
# Only *.test.js files are tests: node's own discovery would also run every helper and
# fixture script under dist/test/ (it treats all of a "test" folder as tests).
if [ "$#" -eq 0 ]; then
  mapfile -t files < <(find dist/test -name '*.test.js' | sort)
  set -- "${files[@]}"
fi
node --test --test-reporter=spec --test-concurrency=1 "$@"
