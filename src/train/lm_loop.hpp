// The training loop lessons 11 and 12 share (train_lm, train_mlm): Adam with AdamW's
// decay, the 2017 schedule, clipping, dropout in the steps only, and plain progress
// lines. Each caller gives its own batch loss and its own held-out figure.
#pragma once
#include "core/params.hpp"
#include "train/adam.hpp"
#include "train/cross_entropy.hpp"
#include "train/lm.hpp"
#include "train/schedule.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

namespace tfm::detail {

// batch_loss(step): the forward pass of step's batch, its summed loss, count and dlogits.
// held_out(): the held-out figure in bits. unit: what the bits are per ("char").
template <class Model, class BatchLoss, class HeldOut>
LmTrainReport run_lm_training(Model& model, const LmTrainOptions& options, BatchLoss batch_loss,
                              HeldOut held_out, const char* unit, std::FILE* progress) {
    using Clock = std::chrono::steady_clock;
    LmTrainReport report;
    report.initial_bits = held_out();
    const ParamList params = model.params();
    AdamOptions adam_options;
    adam_options.weight_decay = options.weight_decay;
    Adam adam(params, adam_options);
    std::mt19937_64 dropout_rng(options.seed * 7919 + 17);
    const arma::uword every = std::max<arma::uword>(1, options.steps / 10);
    const Clock::time_point start = Clock::now();
    double nats = 0, count = 0, recent_nats = 0, recent_count = 0;
    for (arma::uword step = 1; step <= options.steps; ++step) {
        model.zero_grad();
        model.set_dropout(options.dropout, &dropout_rng);
        CrossEntropy ce = batch_loss(step);
        if (ce.count > 0) ce.dlogits /= static_cast<double>(ce.count);
        model.backward(ce.dlogits);
        model.set_dropout(0, nullptr);
        if (options.clip_norm > 0) clip_grad_norm(params, options.clip_norm);
        adam.step(noam_rate(step, model.config.d_model, options.warmup, options.lr_scale));
        nats += ce.total;
        count += static_cast<double>(ce.count);
        if (step > options.steps - every) {
            recent_nats += ce.total;
            recent_count += static_cast<double>(ce.count);
        }
        if (progress != nullptr && options.eval_every > 0 && step % options.eval_every == 0)
            std::fprintf(progress, "step %5llu  held-out %.3f bits/%s\n",
                         static_cast<unsigned long long>(step), held_out(), unit);
        if (progress != nullptr && (step % every == 0 || step == options.steps)) {
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            std::fprintf(progress, "step %5llu/%llu  loss %.3f bits/%s  %.0f s\n",
                         static_cast<unsigned long long>(step),
                         static_cast<unsigned long long>(options.steps),
                         count > 0 ? nats / count / std::log(2.0) : 0.0, unit, seconds);
            std::fflush(progress);
            nats = count = 0;
        }
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.train_bits = recent_count > 0 ? recent_nats / recent_count / std::log(2.0) : 0.0;
    report.final_bits = held_out();
    return report;
}

}  // namespace tfm::detail
