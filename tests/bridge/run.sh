#!/bin/sh
# The PyTorch bridge (tools/pytorch_bridge.py) against the lessons built in BUILD
# (default: build). Prints one line per check and then "bridge: N passed, M failed";
# when /usr/bin/python3 cannot import torch, only "skipped: PyTorch not installed".
#   sh tests/bridge/run.sh [BUILD]
# TFM_BRIDGE_PYTHON names another interpreter (to see the skip: TFM_BRIDGE_PYTHON=false).
build=${1:-build}
python=${TFM_BRIDGE_PYTHON:-/usr/bin/python3}
if ! "$python" -c "import torch, numpy" >/dev/null 2>&1; then
  echo "skipped: PyTorch not installed"
  exit 0
fi
exec "$python" "$(dirname "$0")/test_bridge.py" "$build"
