// Data parallelism for the trainings of lessons 11–14 (the GPT, BERT, the positions models,
// the ViT), as train/data_parallel.hpp does it for the encoder–decoder: a step's batch is
// cut into `parts` runs of consecutive examples; part 0 goes through the model itself, part p ≥ 1
// through replica p − 1 (a copy of the model, its parameters refreshed first), each part on
// its own thread when the machine has the cores.
//
// A step takes two rounds, because the loss is a mean over the whole batch's counted
// positions (BERT's masked characters differ in number from part to part):
//   1. every part: forward, and its summed loss, count and dlogits;
//   2. every part: dlogits / (the whole batch's count), then backward.
// Then the replicas' gradients are added into the model's, in part order. Each part of a
// model with dropout (set_dropout) draws its masks from a generator of its own
// (seed · 7919 + 17 + p). The cut, the
// generators and the order of the sum depend on `parts` only, never on the cores, so the
// result is the same bit for bit with threads or without, on any machine.
//
// The threads are train/data_parallel.hpp's PartThreads: while they exist, OpenBLAS runs
// every product on the thread that called it (the cores belong to the parts).
#pragma once
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/params.hpp"
#include "train/cross_entropy.hpp"
#include "train/data_parallel.hpp"  // PartThreads

#include <random>
#include <type_traits>
#include <vector>

namespace tfm {

namespace detail {
template <class Model, class = void>
struct HasDropout : std::false_type {};
template <class Model>
struct HasDropout<Model, std::void_t<decltype(std::declval<Model&>().set_dropout(
                             0.0, static_cast<std::mt19937_64*>(nullptr)))>> : std::true_type {};
}  // namespace detail

struct StepLoss {
    double total = 0;       // summed loss over the batch's counted positions
    arma::uword count = 0;  // those positions
};

template <class Model>
class BatchParts {
public:
    // 1 ≤ parts ≤ 64; threads = false runs the parts one after another (the same result).
    BatchParts(Model& model, arma::uword parts, std::uint64_t seed, bool threads = true)
        : model_(model), threads_(checked(parts), threads) {
        replicas_.reserve(parts - 1);
        for (arma::uword p = 1; p < parts; ++p) replicas_.push_back(model);
        for (arma::uword p = 0; p < parts; ++p) rngs_.emplace_back(seed * 7919 + 17 + p);
        params_.push_back(model_.params());
        for (Model& replica : replicas_) params_.push_back(replica.params());
    }
    BatchParts(const BatchParts&) = delete;
    BatchParts& operator=(const BatchParts&) = delete;

    arma::uword parts() const { return replicas_.size() + 1; }

    // The batch's mean gradient ADDED into the model's gradients (zero them first), with
    // dropout at `dropout` in every part (0 for a model without dropout).
    // loss(model, examples) gives the summed loss, count and unscaled dlogits of `examples`
    // on `model`.
    template <class Example, class Loss>
    StepLoss step(const std::vector<Example>& batch, double dropout, Loss loss) {
        const std::size_t n = batch.size();
        require(n > 0, [] { return tr("an empty batch"); });
        require(dropout == 0.0 || detail::HasDropout<Model>::value,
                "BatchParts::step: this model has no dropout");
        const std::size_t used = std::min<std::size_t>(parts(), n);
        std::vector<CrossEntropy> ce(used);

        // Round 1: part p's examples [p·n/used, (p+1)·n/used) forward, and their loss.
        threads_.run(used, [&](std::size_t p) {
            Model& m = part_model(p);
            if (p > 0) {  // only reads the model, which part 0 also only reads here
                for (std::size_t i = 0; i < params_[0].size(); ++i)
                    *params_[p][i].value = *params_[0][i].value;
                m.zero_grad();
            }
            if constexpr (detail::HasDropout<Model>::value) m.set_dropout(dropout, &rngs_[p]);
            const auto first = batch.begin() + static_cast<std::ptrdiff_t>(p * n / used);
            const auto last = batch.begin() + static_cast<std::ptrdiff_t>((p + 1) * n / used);
            ce[p] = loss(m, std::vector<Example>(first, last));
        });
        StepLoss out;
        for (const CrossEntropy& c : ce) {
            out.total += c.total;
            out.count += c.count;
        }
        // Round 2: the mean over the whole batch, backward.
        threads_.run(used, [&](std::size_t p) {
            Model& m = part_model(p);
            if (out.count > 0) ce[p].dlogits /= static_cast<double>(out.count);
            m.backward(ce[p].dlogits);
            if constexpr (detail::HasDropout<Model>::value) m.set_dropout(0, nullptr);
        });
        for (std::size_t p = 1; p < used; ++p)
            for (std::size_t i = 0; i < params_[0].size(); ++i)
                *params_[0][i].grad += *params_[p][i].grad;
        return out;
    }

private:
    Model& part_model(std::size_t p) { return p == 0 ? model_ : replicas_[p - 1]; }

    static arma::uword checked(arma::uword parts) {
        require(parts >= 1 && parts <= 64, tr("{1} must be from 1 to {2}", "parts", 64));
        return parts;
    }

    Model& model_;
    std::vector<Model> replicas_;        // parts − 1 copies
    std::vector<std::mt19937_64> rngs_;  // one dropout generator per part
    std::vector<ParamList> params_;      // the model's, then each replica's
    PartThreads threads_;
};

}  // namespace tfm
