#!/usr/bin/env bash
# Prints the same loop's time under both Python builds (see Dockerfile). Prints numbers; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")"
tag=wsgi-apache-bench-libpython
docker build -q -t "$tag" . >/dev/null
docker run --rm "$tag"
docker image rm "$tag" >/dev/null
