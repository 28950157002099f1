#!/bin/sh
# The layering rule of src/, checked from the #include "…" lines (docs/contributing.md):
#
#   core ← draw, io, text, ops ← nn, rnn ← model ← analysis, train, decode ← course ← cli ← lessons, tools
#
# A file of src/A/ may include src/B/… only when B sits at A's level or below it, and the
# folders must not include each other in a cycle (nor the files). Every folder of src/
# must have a level here, and src/ includes nothing outside src/.
#   sh tools/check-layers.sh [ROOT]    exit 0 when the rule holds; 1 with one line per
#                                      offending include (file:line: A → B) otherwise
set -u
root=${1:-.}
cd "$root" || exit 2

level() {
  case $1 in
    core) echo 0 ;;
    draw | io | text | ops) echo 1 ;;
    nn | rnn) echo 2 ;;
    model) echo 3 ;;
    analysis | train | decode) echo 4 ;;
    course) echo 5 ;;
    cli) echo 6 ;;
    *) echo -1 ;;
  esac
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0
checked=0

for folder in src/*/; do
  folder=${folder#src/}; folder=${folder%/}
  if [ "$(level "$folder")" -lt 0 ]; then
    echo "src/$folder/: a folder the layering rule does not know (give it a level in $0)"
    bad=$((bad + 1))
  fi
done

# file:line:target, for every quoted include of src/
grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' src/*/*.hpp src/*/*.cpp 2>/dev/null |
  sed 's/^\([^:]*\):\([0-9]*\):.*"\([^"]*\)".*/\1 \2 \3/' > "$tmp/includes"

while read -r file line target; do
  checked=$((checked + 1))
  from=${file#src/}; from=${from%%/*}
  to=${target%%/*}
  if [ ! -f "src/$target" ]; then
    echo "$file:$line: includes \"$target\", which is not a file of src/"
    bad=$((bad + 1)); continue
  fi
  echo "$file src/$target" >> "$tmp/file_edges"
  [ "$from" = "$to" ] && continue
  echo "$from $to" >> "$tmp/folder_edges"
  lf=$(level "$from"); lt=$(level "$to")
  if [ "$lt" -gt "$lf" ]; then
    echo "$file:$line: $from → $to goes up the layers ($from is level $lf, $to is level $lt)"
    bad=$((bad + 1))
  fi
done < "$tmp/includes"

# Cycles: tsort names the loop it finds and exits non-zero.
for graph in folder_edges file_edges; do
  [ -s "$tmp/$graph" ] || continue
  if ! sort -u "$tmp/$graph" | tsort > /dev/null 2> "$tmp/loop"; then
    echo "a cycle of includes ($graph):"
    sed -n "s/^tsort: //p" "$tmp/loop" | grep -v "input contains a loop" | sed "s/^/  /"
    bad=$((bad + 1))
  fi
done

if [ "$bad" -gt 0 ]; then
  echo "check-layers: $bad violation(s) in $checked includes of src/"
  exit 1
fi
echo "check-layers: $checked includes of src/ follow the layers, no cycle"
