// The checks of lesson 02, Q, K and V (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "model/transformer.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder_layer.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/activation.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"
#include "rnn/spectral.hpp"
#include "rnn/vanilla_rnn.hpp"
#include "train/adam.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace ex {

using namespace check;

std::string check_linear(decltype(&linear) candidate) {
    // Hand: x [3 × 2], weight [4 × 2] (out 4, in 2), bias [1 × 4].
    //   row [1, 2]:  x·Wᵀ = [1, 2, 3, 0]  + b → [11, 22, 33, 40]
    //   row [3, −1]: x·Wᵀ = [3, −1, 2, 7] + b → [13, 19, 32, 47]
    //   row [0, 1]:  x·Wᵀ = [0, 1, 1, −1] + b → [10, 21, 31, 39]
    const arma::mat x = {{1, 2}, {3, -1}, {0, 1}};
    const arma::mat w = {{1, 0}, {0, 1}, {1, 1}, {2, -1}};
    const arma::mat b = {{10, 20, 30, 40}};
    const arma::mat hand = {{11, 22, 33, 40}, {13, 19, 32, 47}, {10, 21, 31, 39}};
    const auto explain = [](const std::string& what) {
        return product_hint(what,
                            "a product does not fit: weight is stored [out × in] "
                            "(PyTorch's layout), so y = x·Wᵀ, not x·W");
    };

    arma::mat got;
    std::string why = attempt([&] { got = candidate(x, w, b); }, explain);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        why = first_match(got,
                          {{"the bias was not added", x * w.t()},
                           {"the bias was subtracted instead of added", plus_row(x * w.t(), -b)}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected [n × out] = " + dims(hand);
        return "y = x·Wᵀ + b differs from the hand-computed values: " + difference(hand, got);
    }

    // Square weights (in = out = 5) let x·W run, so only its values can tell.
    tfm::set_seed(103);
    const arma::mat xs = tfm::normal(3, 5), ws = tfm::normal(5, 5), bs = tfm::normal(1, 5);
    tfm::Linear core(5, 5);
    core.weight = ws;
    core.bias = bs;
    const arma::mat expected = core.forward(xs);
    why = attempt([&] { got = candidate(xs, ws, bs); }, explain);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(got, {{"multiplied by W instead of Wᵀ: weight is stored [out × in] "
                                 "(PyTorch's layout), so y = x·Wᵀ + b",
                                 plus_row(xs * ws, bs)}});
        if (!why.empty()) return why;
        return "differs from the course's Linear on a random [5 × 5] weight: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got)
                                                        : "returned " + dims(got));
    }
    return "";
}

std::string check_qkv_projections(decltype(&qkv_projections) candidate) {
    // x [5 × 6]; Wq, Wk, Wv [4 × 6] (d_model 6 → 4): not square, so a missing
    // transpose cannot run, and the same shape for all three, so a swapped weight can.
    tfm::set_seed(104);
    const arma::mat x = tfm::normal(5, 6);
    const tfm::Linear wq(6, 4), wk(6, 4), wv(6, 4);
    tfm::Linear cq = wq, ck = wk, cv = wv;
    const arma::mat q = cq.forward(x), k = ck.forward(x), v = cv.forward(x);
    const auto own = [&](const tfm::Linear& layer) {
        return plus_row(x * layer.weight.t(), layer.bias);
    };
    if (!same(q, own(wq)) || !same(k, own(wk)) || !same(v, own(wv)))
        return "the course's Linear disagrees with x·Wᵀ + b (a bug in src/, not in your code)";

    Projections got;
    std::string why =
        attempt([&] { got = candidate(x, wq, wk, wv); },
                [](const std::string& what) {
                    return product_hint(what,
                                        "a product does not fit: each weight is [out × in], so "
                                        "Q = x·Wqᵀ + bq (and K, V alike)");
                });
    if (!why.empty()) return why;
    const std::vector<std::pair<const char*, const tfm::Linear*>> layers = {
        {"Wq", &wq}, {"Wk", &wk}, {"Wv", &wv}};
    const std::vector<std::pair<const char*, const arma::mat*>> results = {
        {"Q", &got.q}, {"K", &got.k}, {"V", &got.v}};
    const std::vector<const arma::mat*> expected = {&q, &k, &v};
    for (size_t i = 0; i < 3; ++i) {
        const arma::mat& result = *results[i].second;
        if (same(result, *expected[i])) continue;
        const std::string name = results[i].first;
        for (size_t j = 0; j < 3; ++j)
            if (j != i && same(result, own(*layers[j].second)))
                return name + " was computed with " + layers[j].first +
                       ": each of Q, K, V has its own weights";
        const tfm::Linear& mine = *layers[i].second;
        if (same(result, x * mine.weight.t())) return "the biases were not added to " + name;
        if (arma::size(result) != arma::size(*expected[i]))
            return name + " is " + dims(result) + ", expected " + dims(*expected[i]) +
                   " (x [n × d_model] times Wᵀ [d_model × out])";
        return name + " differs from x·" + layers[i].first +
               "ᵀ + b: " + difference(*expected[i], result);
    }
    return "";
}

}  // namespace ex
