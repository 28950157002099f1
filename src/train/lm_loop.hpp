// The training loop lessons 11 and 12 share (train_lm, train_mlm): Adam with AdamW's
// decay, the 2017 schedule, clipping, dropout in the steps only, each batch cut into
// options.parts parts run side by side (train/batch_parts.hpp), and plain progress lines.
// Each caller gives its own batches, its own loss and its own held-out figure.
#pragma once
#include "core/i18n.hpp"
#include "core/params.hpp"
#include "io/table.hpp"
#include "train/adam.hpp"
#include "train/batch_parts.hpp"
#include "train/cross_entropy.hpp"
#include "train/lm.hpp"
#include "train/schedule.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>

namespace tfm::detail {

// A step number of a progress line, right-aligned in five columns: 40 → "   40".
inline std::string step_number(arma::uword step) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%5llu", static_cast<unsigned long long>(step));
    return buf;
}

// make_batch(step): step's examples. loss(model, examples): their forward pass on `model`
// (the model or a replica), summed loss, count and dlogits. held_out(): the held-out figure
// in bits, on the model alone. unit: what the bits are per, an N_ literal (N_("char")),
// translated when printed.
template <class Model, class MakeBatch, class Loss, class HeldOut>
LmTrainReport run_lm_training(Model& model, const LmTrainOptions& options, MakeBatch make_batch,
                              Loss loss, HeldOut held_out, const char* unit, std::FILE* progress) {
    using Clock = std::chrono::steady_clock;
    LmTrainReport report;
    report.initial_bits = held_out();
    const ParamList params = model.params();
    AdamOptions adam_options;
    adam_options.weight_decay = options.weight_decay;
    Adam adam(params, adam_options);
    const arma::uword every = std::max<arma::uword>(1, options.steps / 10);
    const Clock::time_point start = Clock::now();
    double nats = 0, count = 0, recent_nats = 0, recent_count = 0;
    auto parts = std::make_unique<BatchParts<Model>>(model, options.parts, options.seed);
    for (arma::uword step = 1; step <= options.steps; ++step) {
        model.zero_grad();
        const StepLoss ce = parts->step(make_batch(step), options.dropout, loss);
        if (options.clip_norm > 0) clip_grad_norm(params, options.clip_norm);
        adam.step(noam_rate(step, model.config.d_model, options.warmup, options.lr_scale));
        nats += ce.total;
        count += static_cast<double>(ce.count);
        if (step > options.steps - every) {
            recent_nats += ce.total;
            recent_count += static_cast<double>(ce.count);
        }
        if (progress != nullptr && options.eval_every > 0 && step % options.eval_every == 0)
            std::fprintf(progress, "%s\n",
                         tr("step {1}  held-out {2} bits/{3}", step_number(step),
                            printf_number(held_out(), "%.3f"), tr(unit))
                             .c_str());
        if (progress != nullptr && (step % every == 0 || step == options.steps)) {
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            std::fprintf(
                progress, "%s\n",
                tr("step {1}/{2}  loss {3} bits/{4}  {5} s", step_number(step), options.steps,
                   printf_number(count > 0 ? nats / count / std::log(2.0) : 0.0, "%.3f"), tr(unit),
                   printf_number(seconds, "%.0f"))
                    .c_str());
            std::fflush(progress);
            nats = count = 0;
        }
    }
    parts.reset();  // OpenBLAS's threads back for the last held-out figure
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.train_bits = recent_count > 0 ? recent_nats / recent_count / std::log(2.0) : 0.0;
    report.final_bits = held_out();
    return report;
}

}  // namespace tfm::detail
