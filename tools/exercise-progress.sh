#!/bin/sh
# Runs the exercise tests against your files (lessons/exercises/NN_*.cpp) and prints
# one line per exercise — ✓ solved, ✗ wrong (with what is probably wrong), · not
# written yet — then "k/n exercises solved". Hints: docs/exercises.md.
#   sh tools/exercise-progress.sh BUILD/tests/exercises_learner BUILD/learner
# A file of yours that does not compile was replaced by its stub (the Makefile keeps
# the compiler's messages in BUILD/learner/NN_*.err): its exercises are listed as not
# compiling, after the compiler's first error with its file and line.
bin="$1"
errors="${2:-}"
broken=""
if [ -n "$errors" ]; then
  for err in "$errors"/*.err; do
    [ -f "$err" ] || continue
    file=$(basename "$err" .err).cpp
    broken="$broken $file"
    echo "lessons/exercises/$file does not compile; the compiler's first error:"
    first=$(grep -m1 -E ':[0-9]+:[0-9]+: (fatal )?error' "$err")
    [ -n "$first" ] || first=$(head -n 3 "$err")
    echo "  $first"
    echo "  (all of it: $err)"
  done
  [ -n "$broken" ] && echo
fi
xml="$bin.xml"
rm -f "$xml"
"$bin" -r xml -o "$xml" >/dev/null 2>&1
rc=$?
if ! grep -q "<OverallResultsCases" "$xml" 2>/dev/null; then
  echo "the exercise tests stopped early (exit status $rc): run $bin to see where"
  exit 1
fi
awk -v broken="$broken" '
  function unescape(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
    gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
    return s
  }
  /<TestCase name="/ {
    name = $0; sub(/.*<TestCase name="/, "", name); sub(/".*/, "", name)
    name = unescape(name); why = ""; next
  }
  /<Info>/    { in_info = 1; next }
  /<\/Info>/  { in_info = 0; next }
  in_info     { line = $0; sub(/^[ \t]+/, "", line); why = why (why == "" ? "" : " ") unescape(line); next }
  /<Exception|<FatalErrorCondition/ { if (why == "") why = "crashed inside the test: run the binary to see it" }
  /<OverallResult success="true"/ { solved++; total++; printf "  ✓ %s\n", name; next }
  /<OverallResult success="false"/ {
    total++
    if (why ~ /^not implemented yet: /) {
      file = why; sub(/.*lessons\/exercises\//, "", file)
      if (index(" " broken " ", " " file " ")) printf "  ✗ %s   (%s does not compile)\n", name, file
      else printf "  · %s   (to write in %s)\n", name, file
    } else {
      printf "  ✗ %s\n      → %s\n", name, why
    }
    next
  }
  END { printf "%d/%d exercises solved\n", solved, total }
' "$xml"
