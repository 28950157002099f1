#!/bin/sh
# The PyTorch bridge (tools/pytorch_bridge.py) against the lessons built in BUILD
# (default: build). Prints one line per check and then "bridge: N passed, M failed";
# when /usr/bin/python3 cannot import torch, only "skipped: PyTorch not installed".
#   sh tests/bridge/run.sh [BUILD]
build=${1:-build}
if ! /usr/bin/python3 -c "import torch, numpy" >/dev/null 2>&1; then
  echo "skipped: PyTorch not installed"
  exit 0
fi
exec /usr/bin/python3 "$(dirname "$0")/test_bridge.py" "$build"
