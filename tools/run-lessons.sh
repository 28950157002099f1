#!/bin/sh
# make lessons: runs each lesson binary given, in order. On a terminal it stops after
# each one ("Enter: next lesson · q: quit") so that a lesson can be read before the
# next one scrolls it away; when stdout or stdin is not a terminal (CI, a pipe, a
# file), it runs them all without stopping. The lessons speak the environment's language
# (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as GNU programs read them); so does the prompt.
#   sh tools/run-lessons.sh build/lessons/01_embedding build/lessons/02_qkv …
#   LANG=zh_CN.UTF-8 sh tools/run-lessons.sh build/lessons/*    (make lessons LANG=zh_CN.UTF-8)
set -u
# zh or en, decided as src/core/i18n.cpp decides it (language_from_environment).
language() {
  old_ifs=$IFS IFS=:
  for entry in ${LANGUAGE:-}; do
    case $entry in zh*) IFS=$old_ifs; echo zh; return ;; en*) IFS=$old_ifs; echo en; return ;; esac
  done
  IFS=$old_ifs
  for value in "${LC_ALL:-}" "${LC_MESSAGES:-}" "${LANG:-}"; do
    [ -n "$value" ] || continue
    case $value in zh*) echo zh ;; *) echo en ;; esac
    return
  done
  echo en
}
prompt='Enter: next lesson · q: quit'
[ "$(language)" = zh ] && prompt='回车：下一课 · q：退出'
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
    printf '\n%s%s%s ' "$bold" "$prompt" "$plain"
    read -r answer || exit 0
    case "$answer" in q|Q|quit) exit 0 ;; esac
  fi
done
