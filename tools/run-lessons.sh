#!/bin/sh
# make lessons: runs each lesson binary given, in order. On a terminal it stops after
# each one ("Enter: next lesson · q: quit") so that a lesson can be read before the
# next one scrolls it away; when stdout or stdin is not a terminal (CI, a pipe, a
# file), it runs them all without stopping.
#   sh tools/run-lessons.sh build/lessons/01_embedding build/lessons/02_qkv …
set -u
pause=0
[ -t 0 ] && [ -t 1 ] && pause=1
bold='' plain=''
if [ "$pause" -eq 1 ] && [ "${TERM:-}" != dumb ] && [ -z "${NO_COLOR:-}" ]; then
  bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi
total=$#
i=0
for lesson in "$@"; do
  i=$((i + 1))
  printf '\n%s════════ %s (%d/%d) ════════%s\n\n' "$bold" "$(basename "$lesson")" "$i" "$total" "$plain"
  "./$lesson" || exit $?
  if [ "$pause" -eq 1 ] && [ "$i" -lt "$total" ]; then
    printf '\n%sEnter: next lesson · q: quit%s ' "$bold" "$plain"
    read -r answer || exit 0
    case "$answer" in q|Q|quit) exit 0 ;; esac
  fi
done
