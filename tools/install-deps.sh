#!/bin/sh
# Installs, from Debian's archive only, what building and testing the course needs.
# Quiet when everything is already there. Not root: prints the one command to run.
# ccache is optional for the Makefile but makes a rebuild after a merge nearly free;
# clang-format 14 is what the [format] test checks the layout with; fortunes-zh holds the
# Tang poems lessons 11 and 12 learn from (/usr/share/games/fortunes/tang300). With CXX=clang++ in
# the environment (the Makefile passes its CXX), clang and libFuzzer's runtime too.
# libboost-locale-dev reads the Chinese catalogue, which gettext's tools (xgettext, msgfmt)
# extract and compile (src/core/i18n.hpp).
set -eu
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Packages named as arguments are wanted too (make book-check: chromium, nodejs, npm;
# make test and make bench: python3-torch, the PyTorch the bridge checks compare with).
pkgs="g++ make ccache clang-format libarmadillo-dev libopenblas-dev libcxxopts-dev catch2 nlohmann-json3-dev fortunes-zh libboost-locale-dev gettext $*"
# make CXX=clang++ and make fuzz (libFuzzer's runtime is in libclang-rt-dev).
case "${CXX:-}" in *clang*) pkgs="$pkgs clang libclang-rt-dev" ;; esac
for pkg in $pkgs; do
  have "$pkg" || need="$need $pkg"
done
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages:$need" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y$need" >&2
  exit 2
fi
echo "installing from Debian's archive:$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $need >/dev/null
