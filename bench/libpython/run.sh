#!/usr/bin/env bash
# `npm run bench:libpython`: the same pure-Python loop under every libpython the images use
# (bench/libpython/run.ts). Prints a table and writes bench/results/<date>-libpython.{md,json};
# asserts nothing. Run it alone: it builds images, and it measures CPU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec npx tsx bench/libpython/run.ts "$@"
