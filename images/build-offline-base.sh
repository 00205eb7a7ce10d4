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
  # mktemp's 0700 would be the image's root directory, which Podman keeps (Docker ignores it):
  # every uid but root would be refused everything.
  chmod 755 "$root"
  echo "[offline-base] debootstrap $suite from $mirror" >&2
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >/dev/null
  # Match the official slim image (debuerreotype's docker and slimify settings): apt
  # keeps no downloaded .debs or package caches in layers, and dpkg installs no docs,
  # man pages or translations. Without these, every `apt-get install` layer built on
  # this base carries its .debs (about 100 MB for the generated image), which an image
  # FROM the registry's debian:*-slim never does.
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
DPKG
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/groff/* "$root"/usr/share/info/* \
    "$root"/usr/share/lintian/* "$root"/usr/share/linda/* "$root"/usr/share/locale/*
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
  rm -rf "$root"
  trap - EXIT
  echo "[offline-base] built $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes)" >&2
done
