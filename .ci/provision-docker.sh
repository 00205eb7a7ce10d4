#!/usr/bin/env bash
# Makes a Docker engine with Compose v2 and buildx answer on /var/run/docker.sock,
# on a Debian bookworm machine with no registry but Debian's and npm's.
# Idempotent: does nothing when an engine already answers.
set -euo pipefail

log() { printf '[provision-docker] %s\n' "$*" >&2; }

if docker info >/dev/null 2>&1; then
  log "a Docker engine already answers"
else
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io and debootstrap from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap iptables >/dev/null
  fi
  command -v debootstrap >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  log "starting dockerd"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not answer within 60 s; see /var/log/dockerd.log"; exit 1; }
fi

# Compose v2 and buildx: bookworm's are too old or missing; trixie's need only libc.
if ! docker compose version >/dev/null 2>&1 || ! docker buildx version >/dev/null 2>&1; then
  log "installing docker-compose and docker-buildx from Debian trixie"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/etc/apt/sources.list.d" "$tmp/state/lists/partial" "$tmp/cache/archives/partial"
  cat >"$tmp/etc/apt/sources.list.d/trixie.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$tmp/etc/apt/sources.list.d"
    -o "Dir::State::Lists=$tmp/state/lists" -o "Dir::Cache=$tmp/cache" -o "Dir::State::status=/var/lib/dpkg/status")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$tmp" && apt-get "${apt_opts[@]}" download docker-compose docker-buildx)
  dpkg -i --force-depends "$tmp"/*.deb >/dev/null
  rm -rf "$tmp"
fi
docker compose version >&2
docker buildx version >&2

# podman runs the generated Kubernetes manifests (`podman kube play`, test/integration/
# kubernetes-podman.test.ts); catatonit is the pause process podman builds its infra image from,
# as no registry is reachable for k8s.gcr.io/pause. Optional: the test says so when it is missing.
if ! command -v podman >/dev/null 2>&1 || ! command -v catatonit >/dev/null 2>&1; then
  log "installing podman and catatonit from Debian"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman catatonit >/dev/null; } ||
    log "podman could not be installed; the Kubernetes runtime test will be skipped"
fi

# kubectl renders the generated kustomization as `kubectl apply -k` would (`kubectl kustomize`,
# test/generator/kubernetes.test.ts).
if ! command -v kubectl >/dev/null 2>&1; then
  log "installing kubectl (kubernetes-client) from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null
fi

# shellcheck lints the runtime's shell programs (runtime/, test/unit/runtime-lint.test.ts).
if ! command -v shellcheck >/dev/null 2>&1; then
  log "installing shellcheck from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi
