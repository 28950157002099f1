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
# Debian's packages go through the one installer (the root check, apt-get).
[ -z "$need" ] || sh "$(dirname "$0")/install-deps.sh" $need
here=$(dirname "$0")/book-check
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "installing playwright-core (tools/book-check/package-lock.json)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/check.mjs" "$book" "$book/screenshots"
