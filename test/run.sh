#!/usr/bin/env bash
# `npm test`: every check, each phase timed (.ci/phases.sh), stopping at the first that fails:
# lint and format, type check, build, then the unit and generator tests beside the rest, and on
# the main line the property test, the package tests and the integration suite once per base
# (test/integration/scope.ts says which files run on which base). Ends with a table of the
# phases, their test counts, and the counts added up. WSGI_APACHE_TEST_BASES picks the bases
# (default: python trixie bookworm).
#
# The unit tests need only CPU, the later phases mostly wait on Docker (builds, health checks),
# so the unit tests run beside them at a low CPU priority (nice 10) on the cycles those leave
# idle; their output is shown when they end, and a failure stops the run at the next phase.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/phases.sh
source .ci/phases.sh
[ -n "${PHASE_SUMMARY_BY_CALLER:-}" ] || trap 'phase_summary' EXIT

vitest() { node node_modules/vitest/vitest.mjs run "$@" --reporter=default --reporter=json "--outputFile.json=$PHASE_JSON"; }
vitest_nice() { nice -n 10 node node_modules/vitest/vitest.mjs run "$@" --reporter=default --reporter=json "--outputFile.json=$PHASE_JSON"; }

unit_log=$(mktemp /tmp/unit-tests.XXXXXX.log)
unit=

# Shows the unit tests' output once they have ended, and fails when they failed. With `wait`,
# waits for them to end first.
unit_outcome() {
  [ -n "$unit" ] || return 0
  [ "${1:-}" = wait ] || ! kill -0 "$unit" 2>/dev/null || return 0
  local status=0
  wait "$unit" || status=$?
  unit=
  sed 's/^/[unit] /' "$unit_log"
  return "$status"
}

phase lint npm run --silent lint
phase typecheck npm run --silent typecheck
phase build npm run --silent build
background "unit (nice 10)" "$unit_log" vitest_nice --project unit
unit=$!
phase property vitest --project property
unit_outcome
phase package vitest --project package
unit_outcome
for base in ${WSGI_APACHE_TEST_BASES:-python trixie bookworm}; do
  export WSGI_APACHE_TEST_BASE=$base
  phase "integration $base" vitest --project integration
  unit_outcome
done
unit_outcome wait
