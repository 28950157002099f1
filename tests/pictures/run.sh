#!/bin/sh
# The pictures and pages every lesson writes (--out, --html), read back by Python's own
# XML parser (tests/pictures/check_pictures.py). Needs python3 alone.
#   sh tests/pictures/run.sh BUILD     ends with "pictures: N passed, M failed"
build=${1:-build}
command -v python3 >/dev/null 2>&1 || { echo "pictures: 0 passed, 1 failed (no python3)"; exit 1; }
exec python3 "$(dirname "$0")/check_pictures.py" "$build/lessons"
