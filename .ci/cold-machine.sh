#!/usr/bin/env bash
# Makes this machine cold for measuring CI's 60-minute budget (.ci/RUNS.md): it removes the
# Docker engine and every image, container, volume and build cache, the podman store, the Debian
# packages set-up installs (docker.io, podman, kubectl, shellcheck, debootstrap) and apt's
# package cache, the npm cache and the generator's cache. Destructive: it asks for --yes.
# Then: a fresh clone with ../shared beside it, and `CI=true bash .ci/run` there.
set -euo pipefail
if [ "${1:-}" != "--yes" ]; then
  echo "cold-machine.sh: this removes Docker and every image and cache on this machine; run it with --yes to go on" >&2
  exit 2
fi
[ "$(id -u)" = 0 ] || { echo "cold-machine.sh: run it as root (it removes packages and /var/lib/docker)" >&2; exit 2; }
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker ps -q | xargs -r docker kill >/dev/null
fi
pkill -x dockerd || true
sleep 5
pkill -x containerd || true
sleep 2
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq docker.io docker-compose docker-buildx podman catatonit \
  kubernetes-client shellcheck debootstrap >/dev/null || true
apt-get clean
# /var/lib/docker may be a mount point of its own: empty it rather than remove it. Overlay mounts
# left under it by a killed engine go first.
awk '$2 ~ "^/var/lib/docker/" {print $2}' /proc/mounts | sort -r | xargs -r umount -l
if [ -d /var/lib/docker ]; then find /var/lib/docker -mindepth 1 -maxdepth 1 -exec rm -rf {} +; fi
rm -rf /var/lib/containers "$HOME/.npm" "$HOME/.cache/generator-wsgi-apache" /tmp/node-compile-cache /tmp/jiti
echo "cold: no dockerd ($(command -v dockerd || echo gone)), /var/lib/docker holds $(du -sh /var/lib/docker 2>/dev/null | cut -f1)"
