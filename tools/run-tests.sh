#!/bin/sh
# Runs every test binary in each build folder given and prints one closing line,
# "N passed, M failed", counting Catch2 test cases across all of them.
#   unit                  core, lessons, bug zoo: every case must pass
#   exercises_solutions   the exercise tests against the reference solutions: must pass
#   exercises_stubs       the same tests against the untouched stubs: every case must
#                         FAIL (a pass would mean the test can pass by accident)
# Then the PyTorch bridge, once, with the first build's lessons (tests/bridge/run.sh), and
# the lessons' pictures and pages read back by an XML parser (tests/pictures/run.sh).
#
# The runs share the cores: `unit` is cut into shards by source file (Catch2's -#, which
# tags each case with its file), and TEST_JOBS runs (default: one per core) go at once,
# the slowest first. Each case is reseeded from its own name (tests/main.cpp), so a case
# draws the same numbers in whichever shard it runs. A shard set that misses a case
# counts as a failure.
#   sh tools/run-tests.sh build [build-asan]
set -u
# The tests read the English text: a learner's LANG=zh_CN.UTF-8 must not change them (the
# language tests set the environment they test).
export LANGUAGE=en
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d "${TMPDIR:-/tmp}/tfm-tests-XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

count() { # XML report -> "successes failures" of its test cases
  sed -n 's/.*<OverallResultsCases successes="\([0-9]*\)" failures="\([0-9]*\)".*/\1 \2/p' "$1" | tail -n 1
}
# The visible cases of a binary, one per line (Catch2 v2, else v3).
# (v2 exits with the number of cases it listed, so its status says nothing.)
listed() {
  names=$("$1" --list-test-names-only 2>/dev/null)
  [ -n "$names" ] || names=$("$1" --list-tests --verbosity quiet 2>/dev/null)
  printf '%s\n' "$names"
}

# 1. The job list, one line each: NAME BINARY [SPEC]. ASan builds first: they are slowest.
: >"$work/jobs"
for build in "$@"; do
  case $build in *asan*) shards=$((jobs * 3)) ;; *) shards=$((jobs * 2)) ;; esac
  bin=$build/tests/unit
  name=$(echo "$build" | tr '/' '_')
  "$bin" -# --list-tags 2>/dev/null | sed -n 's/.*\(\[#[^]]*\]\).*/\1/p' |
    awk -v n="$shards" -v bin="$bin" -v name="$name" '
      { spec[NR % n] = spec[NR % n] (spec[NR % n] == "" ? "" : ",") $0 "~[.]" }
      END { for (k = 0; k < n; k++) if (spec[k] != "") printf "%s.unit.%d %s %s\n", name, k, bin, spec[k] }' \
      >"$work/unit.$name"
  # No tags (an old Catch2): the whole binary as one job.
  [ -s "$work/unit.$name" ] || echo "$name.unit.0 $bin" >"$work/unit.$name"
  case $build in *asan*) cat "$work/unit.$name" "$work/jobs" >"$work/jobs.new"; mv "$work/jobs.new" "$work/jobs" ;;
                 *) cat "$work/unit.$name" >>"$work/jobs" ;; esac
done
for build in "$@"; do
  name=$(echo "$build" | tr '/' '_')
  for bin in exercises_solutions exercises_stubs; do
    [ -x "$build/tests/$bin" ] && echo "$name.$bin $build/tests/$bin" >>"$work/jobs"
  done
done
echo "bridge sh tests/bridge/run.sh ${1:-build}" >>"$work/jobs"
echo "pictures sh tests/pictures/run.sh ${1:-build}" >>"$work/jobs"

# 2. Run them, TEST_JOBS at a time. Each writes NAME.xml (or NAME.out), NAME.err, NAME.rc.
xargs -P "$jobs" -L 1 sh -c '
    w="$0/$1"; shift
    case $1 in
      sh) "$@" >"$w.out" 2>&1 ;;
      *) if [ $# -ge 2 ]; then "$1" -# "$2" -r xml -o "$w.xml" >/dev/null 2>"$w.err"
         else "$1" -r xml -o "$w.xml" >/dev/null 2>"$w.err"; fi ;;
    esac
    echo $? >"$w.rc"' "$work" <"$work/jobs"

# 3. Report, build by build, in a fixed order.
passed=0; failed=0
for build in "$@"; do
  name=$(echo "$build" | tr '/' '_')
  ok=0; bad=0; ran=0
  while read -r job bin spec; do
    set -- $(count "$work/$job.xml" 2>/dev/null)
    if [ $# -lt 2 ]; then
      bad=$((bad + 1)); echo "$bin ${spec:-}: crashed (exit $(cat "$work/$job.rc" 2>/dev/null)):"
      tail -n 20 "$work/$job.err"
      continue
    fi
    ok=$((ok + $1)); bad=$((bad + $2)); ran=$((ran + $1 + $2))
    if [ "$2" -gt 0 ]; then
      if [ -n "${spec:-}" ]; then "$bin" -# "$spec" -r compact 2>&1; else "$bin" -r compact 2>&1; fi |
        grep -E "failed|FAILED" | head -40
    fi
  done <"$work/unit.$name"
  expected=$(listed "$build/tests/unit" | grep -c .)
  if [ "$ran" -ne "$expected" ] && [ "$expected" -gt 0 ]; then
    echo "$build/tests/unit: the shards ran $ran cases of the $expected listed"; bad=$((bad + 1))
  fi
  echo "$build/tests/unit: $ok passed, $bad failed"
  passed=$((passed + ok)); failed=$((failed + bad))
  if [ -x "$build/tests/exercises_solutions" ]; then
    set -- $(count "$work/$name.exercises_solutions.xml" 2>/dev/null)
    if [ $# -lt 2 ]; then set -- 0 1; echo "$build/tests/exercises_solutions: crashed"; fi
    echo "$build/tests/exercises_solutions: $1 passed, $2 failed"
    [ "$2" -gt 0 ] && "$build/tests/exercises_solutions" -r compact 2>&1 | grep -E "failed|FAILED" | head -40
    passed=$((passed + $1)); failed=$((failed + $2))
  fi
  if [ -x "$build/tests/exercises_stubs" ]; then
    set -- $(count "$work/$name.exercises_stubs.xml" 2>/dev/null)
    if [ $# -lt 2 ]; then set -- 1 0; echo "$build/tests/exercises_stubs: crashed"; fi
    echo "$build/tests/exercises_stubs: $2 stubs rejected, $1 passed by accident"
    passed=$((passed + $2)); failed=$((failed + $1))
  fi
done
bridge=$(cat "$work/bridge.out" 2>/dev/null)
echo "$bridge" | grep -Ev '^ok '
case "$bridge" in
  "skipped: PyTorch not installed") ;;
  *) set -- $(echo "$bridge" | sed -n 's/^bridge: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
     passed=$((passed + ${1:-0})); failed=$((failed + ${2:-1})) ;;
esac
pictures=$(cat "$work/pictures.out" 2>/dev/null)
echo "$pictures" | grep -v '^pictures: '
set -- $(echo "$pictures" | sed -n 's/^pictures: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
echo "pictures: ${1:-0} passed, ${2:-1} failed"
passed=$((passed + ${1:-0})); failed=$((failed + ${2:-1}))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
