#!/usr/bin/env bash
# Makes python:3.13-slim-trixie (and python:3.13-slim) available locally: `docker pull`
# when a registry answers, else built from Debian's copy of the upstream CPython source
# with docker-library's recipe (images/python-slim/Dockerfile), once per machine. The
# generated Dockerfile's `FROM python:3.13-slim-trixie` then finds it and nothing is pulled.
# NO_PULL=1 skips the pull.
#
# PYTHON_BUILD=fast (the default here) builds without PGO and LTO: about 6 min on 2 cores, for
# the tests, which check behaviour. PYTHON_BUILD=faithful builds docker-library's PGO+LTO
# interpreter (measured 1,969 s on 2 cores): what the benchmarks compare against. A present
# image is kept unless faithful is asked for and the present one is a fast build; the image's
# label org.generator-wsgi-apache.python-build says which (a pulled image has none: official).
#
# It also leaves the source tarball, under python.org's name, in
# $HOME/.cache/generator-wsgi-apache/python-source/ (WSGI_APACHE_PYTHON_SOURCE overrides):
# a project's wheelhouse/ with it builds `--python-build optimized` offline.
#
# Usage: images/build-python-slim.sh
# Needs: a Docker engine; debian:trixie-slim (images/build-offline-base.sh trixie).
set -euo pipefail
cd "$(dirname "$0")"

version=3.13.5
tag=python:3.13-slim-trixie
# The sha256 docker-library pinned for python.org's Python-3.13.5.tar.xz; Debian's
# python3.13_3.13.5.orig.tar.xz is the same file.
expected=${PYTHON_SHA256:-93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640}
source_dir=${WSGI_APACHE_PYTHON_SOURCE:-$HOME/.cache/generator-wsgi-apache/python-source}
build_stage=generator-wsgi-apache-python-build:$version

build=${PYTHON_BUILD:-fast}
case $build in fast | faithful) ;; *) echo "[python-slim] PYTHON_BUILD=$build: use fast or faithful" >&2; exit 2 ;; esac
present=$(docker image inspect -f '{{index .Config.Labels "org.generator-wsgi-apache.python-build"}}' "$tag" 2>/dev/null || echo absent)
if [ "$present" != absent ] && [ -f "$source_dir/Python-$version.tar.xz" ] && { [ "$build" = fast ] || [ "$present" != fast ]; }; then
  echo "[python-slim] $tag already present (${present:-official} build)" >&2
  exit 0
fi
if [ "$present" = absent ] && [ "${NO_PULL:-0}" != 1 ] && docker pull -q "$tag" >/dev/null 2>&1; then
  echo "[python-slim] pulled $tag" >&2
  docker image inspect python:3.13-slim >/dev/null 2>&1 || docker tag "$tag" python:3.13-slim
  exit 0
fi

start=$(date +%s)
log=$(mktemp /tmp/python-slim-build.XXXXXX.log)
estimate=$([ "$build" = fast ] && echo "about 6 min" || echo "about 33 min")
echo "[python-slim] building CPython $version ($build build, $estimate on 2 cores, once) from Debian's python3.13 source; log: $log" >&2
# The build's own output goes to the log; a line a minute says it is alive.
( while sleep 60; do echo "[python-slim]   ... $(( $(date +%s) - start )) s: $(grep -v '^\s*$' "$log" | tail -1 | cut -c1-100)" >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
DOCKER_BUILDKIT=1 docker build --progress=plain --build-arg PYTHON_BUILD="$build" --target build -t "$build_stage" python-slim >"$log" 2>&1 ||
  { tail -40 "$log" >&2; echo "[python-slim] build failed; whole log: $log" >&2; exit 1; }
echo "[python-slim] CPython compiled in $(( $(date +%s) - start )) s" >&2
tarball=$(docker run --rm "$build_stage" sh -c 'ls /usr/src/debian-source/*.orig.tar.xz')
actual=$(docker run --rm "$build_stage" sha256sum "$tarball" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "[python-slim] $tarball has sha256 $actual, not python.org's $expected" >&2
  exit 1
fi
mkdir -p "$source_dir"
docker run --rm "$build_stage" cat "$tarball" >"$source_dir/Python-$version.tar.xz.partial"
mv "$source_dir/Python-$version.tar.xz.partial" "$source_dir/Python-$version.tar.xz"
DOCKER_BUILDKIT=1 docker build --progress=plain --build-arg PYTHON_BUILD="$build" --build-arg PYTHON_VERSION="$version" \
  --build-arg IMAGE_PYTHON_SHA256="$actual" -t "$tag" python-slim >>"$log" 2>&1 ||
  { tail -40 "$log" >&2; echo "[python-slim] build failed; whole log: $log" >&2; exit 1; }
docker tag "$tag" python:3.13-slim
docker image rm "$build_stage" >/dev/null
rm -f "$log"
echo "[python-slim] $tag ($build build) ready in $(( $(date +%s) - start )) s ($(docker image inspect -f '{{.Size}}' "$tag") bytes); source in $source_dir" >&2
