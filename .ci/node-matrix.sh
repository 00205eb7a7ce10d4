#!/usr/bin/env bash
# The type check and the unit tests on more Node versions than the machine's: by default
# the ends of the supported range, the oldest that package.json's engines.node admits
# (semver's minVersion, 20.18.1 for ^20.18.1 || ^22.13.0 || ^24.0.0) and the newest major (24)
# (NODE_MATRIX="20.18.1 24"; a major or an exact version each, e.g. NODE_MATRIX="22" for one
# between), each installed into a temporary prefix from the npm registry's `node` package,
# which ships the official binary. The machine's Node (20) runs the whole suite through
# `npm test`. 22 left the default run to keep CI in its budget (issue 24): its unit run cost
# about 300 s beside the integration suite.
set -euo pipefail
cd "$(dirname "$0")/.."

root=$(mktemp -d /tmp/node-matrix.XXXXXX)
trap 'rm -rf "$root"' EXIT
oldest=$(node -p "require('semver').minVersion(require('./package.json').engines.node).version")
for major in ${NODE_MATRIX:-$oldest 24}; do
  prefix="$root/node$major"
  mkdir -p "$prefix"
  start=$(date +%s)
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node@$major"
  bin="$prefix/node_modules/node/bin"
  # Resolved through PATH, as vitest's workers and every `node` child below will resolve it.
  version=$(PATH="$bin:$PATH" node --version)
  [[ $version == "v$major" || $version == "v$major."* ]] || { echo "[node-matrix] node@$major: \`node\` on PATH is $version, not from $bin" >&2; exit 1; }
  echo "[node-matrix] Node $version installed in $(( $(date +%s) - start )) s"
  start=$(date +%s)
  # The Node under test first on PATH: vitest's workers and any `node` child use it too.
  PATH="$bin:$PATH" node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
  PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run --project unit
  echo "[node-matrix] Node $version: type check and unit tests passed in $(( $(date +%s) - start )) s"
done
