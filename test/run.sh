#!/usr/bin/env bash
# `npm test`: every check, one phase after another, each timed (.ci/phases.sh), stopping at the
# first that fails: lint and format, type check, build, unit and generator tests, the property
# test, the package tests, then the integration suite once per base (test/integration/scope.ts
# says which files run on which base). Ends with a table of the phases, their test counts, and
# the counts added up. WSGI_APACHE_TEST_BASES picks the bases (default: python trixie bookworm).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/phases.sh
source .ci/phases.sh
[ -n "${PHASE_SUMMARY_BY_CALLER:-}" ] || trap 'phase_summary' EXIT

vitest() { node node_modules/vitest/vitest.mjs run "$@" --reporter=default --reporter=json "--outputFile.json=$PHASE_JSON"; }

phase lint npm run --silent lint
phase typecheck npm run --silent typecheck
phase build npm run --silent build
phase unit vitest --project unit
phase property vitest --project property
phase package vitest --project package
for base in ${WSGI_APACHE_TEST_BASES:-python trixie bookworm}; do
  export WSGI_APACHE_TEST_BASE=$base
  phase "integration $base" vitest --project integration
done
