#!/usr/bin/env bash
# `npm run setup:docker`: a Docker engine, then the images and wheels the tests build from where
# no registry but Debian's and npm's answers, each step timed (.ci/phases.sh). Each step does
# nothing when its result is already there, and pulls instead of building where a registry
# answers. Measured on a fresh 2-core machine: engine 1 min, Debian bases 2.5 min, the fast
# python stand-in about 6 min with the wheelhouse built beside it, the service stand-ins 1 min
# beside the wheelhouse's check (.ci/RUNS.md has the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/phases.sh
source .ci/phases.sh
[ -n "${PHASE_SUMMARY_BY_CALLER:-}" ] || trap 'phase_summary' EXIT

phase "docker engine" bash .ci/provision-docker.sh
phase "image debian bases" bash images/build-offline-base.sh trixie bookworm
# The wheelhouse mostly waits on Debian's mirror, one source package at a time, while the
# CPython compile keeps both cores busy: so the wheelhouse is built beside the compile, and only
# its check, which installs the wheels into the stand-in, waits for it. Cold, one after the other
# they took 397 s and 337 s; side by side 493 s and 584 s from the same start (ci49cold). Its
# build environment is built first: one image build at once.
phase "wheelhouse build environment" bash images/build-wheelhouse.sh --builder-only
# PYTHON_BUILD=faithful for docker-library's PGO+LTO interpreter (about 33 min), as the benchmarks want.
python_log=$(mktemp /tmp/python-stand-in.XXXXXX)
background "image python stand-in" "$python_log" bash images/build-python-slim.sh
python_pid=$!
# The service stand-ins are image builds too, so they start when the stand-in's build ends, and
# build beside the wheelhouse's check, which runs containers and builds no image (ci49cold: the
# check took 91 s after the stand-in, then the service stand-ins 70 s after it).
services_log=$(mktemp /tmp/service-stand-ins.XXXXXX)
(
  while kill -0 "$python_pid" 2>/dev/null; do sleep 2; done
  PHASE_BESIDE=1 phase "service stand-ins" bash images/services/build.sh
) >"$services_log" 2>&1 &
services_pid=$!
status=0
WHEELHOUSE_CHECK_AFTER=$python_pid phase "wheelhouse" bash images/build-wheelhouse.sh || status=$?
python_status=0
wait "$python_pid" || python_status=$?
cat "$python_log" >&2
rm -f "$python_log"
services_status=0
wait "$services_pid" || services_status=$?
cat "$services_log" >&2
rm -f "$services_log"
[ "$python_status" = 0 ] || exit "$python_status"
[ "$status" = 0 ] || exit "$status"
[ "$services_status" = 0 ] || exit "$services_status"
