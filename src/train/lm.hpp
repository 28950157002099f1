// The causal language-model objective GPT is trained with (lesson 11):
//
//   a window w of n + 1 ids → input w[0 … n), target w[1 … n]: position t predicts t + 1
//   loss = Σ_t −log softmax(logits[t])[target[t]] over the targets that are not <pad>
//
// Training windows are cut at random offsets from the training poems written one after
// another (<bos> poem <eos> <bos> poem <eos> …), so every window is full.
#pragma once
#include "model/gpt.hpp"
#include "train/cross_entropy.hpp"

#include <armadillo>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace tfm {

struct LmExample {
    TokenIds input, target;  // n each: target[t] = window[t + 1]
};
// InputError for a window of fewer than 2 ids.
LmExample shift_for_lm(const TokenIds& window);

// The batch's summed loss, its count of counted targets, and dtotal/dlogits; the windows
// all of one length n + 1 ≤ max_positions + 1.
CrossEntropy lm_loss(Gpt& model, const std::vector<TokenIds>& windows,
                     double label_smoothing = 0.0);

// `count` windows of `length` ids at offsets drawn from `seed` in the stream of the
// sequences written one after another.
std::vector<TokenIds> sample_windows(const std::vector<TokenIds>& sequences, arma::uword count,
                                     arma::uword length, std::uint64_t seed);

// Mean −log2 p(next) in bits per character over every predicted position of each
// sequence (each read from its start in pieces of at most max_positions + 1 ids, a
// piece's first id given): the figure the n-gram baselines are compared with.
double lm_bits(Gpt& model, const std::vector<TokenIds>& sequences);

// Training (lesson 11 --train): Adam (β 0.9, 0.98), the 2017 schedule, clipping at 1,
// `batch` fresh windows of max_positions + 1 ids per step, drawn from `seed` and the step.
struct LmTrainOptions {
    arma::uword steps = 800;
    arma::uword batch = 32;
    arma::uword warmup = 100;
    double lr_scale = 0.5;  // peak 0.5 / √(64 · 100) = 6.25e-3 for d_model 64
    double clip_norm = 1.0;
    double label_smoothing = 0.0;
    arma::uword eval_every = 0;  // > 0: also print the held-out bits every N steps
    std::uint64_t seed = 42;
};
struct LmTrainReport {
    double initial_bits = 0, final_bits = 0;  // held out, bits per character
    double train_bits = 0;                    // the last tenth of the steps' batches
    double seconds = 0;
};
// Progress (a plain line every tenth of the run) goes to `progress` when not null.
LmTrainReport train_lm(Gpt& model, const std::vector<TokenIds>& train,
                       const std::vector<TokenIds>& held_out, const LmTrainOptions& options,
                       std::FILE* progress);

}  // namespace tfm
