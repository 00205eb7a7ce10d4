#!/usr/bin/env bash
# Times the phases of a run. Sourced by .ci/run, .ci/setup-docker.sh and test/run.sh:
# - `phase NAME COMMAND...` runs COMMAND, prints how long it took, and appends
#   "NAME<TAB>SECONDS<TAB>TESTS<TAB>BESIDE" to $PHASE_LOG (created when unset). TESTS is
#   "P passed, F failed, S skipped" read from the vitest JSON report the command wrote to
#   $PHASE_JSON, a fresh path each phase (vitest's `--reporter=json --outputFile.json=$PHASE_JSON`;
#   empty when it wrote none). BESIDE is "beside" for a phase that ran alongside the main line.
# - `background NAME LOG COMMAND...` runs `phase NAME COMMAND...` in the background with its
#   output in LOG, marked as beside the main line; $! is its pid.
# - `lowest_priority COMMAND...`: runs COMMAND (a program, not a shell function) where it takes
#   only the CPU the main line leaves idle; see there.
# - `promote_beside` gives what `lowest_priority` started back its normal priority.
# - `phase_summary [WARN_AFTER]` prints the table, the counts of every phase added up as the
#   plain closing line "N passed, N failed", and the wall-clock total since the run began
#   (phases beside the main line overlap others, so the total is not their sum), with a
#   warning when the total passes WARN_AFTER seconds.

: "${PHASE_LOG:=$(mktemp /tmp/phases.XXXXXX)}"
: "${PHASE_RUN_START:=$(date +%s)}"
: "${PHASE_LOW_SESSIONS:=$(mktemp /tmp/low-sessions.XXXXXX)}"
export PHASE_LOG PHASE_RUN_START PHASE_LOW_SESSIONS

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
  printf '%s\t%s\t%s\t%s\n' "$name" "$(($(date +%s) - start))" "$tests" "${PHASE_BESIDE:+beside}" >>"$PHASE_LOG"
  local outcome='done'
  [ "$status" = 0 ] || outcome="FAILED (exit $status)"
  echo "[phase] $name: $outcome in $(($(date +%s) - start)) s${tests:+; $tests}" >&2
  return "$status"
}

background() {
  local name=$1 log=$2
  shift 2
  (PHASE_BESIDE=1 phase "$name" "$@") >"$log" 2>&1 &
}

# With autogroup scheduling (Linux's default, /proc/sys/kernel/sched_autogroup_enabled), CPU is
# shared fairly between sessions and between Docker's container cgroups before `nice` counts:
# nice only ranks the processes of one session. Measured here, two busy loops at nice 19 in a
# session of their own took as much CPU as two at nice 0 in another. So COMMAND gets a session
# of its own (setsid) whose autogroup is set to nice 10 (sched(7), "The autogroup feature"),
# which weighs it at 110 against 1024 for the main line's session and for Docker's containers;
# nice 10 inside ranks it where autogroups are off. At autogroup nice 19 (weight 15) beside two
# integration workers the phases starved: a generator's 20 s python3 parse timed out in the
# property test. Their own containers and builds still run at Docker's weight.
lowest_priority() {
  # shellcheck disable=SC2016 # expanded by the inner shell, the session's leader
  setsid --wait "$BASH" -c 'echo $$ >>"$PHASE_LOW_SESSIONS"; echo 10 >/proc/self/autogroup 2>/dev/null || :; exec nice -n 10 "$@"' lowest_priority "$@"
}

# Once the main line is done, what still runs beside it is the run's tail: at nice 10 it would
# keep leaving the cores idle, so its sessions go back to nice 0 (measured at warm23: the unit
# phase ended 45 s after the last integration phase).
promote_beside() {
  local session
  while read -r session; do
    echo 0 >"/proc/$session/autogroup" 2>/dev/null || :
    pgrep -s "$session" | xargs -r renice -n 0 -p >/dev/null 2>&1 || :
  done <"$PHASE_LOW_SESSIONS"
}

phase_summary() {
  local warn_after=${1:-} total
  total=$(($(date +%s) - PHASE_RUN_START))
  echo "[phase] ---- summary (a phase marked 'beside' ran alongside the main line) ----"
  awk -F'\t' '
    { printf "[phase] %-30s %6d s %-7s %s\n", $1, $2, $4, $3 }
    { if (match($3, /[0-9]+ passed/)) passed += substr($3, RSTART, RLENGTH - 7) + 0 }
    { if (match($3, /[0-9]+ failed/)) failed += substr($3, RSTART, RLENGTH - 7) + 0 }
    END { printf "%d passed, %d failed\n", passed, failed > "/dev/stderr" }' "$PHASE_LOG" 2>"$PHASE_LOG.counts"
  awk -v t="$total" 'BEGIN { printf "[phase] %-30s %6d s (%.1f min, wall clock)\n", "total", t, t / 60 }'
  if [ -n "$warn_after" ] && [ "$total" -gt "$warn_after" ]; then
    echo "[phase] WARNING: the run took $total s, over the $warn_after s guard (CI's hard limit is 5400 s): cut or share something before adding tests"
  fi
  # The tests of every phase added up, last, as the plain closing line.
  cat "$PHASE_LOG.counts"
  rm -f "$PHASE_LOG.counts"
}
