// Training the encoder–decoder on a generated task: mini-batches of pairs, the
// cross-entropy of every target position, Adam with the warm-up schedule, optional
// clipping. The whole padded batch goes through the model at once (forward_batch).
//
//   for step = 1 … steps:
//       batch  = batch_size fresh examples (never one of the held-out sources)
//       zero every gradient
//       logits = forward_batch(sources, <bos>+targets); CE vs targets+<eos>
//       backward(dlogits / target tokens in the batch)
//           (the batch cut into `parts`, one per core, their gradients added: data_parallel.hpp)
//       clip the global gradient norm; adam.step(noam_rate(step))
//
// The held-out set is drawn first from its own stream, so its sources are fixed by the
// seed; every number is reproducible: same seed, same weights, byte for byte.
#pragma once
#include "model/transformer.hpp"
#include "train/adam.hpp"
#include "train/batch.hpp"
#include "train/data_parallel.hpp"
#include "train/tasks.hpp"

#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace tfm {

struct TrainOptions {
    arma::uword steps = 4000;
    arma::uword batch_size = 32;
    arma::uword warmup = 200;
    double lr_scale = 0.3;   // multiplies the schedule (peak 3.8e-3 for d_model 32)
    double clip_norm = 1.0;  // global-norm clipping; 0 turns it off
    double label_smoothing = 0.0;
    arma::uword eval_size = 1000;  // held-out examples for exact-match accuracy
    arma::uword log_every = 0;     // progress line every N steps when not on a terminal;
                                   // 0: ten lines per run
    arma::uword parts = 2;         // each batch is cut into this many parts, run side by side
                                   // on the cores (data_parallel.hpp); any core count gives
                                   // the same weights
    std::uint64_t seed = 42;       // the task's example stream (the model is seeded by its creator)
    bool held_out_curve = false;   // also evaluate the held-out set at every progress line
                                   // (the training curves of --out; it costs evaluations)

    // The largest values lesson 09 accepts (its options' ranges, and validate()'s).
    static constexpr arma::uword kMaxSteps = 1000000, kMaxBatchSize = 4096, kMaxEvalSize = 100000,
                                 kMaxParts = 64;

    // InputError naming the first field out of range by its lesson-09 option (--steps …).
    void validate() const;
};

// The model trained for a task by default (lesson 09 --train): small enough to train
// in minutes on two cores and to ship in a few hundred KB.
ModelConfig task_model_config(const Task& task);
// The training defaults per task (copy and reverse need fewer steps than dates).
TrainOptions task_train_options(const Task& task);

// Forward, loss and backward of the whole batch; dlogits are scaled by 1 / normalizer
// (the number of target tokens, for a mean loss), and gradients are ADDED to the
// model's (so two half-batches add up to one batch). Returns the summed (unscaled) loss.
double accumulate_gradients(Transformer& model, const Batch& batch, double normalizer,
                            double label_smoothing = 0.0);

// Mean cross-entropy per target token (with <eos>), forward only.
double evaluate_loss(Transformer& model, const std::vector<Example>& examples);

// The greedy decoding of one source, as ids without <eos>.
TokenIds decode_ids(Transformer& model, const TokenIds& src, arma::uword max_len);

// Fraction of examples whose greedy decoding equals the target exactly.
double exact_match(Transformer& model, const std::vector<Example>& examples, arma::uword max_len);

struct Progress {
    arma::uword step = 0, steps = 0;
    double loss = 0.0;  // mean over the batches since the last report
    double learning_rate = 0.0;
    double tokens_per_second = 0.0;         // source + target tokens (no padding)
    double elapsed = 0.0, remaining = 0.0;  // seconds
};
// "step  300/2000  loss 0.4312  lr 1.2e-03  41.2k tok/s  0:12 elapsed  1:05 left".
// With width > 0, a [#####.....] bar in front, and the whole line fits in width − 1
// columns (so that a terminal never wraps it): the bar shrinks, then the speed and
// the elapsed time go. width 0: the plain line, for a log.
std::string format_progress(const Progress& p, std::size_t width);

// One point of the training curves, at a progress line (and at step 0).
struct CurvePoint {
    arma::uword step = 0;
    double train_loss = 0.0;  // mean over the batches since the point before (NaN at step 0)
    double learning_rate = 0.0;
    double held_out_loss = 0.0, exact_match = 0.0;  // NaN unless held_out_curve
};

struct TrainReport {
    double initial_loss = 0.0;  // held-out loss of the untrained model
    double final_loss = 0.0;    // held-out loss after training
    double accuracy = 0.0;      // held-out exact match after training
    arma::uword eval_size = 0;
    double seconds = 0.0;  // training loop only
    double tokens_per_second = 0.0;
    std::vector<CurvePoint> curve;  // step 0, then every progress line
};

class Trainer {
public:
    Trainer(Transformer& model, const Task& task, TrainOptions options);

    // One optimisation step on `batch`; returns its mean loss.
    double step(const Batch& batch);
    // The next batch of fresh training examples.
    Batch next_batch();

    // The whole run: initial held-out loss, `steps` steps with progress written to
    // `out` (a bar redrawn in place, as wide as the terminal, when out is one; else a
    // plain line every log_every steps),
    // then held-out loss and exact-match accuracy. `out` may be null (silent).
    TrainReport run(std::FILE* out);

    Transformer& model;
    const Task& task;
    TrainOptions options;
    Adam adam;
    std::vector<Example> held_out;

private:
    TaskRng train_rng_;
    std::set<std::string> held_out_sources_;
    DataParallel parallel_;
};

}  // namespace tfm
