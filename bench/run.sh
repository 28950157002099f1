#!/bin/sh
# make bench: forward-pass and training-step times of our Transformer (build/tools/bench)
# and, when PyTorch is importable by /usr/bin/python3, of the same model in PyTorch
# (bench/torch_bench.py, float64), with the same number of threads, in the same run.
#   sh bench/run.sh [BUILD] [--quick]        (BENCH_THREADS=N to use N threads, default: nproc)
# Timings only: nothing here asserts a speed.
set -eu
build=${1:-build}
quick=${2:-}
threads=${BENCH_THREADS:-$(nproc)}
export OPENBLAS_NUM_THREADS="$threads"
py=/usr/bin/python3

echo "threads: $threads (OPENBLAS_NUM_THREADS for ours, torch.set_num_threads for PyTorch)"
echo "configs: lesson d_model 8, 2 heads, d_ff 32, 2+2 layers, seq 16, batch 8, vocab 1000"
echo "         dates  d_model 32, 4 heads, d_ff 64, 2+2 layers, seq 16, batch 32, vocab 71"
echo "         base   d_model 512, 8 heads, d_ff 2048, 6+6 layers, seq 64, batch 8, vocab 1000"
echo "         gpt    lesson 11: d_model 64, 4 heads, d_ff 256, 2 blocks, seq 64, batch 32, vocab 1592"
echo "         bert   lesson 12: the same sizes, the masked-LM loss on 15% of the positions"
echo "times: median milliseconds per batch; step = forward + loss + backward + Adam"
echo

ours=$("$build/tools/bench" $quick)
theirs=""
if [ -x "$py" ] && "$py" -c "import torch" 2>/dev/null; then
  theirs=$("$py" "$(dirname "$0")/torch_bench.py" --threads "$threads" $quick)
else
  echo "(PyTorch is not importable by $py: our times only)"
fi

printf '%s\n--\n%s\n' "$ours" "$theirs" | awk '
  $0 == "--" { second = 1; next }
  NF == 3 && !second { order[++n] = $1; f[$1] = $2; s[$1] = $3 }
  NF == 3 && second { tf[$1] = $2; ts[$1] = $3 }
  END {
    printf "%-8s %12s %12s %12s %12s %10s %10s\n", "config", "fwd ours", "fwd torch", "step ours", "step torch", "fwd ratio", "step ratio"
    for (i = 1; i <= n; ++i) {
      c = order[i]
      if (c in tf)
        printf "%-8s %12.2f %12.2f %12.2f %12.2f %10.2f %10.2f\n", c, f[c], tf[c], s[c], ts[c], f[c] / tf[c], s[c] / ts[c]
      else
        printf "%-8s %12.2f %12s %12.2f %12s %10s %10s\n", c, f[c], "-", s[c], "-", "-", "-"
    }
    print ""
    print "ratio = ours / PyTorch (below 1: ours is faster)"
  }'
