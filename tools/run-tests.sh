#!/bin/sh
# Runs every test binary in each build folder given and prints one closing line,
# "N passed, M failed", counting Catch2 test cases across all of them.
#   unit                  core, lessons, bug zoo: every case must pass
#   exercises_solutions   the exercise tests against the reference solutions: must pass
#   exercises_stubs       the same tests against the untouched stubs: every case must
#                         FAIL (a pass would mean the test can pass by accident)
set -u
passed=0; failed=0
first_build=${1:-build}
count() { # file attr -> number
  sed -n 's/.*<OverallResultsCases successes="\([0-9]*\)" failures="\([0-9]*\)".*/\1 \2/p' "$1" | tail -n 1
}
for build in "$@"; do
  for bin in unit $([ -x "$build/tests/exercises_solutions" ] && echo exercises_solutions); do
    out="$build/tests/$bin.xml"
    "$build/tests/$bin" -r xml -o "$out" >/dev/null 2>"$build/tests/$bin.stderr"
    rc=$?
    set -- $(count "$out") ; ok=${1:-0}; bad=${2:-0}
    if [ -z "$(count "$out")" ]; then bad=$((bad + 1)); echo "$build/tests/$bin: crashed (exit $rc), see $build/tests/$bin.stderr"; fi
    echo "$build/tests/$bin: $ok passed, $bad failed"
    [ "$bad" -gt 0 ] && "$build/tests/$bin" -r compact 2>&1 | grep -E "failed|FAILED" | head -40
    passed=$((passed + ok)); failed=$((failed + bad))
  done
  [ -x "$build/tests/exercises_stubs" ] || continue
  out="$build/tests/exercises_stubs.xml"
  "$build/tests/exercises_stubs" -r xml -o "$out" >/dev/null 2>&1
  set -- $(count "$out"); accidental=${1:-0}; rejected=${2:-0}
  if [ -z "$(count "$out")" ]; then accidental=1; echo "$build/tests/exercises_stubs: crashed"; fi
  echo "$build/tests/exercises_stubs: $rejected stubs rejected, $accidental passed by accident"
  passed=$((passed + rejected)); failed=$((failed + accidental))
done
# The PyTorch bridge, once, with the first build's lessons (tests/bridge/run.sh; bridge helper).
bridge=$(sh tests/bridge/run.sh "$first_build" 2>&1); echo "$bridge" | grep -Ev '^ok ' ; set -- $(echo "$bridge" | sed -n 's/^bridge: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p'); case "$bridge" in "skipped: PyTorch not installed") ;; *) passed=$((passed + ${1:-0})); failed=$((failed + ${2:-1}));; esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
