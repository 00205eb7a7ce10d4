#!/usr/bin/env bash
# Builds debian:<suite>-slim locally from Debian's own archive, for machines that
# reach Debian's mirror but no container registry (air-gapped CI, this project's CI).
# The generated Dockerfile then builds unchanged: `FROM debian:trixie-slim` finds the
# local image and nothing is pulled.
#
# It first tries `docker pull` (the official image, when a registry answers) and only
# then builds from Debian's archive; NO_PULL=1 skips the pull (air-gapped machines).
#
# Usage: images/build-offline-base.sh [suite ...]   (default: trixie)
#        DEBIAN_MIRROR=http://mirror.example/debian images/build-offline-base.sh bookworm
# Needs: a Docker engine; for the fallback also root and debootstrap.
set -euo pipefail

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(trixie)

for suite in "${suites[@]}"; do
  tag="debian:${suite}-slim"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "[offline-base] $tag already present" >&2
    continue
  fi
  if [ "${NO_PULL:-0}" != 1 ] && docker pull -q "$tag" >/dev/null 2>&1; then
    echo "[offline-base] pulled $tag" >&2
    continue
  fi
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  echo "[offline-base] debootstrap $suite from $mirror" >&2
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >/dev/null
  # Match the official slim image: no apt lists, no docs' caches.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
  tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
  rm -rf "$root"
  trap - EXIT
  echo "[offline-base] built $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes)" >&2
done
