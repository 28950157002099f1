#!/bin/sh
# make bench: forward-pass and training-step times of our models (build/tools/bench) and,
# when PyTorch is importable by /usr/bin/python3, of two PyTorch float64 references
# (bench/torch_bench.py: a hand-written twin of ours, and nn.Transformer /
# nn.TransformerEncoder as a PyTorch user would write it), at each thread count, in the
# same run, with the dgemm peak the bench measures at that thread count.
#   sh bench/run.sh [BUILD] [--threads "N …"] [--quick] [CONFIG …]
# Threads: BENCH_THREADS or --threads (a list, default "1 2"); at N threads ours uses at
# most N threads in all (parts × BLAS threads ≤ N) and PyTorch torch.set_num_threads(N)
# with OPENBLAS_NUM_THREADS=N (its OpenBLAS's own threads).
# Timings only: nothing here asserts a speed.
set -eu
build=build
case "${1:-}" in -* | "") ;; *) build=$1; shift ;; esac
threads=${BENCH_THREADS:-"1 2"}
quick=""
configs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --quick) quick=--quick; shift ;;
    *) configs="$configs $1"; shift ;;
  esac
done
py=/usr/bin/python3
have_torch=0
if [ -x "$py" ] && "$py" -c "import torch" 2>/dev/null; then have_torch=1; fi

echo "configs: lesson    d_model 8, 2 heads, d_ff 32, 2+2 layers, seq 16, batch 8, vocab 1000"
echo "         dates     d_model 32, 4 heads, d_ff 64, 2+2 layers, seq 16, batch 32, vocab 71"
echo "         base      d_model 512, 8 heads, d_ff 2048, 6+6 layers, seq 64, batch 8, vocab 1000"
echo "         gpt       lesson 11: d_model 32, 4 heads, d_ff 128, 3 blocks, seq 64, batch 32, vocab 1592"
echo "         bert      lesson 12: d_model 64, 4 heads, d_ff 256, 2 layers, the masked-LM loss on 15%"
echo "         positions lesson 13 (RoPE): d_model 32, 4 heads, d_ff 64, 2 layers, seq 14, batch 32"
echo "         vit       lesson 14: d_model 32, 2 heads, d_ff 64, 2 layers, 17 rows ([CLS] + 16 patches), batch 64"
echo "models:  ours; twin = PyTorch by hand like ours; nn = nn.Transformer (lesson, dates, base)"
echo "         or nn.TransformerEncoder (gpt causal, bert, vit), with embeddings and output layer"
echo "times:   milliseconds per batch, median [min, max] of the repetitions; step = forward +"
echo "         loss + backward + Adam; GFLOP/s = the step's multiply-adds × 2 (counted from the"
echo "         shapes) / median step time; % peak = of the dgemm peak at the same threads"
[ "$have_torch" = 1 ] || echo "(PyTorch is not importable by $py: our times only)"

for n in $threads; do
  echo
  echo "== $n thread(s); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086  # the lists split into words on purpose
  ours=$(OPENBLAS_NUM_THREADS=$n "$build/tools/bench" --threads "$n" $quick $configs)
  theirs=""
  if [ "$have_torch" = 1 ]; then
    # shellcheck disable=SC2086
    # PyTorch's OpenBLAS is told the thread count too, as ours is, so that the reference's
    # threads do not rest on torch.set_num_threads alone.
    theirs=$(OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n "$py" "$(dirname "$0")/torch_bench.py" \
      --threads "$n" $quick $configs)
  fi
  printf '%s\n--\n%s\n' "$ours" "$theirs" | awk '
    function t(x) { return x < 10 ? sprintf("%.2f", x) : x < 1000 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
    function span(m, lo, hi) { return sprintf("%7s [%s, %s]", t(m), t(lo), t(hi)) }
    $0 == "--" { second = 1; next }
    !second && $1 == "peak" { threads = $2; size = $3; peak = $4; peak_lo = $5; peak_hi = $6; next }
    !second && NF == 11 {
      c = $1; order[++n] = c
      for (i = 2; i <= 7; ++i) ours[c, i - 1] = $i
      step_gflop[c] = $9; parts[c] = $10; blas[c] = $11
    }
    second && NF == 8 { for (i = 3; i <= 8; ++i) ref[$1, $2, i - 2] = $i; has[$1, $2] = 1 }
    function row(label, model, f1, f2, f3, s1, s2, s3, c, ratio,   rate) {
      rate = step_gflop[c] / (s1 / 1000)
      printf "%-10s %-5s %-24s %-24s %7.2f %6.1f%% %6s\n", label, model, span(f1, f2, f3),
        span(s1, s2, s3), rate, 100 * rate / peak, ratio
    }
    END {
      printf "dgemm peak at %d thread(s): %.1f GFLOP/s [%.1f, %.1f] (n = %d, best median)\n",
        threads, peak, peak_lo, peak_hi, size
      printf "%-10s %-5s %-24s %-24s %7s %7s %6s\n", "config", "model", "forward ms",
        "step ms", "GFLOP/s", "% peak", "ratio"
      for (k = 1; k <= n; ++k) {
        c = order[k]
        best = ""
        if (has["twin", c]) best = ref["twin", c, 4]
        if (has["nn", c] && (best == "" || ref["nn", c, 4] < best)) best = ref["nn", c, 4]
        ratio = best == "" ? "-" : sprintf("%.2f", ours[c, 4] / best)
        row(c, "ours", ours[c, 1], ours[c, 2], ours[c, 3], ours[c, 4], ours[c, 5], ours[c, 6], c, ratio)
        for (m = 1; m <= 2; ++m) {
          model = m == 1 ? "twin" : "nn"
          if (has[model, c])
            row("", model, ref[model, c, 1], ref[model, c, 2], ref[model, c, 3],
                ref[model, c, 4], ref[model, c, 5], ref[model, c, 6], c, "")
        }
        note = note sprintf("%s%s %d×%d", k > 1 ? ", " : "", c, parts[c], blas[c])
      }
      print ""
      print "ratio = our median step / the faster reference'\''s (below 1: ours is faster)"
      print "ours, parts × BLAS threads: " note
    }'
done
