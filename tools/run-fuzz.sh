#!/bin/sh
# Runs each libFuzzer target of tests/fuzz/ (built by `make fuzz` into BUILD/fuzz/) for
# RUNS executions (and at most SECONDS each, when given), starting from the committed
# seed corpus tests/fuzz/corpus/NAME/ and growing a working corpus in BUILD/corpus/NAME/
# (not committed). A crash, leak or sanitizer report is written to BUILD/crashes/ and
# fails the run: copy it to tests/fuzz/crashes/NAME/ with the fix, so that make test
# replays it for ever. One line per target: executions, time, coverage.
#   sh tools/run-fuzz.sh BUILD RUNS [SECONDS] NAME...
set -u
build=$1 runs=$2 seconds=$3
shift 3
failed=0
for name in "$@"; do
  mkdir -p "$build/corpus/$name" "$build/crashes"
  log="$build/fuzz-$name.log"
  limit=""
  [ -n "$seconds" ] && limit="-max_total_time=$seconds"
  start=$(date +%s)
  "$build/fuzz/$name" -runs="$runs" $limit -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$name-" "$build/corpus/$name" "tests/fuzz/corpus/$name" \
    >"$log" 2>&1
  status=$?
  end=$(date +%s)
  done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
  if [ "$status" -eq 0 ]; then
    echo "fuzz $name: ${execs:-?} executions in $((end - start)) s, $cov, no finding"
  else
    failed=$((failed + 1))
    echo "fuzz $name: FINDING after ${execs:-?} executions (exit $status); see $log and $build/crashes/"
    grep -E 'ERROR|SUMMARY|fuzz invariant' "$log" | head -n 5
  fi
  : "$done_line"
done
[ "$failed" -eq 0 ]
