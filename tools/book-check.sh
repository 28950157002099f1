#!/bin/sh
# make book-check: installs what the browser check needs (Debian's chromium, and the
# playwright-core package pinned in tools/book-check/package-lock.json), then opens every
# page of the book in headless Chromium (tools/book-check/check.mjs). Screenshots go to
# BOOK_DIR/screenshots/, to look at.
#   sh tools/book-check.sh BOOK_DIR
set -eu
book=${1:-book}
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need=""
for pkg in chromium nodejs npm; do
  have "$pkg" || command -v "${pkg%js}" >/dev/null 2>&1 || need="$need $pkg"
done
if [ -n "$need" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages:$need" >&2
    echo "run: sudo apt-get update && sudo apt-get install -y$need" >&2
    exit 2
  fi
  echo "installing from Debian's archive:$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $need >/dev/null
fi
here=$(dirname "$0")/book-check
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "installing playwright-core (tools/book-check/package-lock.json)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/check.mjs" "$book" "$book/screenshots"
