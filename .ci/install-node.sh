#!/usr/bin/env bash
# `install-node.sh VERSION PREFIX`: installs Node VERSION (a major, an exact version, or `oldest`:
# the oldest package.json's engines.node admits, semver's minVersion) into PREFIX from the npm
# registry's `node` package, which ships the official binary, checks that it is what `node`
# resolves to with its bin directory first on PATH, and prints that directory.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1 prefix=$2
[ "$version" != oldest ] || version=$(node -p "require('semver').minVersion(require('./package.json').engines.node).version")
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node@$version" >&2
bin="$prefix/node_modules/node/bin"
# Resolved through PATH, as vitest's workers and every `node` child will resolve it.
found=$(PATH="$bin:$PATH" node --version)
[[ $found == "v$version" || $found == "v$version."* ]] || { echo "[node] node@$version: \`node\` on PATH is $found, not from $bin" >&2; exit 1; }
echo "$bin"
