#!/usr/bin/env bash
# `npm run setup:docker`: a Docker engine, then the images and wheels the tests build from where
# no registry but Debian's and npm's answers, each step timed (.ci/phases.sh). Each step does
# nothing when its result is already there, and pulls instead of building where a registry
# answers. Measured on a fresh 2-core machine: engine 1 min, Debian bases 2.5 min, the fast
# python stand-in about 6 min, the wheelhouse about 4 to 6 min, the service stand-ins 1 min (the README has the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/phases.sh
source .ci/phases.sh
[ -n "${PHASE_SUMMARY_BY_CALLER:-}" ] || trap 'phase_summary' EXIT

phase "docker engine" bash .ci/provision-docker.sh
phase "image debian bases" bash images/build-offline-base.sh trixie bookworm
# PYTHON_BUILD=faithful for docker-library's PGO+LTO interpreter (about 33 min), as the benchmarks want.
phase "image python stand-in" bash images/build-python-slim.sh
phase "wheelhouse" bash images/build-wheelhouse.sh
phase "service stand-ins" bash images/services/build.sh
