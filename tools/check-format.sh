#!/bin/sh
# The house layout (.clang-format, STYLE.md): every C++ file of ROOT that git tracks is
# as clang-format writes it, and no line is wider than 100 columns (comments and string
# literals, which clang-format leaves alone, included).
#   sh tools/check-format.sh [ROOT]   exit 0 when it holds; 1 with each offending file:line
#                                     otherwise; 0 with "skipped" when clang-format is absent
#   make format                       rewrites the files in place
set -u
root=${1:-.}
cd "$root" || exit 2
# Other clang-format versions lay some lines out differently: the layout is that of 14
# (Debian 12); with another one, or none, only the widths are checked.
layout=1
version=$(clang-format --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ -z "$version" ]; then layout=0; echo "skipped the layout: clang-format not installed"
elif [ "$version" != 14 ]; then layout=0; echo "skipped the layout: clang-format $version (the layout is 14's)"; fi
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null)
[ -n "$files" ] || files=$(find . -name '*.cpp' -o -name '*.hpp' | sed 's|^\./||' | sort)
bad=0
# shellcheck disable=SC2086
if [ "$layout" -eq 1 ] && ! clang-format --dry-run --Werror $files 2>"${TMPDIR:-/tmp}/check-format.$$"; then
  grep -E '^[^ ].*: (warning|error):' "${TMPDIR:-/tmp}/check-format.$$" | sed 's/: warning:.*/: not as clang-format writes it (make format)/' | sort -u
  bad=1
fi
rm -f "${TMPDIR:-/tmp}/check-format.$$"
# Display columns: a UTF-8 lead byte starts a character; CJK characters take two.
# shellcheck disable=SC2086
wide=$(python3 - $files <<'PY'
import sys, unicodedata
for f in sys.argv[1:]:
    for i, line in enumerate(open(f, encoding="utf-8"), 1):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
                for c in line.rstrip("\n"))
        if w > 100:
            print(f"{f}:{i}: {w} columns (at most 100)")
PY
)
[ -n "$wide" ] && { echo "$wide"; bad=1; }
[ "$bad" -eq 0 ] && echo "every C++ file is laid out as .clang-format says, no line over 100 columns"
exit "$bad"
