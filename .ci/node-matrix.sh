#!/usr/bin/env bash
# The type check and the generator's unit tests on more Node versions than the one running
# `npm test`: by default the ends of the supported range, the oldest package.json's
# engines.node admits (20.18.1 for ^20.18.1 || ^22.13.0 || ^24.0.0) and the newest major (24);
# NODE_MATRIX="22" (a major or an exact version each, `oldest` for the oldest) for others.
# .ci/run runs `npm test` itself on the oldest, so its matrix is NODE_MATRIX=24. Each Node comes
# from the npm registry (.ci/install-node.sh).
#
# Left out: the tests of the runtime programs (RUNTIME_PROGRAM_TESTS), Python and sh the image
# runs, which Node only spawns: the same on every Node, and about a fifth of the unit run's time.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME_PROGRAM_TESTS=(access-log devtools django-container entry entrypoint envvars memory-watch
  python-lint reloader worker write-watch)

root=$(mktemp -d /tmp/node-matrix.XXXXXX)
trap 'rm -rf "$root"' EXIT
excludes=()
for name in "${RUNTIME_PROGRAM_TESTS[@]}"; do excludes+=(--exclude "test/unit/$name.test.ts"); done
for version in ${NODE_MATRIX:-oldest 24}; do
  start=$(date +%s)
  bin=$(bash .ci/install-node.sh "$version" "$root/node$version")
  found=$(PATH="$bin:$PATH" node --version)
  echo "[node-matrix] Node $found installed in $(($(date +%s) - start)) s"
  start=$(date +%s)
  # The Node under test first on PATH: vitest's workers and any `node` child use it too.
  PATH="$bin:$PATH" node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
  PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run --project unit "${excludes[@]}"
  echo "[node-matrix] Node $found: type check and unit tests passed in $(($(date +%s) - start)) s"
done
