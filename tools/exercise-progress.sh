#!/bin/sh
# Runs the exercise tests against your files (lessons/exercises/NN_*.cpp) and prints
# one line per exercise — ✓ solved, ✗ wrong (with what is probably wrong), · not
# written yet — then "k/n exercises solved". Hints: docs/exercises.md.
bin="$1"
xml="$bin.xml"
rm -f "$xml"
"$bin" -r xml -o "$xml" >/dev/null 2>&1
rc=$?
if ! grep -q "<OverallResultsCases" "$xml" 2>/dev/null; then
  echo "the exercise tests stopped early (exit status $rc): run $bin to see where"
  exit 1
fi
awk '
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
      printf "  · %s   (to write in %s)\n", name, file
    } else {
      printf "  ✗ %s\n      → %s\n", name, why
    }
    next
  }
  END { printf "%d/%d exercises solved\n", solved, total }
' "$xml"
