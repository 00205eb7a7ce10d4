#!/usr/bin/env bash
# `npm test`: every check, each phase timed (.ci/phases.sh), stopping at the first that fails:
# lint and format, type check, build, then the unit and generator tests, the package tests and
# the property test beside the main line, which runs the integration suite once per base
# (test/integration/scope.ts says which files run on which base). Ends with a table of the
# phases, their test counts, and the counts added up. WSGI_APACHE_TEST_BASES picks the bases
# (default: python trixie bookworm).
#
# Three phases run beside the main line, at the lowest CPU priority (.ci/phases.sh's
# lowest_priority), on the cycles it leaves idle while it waits on Docker (builds, health checks):
# the unit tests, CPU only; the package tests (npm pack and install, the generator image) and the
# property test, whose Docker builds and container loops take the machine's build lock
# (test/helpers/docker-lock.ts) as every build of the main line does. At nice 10 in the main
# line's session they still doubled some of its tests (services.test.ts: 155 s alone, 366 s beside
# them): autogroup scheduling shares the CPU between that session and each container first.
# Their output is shown when they end; a failure stops the run at the next phase.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/phases.sh
source .ci/phases.sh
[ -n "${PHASE_SUMMARY_BY_CALLER:-}" ] || trap 'phase_summary' EXIT

vitest() { node node_modules/vitest/vitest.mjs run "$@" --reporter=default --reporter=json "--outputFile.json=$PHASE_JSON"; }
vitest_low() { lowest_priority node node_modules/vitest/vitest.mjs run "$@" --reporter=default --reporter=json "--outputFile.json=$PHASE_JSON"; }

beside_tags=()
beside_pids=()
beside_logs=()

# `beside TAG NAME COMMAND...`: runs phase NAME in the background, its output kept for later.
beside() {
  local tag=$1 name=$2 log
  shift 2
  log=$(mktemp "/tmp/$tag.XXXXXX.log")
  background "$name" "$log" "$@"
  beside_pids+=("$!")
  beside_tags+=("$tag")
  beside_logs+=("$log")
}

# Shows the output of each phase beside that has ended, and fails when one failed. With `wait`,
# waits for them all to end first.
beside_outcome() {
  local i status
  for i in "${!beside_pids[@]}"; do
    [ -n "${beside_pids[$i]}" ] || continue
    [ "${1:-}" = wait ] || ! kill -0 "${beside_pids[$i]}" 2>/dev/null || continue
    status=0
    wait "${beside_pids[$i]}" || status=$?
    beside_pids[i]=''
    sed "s/^/[${beside_tags[$i]}] /" "${beside_logs[$i]}"
    [ "$status" = 0 ] || return "$status"
  done
}

phase lint npm run --silent lint
phase typecheck npm run --silent typecheck
phase build npm run --silent build
beside unit "unit (low priority)" vitest_low --project unit
beside package "package (low priority)" vitest_low --project package
beside property "property (low priority)" vitest_low --project property
for base in ${WSGI_APACHE_TEST_BASES:-python trixie bookworm}; do
  export WSGI_APACHE_TEST_BASE=$base
  phase "integration $base" vitest --project integration
  beside_outcome
done
promote_beside
beside_outcome wait
