#!/usr/bin/env bash
# Stand-ins for the official images the generated compose.yaml runs as backing services
# (generators/app/services.ts: postgres:17, redis:7, memcached:1, mariadb:11), for machines that
# reach Debian's mirror but no registry. Each is a real server from Debian trixie's packages,
# tagged as the official image so the generated files run unchanged. A tag already present (an
# official image, or a stand-in built from this recipe), or pulled from a registry that answers
# (unless NO_PULL=1), is kept.
#
# Usage: images/services/build.sh [service ...]   (default: all four)
# Needs: a Docker engine and debian:trixie-slim (images/build-offline-base.sh).
set -euo pipefail
cd "$(dirname "$0")"

declare -A TAGS=([postgres]=docker.io/library/postgres:17 [redis]=docker.io/library/redis:7
  [memcached]=docker.io/library/memcached:1 [mariadb]=docker.io/library/mariadb:11)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(postgres redis memcached mariadb)

for service in "${services[@]}"; do
  tag=${TAGS[$service]:?"unknown service $service: one of ${!TAGS[*]}"}
  # A stand-in is labelled with a hash of its recipe: one built from an older recipe is rebuilt.
  recipe=$(cat "$service"/* | sha256sum | cut -c1-16)
  if docker image inspect "$tag" >/dev/null 2>&1; then
    built=$(docker image inspect -f '{{index .Config.Labels "org.wsgi-apache.stand-in"}}' "$tag")
    if [ "$built" = "$recipe" ] || [ -z "$built" ] || [ "$built" = '<no value>' ]; then
      echo "[services] $tag already present" >&2
      continue
    fi
    echo "[services] $tag: a stand-in from an older recipe, rebuilding" >&2
  fi
  if [ "${NO_PULL:-0}" != 1 ] && docker pull -q "$tag" >/dev/null 2>&1; then
    echo "[services] pulled $tag" >&2
    continue
  fi
  echo "[services] building $tag from Debian's packages" >&2
  flock /tmp/docker.lock docker build -q -t "$tag" --label "org.wsgi-apache.stand-in=$recipe" "$service" >/dev/null
done
