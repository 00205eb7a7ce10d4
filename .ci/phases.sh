#!/usr/bin/env bash
# Times the phases of a run. Sourced by .ci/run and test/run.sh: `phase NAME COMMAND...` runs
# COMMAND, prints how long it took, and appends "NAME<TAB>SECONDS<TAB>TESTS" to $PHASE_LOG
# (created when unset), where TESTS is "P passed, F failed, S skipped" read from the vitest
# JSON report the command wrote to $PHASE_JSON, a fresh path each phase (vitest's
# `--reporter=json --outputFile.json=$PHASE_JSON`; empty when it wrote none). `phase_summary`
# prints the table, the counts of every phase added up as the plain closing line
# "N passed, N failed", and the total.

: "${PHASE_LOG:=$(mktemp /tmp/phases.XXXXXX)}"
export PHASE_LOG

phase() {
  local name=$1 start status=0 tests=''
  shift
  export PHASE_JSON
  PHASE_JSON=$(mktemp -u /tmp/phase-report.XXXXXX.json)
  echo "[phase] $name: start ($(date -u +%H:%M:%S))" >&2
  start=$(date +%s)
  "$@" || status=$?
  if [ -s "$PHASE_JSON" ]; then
    # shellcheck disable=SC2016 # JavaScript's template literal, not the shell's
    tests=$(node -e 'const r = require(process.argv[1]);
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$PHASE_JSON")
    rm -f "$PHASE_JSON"
  fi
  printf '%s\t%s\t%s\n' "$name" "$(($(date +%s) - start))" "$tests" >>"$PHASE_LOG"
  local outcome='done'
  [ "$status" = 0 ] || outcome="FAILED (exit $status)"
  echo "[phase] $name: $outcome in $(($(date +%s) - start)) s${tests:+; $tests}" >&2
  return "$status"
}

phase_summary() {
  local warn_after=${1:-}
  echo "[phase] ---- summary ----"
  awk -F'\t' '
    { printf "[phase] %-28s %6d s  %s\n", $1, $2, $3; total += $2 }
    { if (match($3, /[0-9]+ passed/)) passed += substr($3, RSTART, RLENGTH - 7) + 0 }
    { if (match($3, /[0-9]+ failed/)) failed += substr($3, RSTART, RLENGTH - 7) + 0 }
    END { printf "[phase] %-28s %6d s (%.1f min)\n", "total", total, total / 60
          printf "%d passed, %d failed\n", passed, failed }' "$PHASE_LOG"
  if [ -n "$warn_after" ]; then
    local total
    total=$(awk -F'\t' '{ t += $2 } END { print t + 0 }' "$PHASE_LOG")
    if [ "$total" -gt "$warn_after" ]; then
      echo "[phase] WARNING: the run took $total s, over the $warn_after s guard (CI's hard limit is 5400 s): cut or share something before adding tests"
    fi
  fi
}
