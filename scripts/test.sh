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
# The references' BLAS: Debian's OpenBLAS 0.3.21 does not recognise newer AVX-512 CPUs (Sapphire
# Rapids: it reports "Core: Prescott") and falls back to its SSE3 kernels, whose dgemv rounds
# x²·a² + a twice where the AVX-512 (SkylakeX) and AVX2 kernels use one fused multiply-add: scipy's
# order-2 Gaussian weights then differ in the last bit (gaussian-kernel.ts reproduces the fused
# form). On a CPU with AVX-512 the references therefore run OpenBLAS's SkylakeX kernels, as on the
# CPUs it recognises; OPENBLAS_CORETYPE set by the caller wins.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512bw /proc/cpuinfo 2>/dev/null && grep -qw avx512vl /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
# Only *.test.js files are tests: node's own discovery would also run every helper and
# fixture script under dist/test/ (it treats all of a "test" folder as tests). And only those
# whose source is still there: tsc does not delete the output of a test that was moved or
# removed, and a stale copy would run from the wrong folder.
if [ "$#" -eq 0 ]; then
  files=()
  while IFS= read -r compiled; do
    source="${compiled#dist/}"
    if [ -f "${source%.js}.ts" ]; then files+=("$compiled"); else echo "skipping $compiled: its source ${source%.js}.ts is gone (stale build output)" >&2; fi
  done < <(find dist/test -name '*.test.js' | sort)
  set -- "${files[@]}"
fi
# Tests write only to ignored folders (test-artifacts/, dist/) and temporary directories: a run
# that changes a tracked file, or leaves an untracked one, fails (docs/screenshots/ are
# refreshed on purpose with TESSERA_UPDATE_SCREENSHOTS=1, see the README).
checkout_state() {
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git status --porcelain --untracked-files=all
  # Contents too: a file already changed before the run may be changed again by it.
  git diff HEAD --binary | sha1sum
  git ls-files --others --exclude-standard -z | xargs -0 --no-run-if-empty sha1sum
}
before="$(checkout_state)"
status=0
# A file that hangs must fail by name, not stall CI until its deadline: on Node 20,
# --test-timeout bounds each test file's process (the slowest file takes ~3 min on a loaded
# 2-core machine), a file left running by an open handle included. (--test-force-exit is not
# used: it ends the run before the slowest-files reporter prints.)
node --test --test-concurrency=1 --test-timeout=900000 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./scripts/slowest-test-files.mjs --test-reporter-destination=stdout "$@" || status=$?
after="$(checkout_state)"
if [ "$before" != "$after" ] && [ "${TESSERA_UPDATE_SCREENSHOTS:-}" != "1" ]; then
  echo "the test run changed the checkout (tests must leave tracked files alone and write only to ignored folders; a changed sum is a file already modified before the run, modified again; or someone edited the checkout while the tests ran):" >&2
  diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") >&2 || true
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
