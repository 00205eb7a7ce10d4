#!/usr/bin/env bash
# Makes python:3.13-slim-trixie (and python:3.13-slim) available locally: `docker pull`
# when a registry answers, else built from Debian's copy of the upstream CPython source
# with docker-library's recipe (images/python-slim/Dockerfile; about 15 min on 2 cores,
# once per machine). The generated Dockerfile's `FROM python:3.13-slim-trixie` then finds
# it and nothing is pulled. NO_PULL=1 skips the pull.
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

if docker image inspect "$tag" >/dev/null 2>&1 && [ -f "$source_dir/Python-$version.tar.xz" ]; then
  echo "[python-slim] $tag already present" >&2
  exit 0
fi
if ! docker image inspect "$tag" >/dev/null 2>&1 && [ "${NO_PULL:-0}" != 1 ] && docker pull -q "$tag" >/dev/null 2>&1; then
  echo "[python-slim] pulled $tag" >&2
  docker image inspect python:3.13-slim >/dev/null 2>&1 || docker tag "$tag" python:3.13-slim
  exit 0
fi

start=$(date +%s)
echo "[python-slim] building CPython $version from Debian's python3.13 source (about 15 min on 2 cores, once)" >&2
DOCKER_BUILDKIT=1 docker build -q --target build -t "$build_stage" python-slim >/dev/null
tarball=$(docker run --rm "$build_stage" sh -c 'ls /usr/src/debian-source/*.orig.tar.xz')
actual=$(docker run --rm "$build_stage" sha256sum "$tarball" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "[python-slim] $tarball has sha256 $actual, not python.org's $expected" >&2
  exit 1
fi
mkdir -p "$source_dir"
docker run --rm "$build_stage" cat "$tarball" >"$source_dir/Python-$version.tar.xz.partial"
mv "$source_dir/Python-$version.tar.xz.partial" "$source_dir/Python-$version.tar.xz"
DOCKER_BUILDKIT=1 docker build -q --build-arg PYTHON_VERSION="$version" --build-arg IMAGE_PYTHON_SHA256="$actual" \
  -t "$tag" python-slim >/dev/null
docker tag "$tag" python:3.13-slim
docker image rm "$build_stage" >/dev/null
echo "[python-slim] $tag ready in $(( $(date +%s) - start )) s ($(docker image inspect -f '{{.Size}}' "$tag") bytes); source in $source_dir" >&2
