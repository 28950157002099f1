// The checks of lesson 05, the FFN and LayerNorm (checks.hpp; how they decide: checks_common.cpp).
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

namespace {

// LayerNorm with optional mistakes (weight/bias [1 × d]).
enum class LnMistake {
    none,
    eps_outside,
    sample_variance,
    over_columns,
    no_affine,
    no_eps,
    variance_not_std,
    swapped_affine
};
arma::mat model_layer_norm(const arma::mat& x, const arma::mat& weight, const arma::mat& bias,
                           double eps, LnMistake m = LnMistake::none) {
    const arma::mat in = m == LnMistake::over_columns ? arma::mat(x.t()) : x;
    const double d = static_cast<double>(in.n_cols);
    const arma::vec mean = arma::sum(in, 1) / d;
    const arma::mat centered = in.each_col() - mean;
    const double divisor = m == LnMistake::sample_variance ? d - 1 : d;
    const arma::vec var = arma::sum(arma::square(centered), 1) / divisor;
    arma::vec denom = arma::sqrt(var + eps);
    if (m == LnMistake::eps_outside) denom = arma::sqrt(var) + eps;
    if (m == LnMistake::no_eps) denom = arma::sqrt(var);
    if (m == LnMistake::variance_not_std) denom = var + eps;
    arma::mat xhat = centered.each_col() / denom;
    if (m == LnMistake::over_columns) xhat = arma::mat(xhat.t());
    if (m == LnMistake::no_affine) return xhat;
    const arma::mat& scale = m == LnMistake::swapped_affine ? bias : weight;
    const arma::mat& shift = m == LnMistake::swapped_affine ? weight : bias;
    arma::mat y = xhat.each_row() % scale;
    y.each_row() += shift;
    return y;
}

}  // namespace

std::string check_layer_norm(decltype(&layer_norm) candidate) {
    // By hand with eps = 1 (large, so where ε goes shows), weight 1, bias 0:
    //   [1, 2, 3, 4]: μ 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, √(1.25 + 1) = 1.5
    //                 → [−1, −1/3, 1/3, 1]
    //   [2, 2, 2, 6]: μ 3, σ² = (1 + 1 + 1 + 9)/4 = 3, √(3 + 1) = 2 → [−0.5, −0.5, −0.5, 1.5]
    //   [7, 7, 7, 7]: σ² = 0 → [0, 0, 0, 0] (ε keeps it from 0/0)
    // Three rows and four features, so normalising the columns gives other numbers.
    const arma::mat x = {{1, 2, 3, 4}, {2, 2, 2, 6}, {7, 7, 7, 7}};
    const arma::mat ones(1, 4, arma::fill::ones), zeros(1, 4, arma::fill::zeros);
    const arma::mat hand = {{-1, -1.0 / 3, 1.0 / 3, 1}, {-0.5, -0.5, -0.5, 1.5}, {0, 0, 0, 0}};
    // Then weight [1, 2, 3, 4] and bias [0, 1, 0, −1] scale and shift each column.
    const arma::mat weight = {{1, 2, 3, 4}}, bias = {{0, 1, 0, -1}};
    arma::mat hand_affine = hand.each_row() % weight;
    hand_affine.each_row() += bias;

    arma::mat got;
    std::string why = attempt([&] { got = candidate(x, ones, zeros, 1.0); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (arma::size(got) != arma::size(x))
            return "returned " + dims(got) + ", expected " + dims(x) + " (the input's shape)";
        const auto with = [&](LnMistake m) { return model_layer_norm(x, ones, zeros, 1.0, m); };
        why = first_match(
            got,
            {{"ε added outside the square root: divide by √(σ² + ε), not √σ² + ε",
              with(LnMistake::eps_outside)},
             {"variance divided by d_model − 1 (the sample variance): LayerNorm divides by d_model",
              with(LnMistake::sample_variance)},
             {"normalised over columns (dim = 0, across tokens) instead of over each row's "
              "features (dim = 1)",
              with(LnMistake::over_columns)},
             {"ε was left out: divide by √(σ² + ε)", with(LnMistake::no_eps)},
             {"divided by the variance σ² + ε instead of the standard deviation √(σ² + ε)",
              with(LnMistake::variance_not_std)}});
        if (!why.empty()) return why;
        if (!got.is_finite())
            return "a row of equal values gives NaN: with σ² = 0 the denominator is √ε, not 0";
        return "the normalised rows differ from the hand-computed values (eps = 1): " +
               difference(hand, got);
    }
    why = attempt([&] { got = candidate(x, weight, bias, 1.0); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand_affine)) {
        why =
            first_match(got, {{"weight and bias were not applied: y = x̂ ⊙ weight + bias",
                               model_layer_norm(x, weight, bias, 1.0, LnMistake::no_affine)},
                              {"weight and bias swapped: y = x̂ ⊙ weight + bias",
                               model_layer_norm(x, weight, bias, 1.0, LnMistake::swapped_affine)}});
        if (!why.empty()) return why;
        return "with weight [1, 2, 3, 4] and bias [0, 1, 0, −1], y = x̂ ⊙ weight + bias differs: " +
               (arma::size(got) == arma::size(hand_affine) ? difference(hand_affine, got)
                                                           : "returned " + dims(got));
    }

    // Random, PyTorch's eps, against the core: 5 tokens, d_model 6.
    tfm::set_seed(109);
    const arma::mat xr = 3.0 * tfm::normal(5, 6) + 1.0, wr = tfm::normal(1, 6),
                    br = tfm::normal(1, 6);
    tfm::LayerNorm core(6, 1e-5);
    core.weight = wr;
    core.bias = br;
    const arma::mat expected = core.forward(xr);
    if (!same(expected, model_layer_norm(xr, wr, br, 1e-5)))
        return "the course's LayerNorm disagrees with the formula (a bug in src/, not in your "
               "code)";
    why = attempt([&] { got = candidate(xr, wr, br, 1e-5); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(
            got, {{"eps is ignored: use the eps argument (here 1e-5), not a constant of your own",
                   model_layer_norm(xr, wr, br, 1.0)}});
        if (!why.empty()) return why;
        return "differs from the course's LayerNorm on random [5 × 6] input: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got)
                                                        : "returned " + dims(got));
    }
    return "";
}

std::string check_feed_forward(decltype(&feed_forward) candidate) {
    // By hand, ReLU: d_model 2, d_ff 3, three tokens.
    //   W1 = [[1, 0], [0, 1], [1, 1]], b1 = [0, 0, 1];  W2 = [[1, 1, 1], [1, −1, 2]], b2 = [0.5, 0]
    //   [1, −1]:  hidden [1, −1, 1] → ReLU [1, 0, 1]     → [1 + 0 + 1, 1 − 0 + 2] + b2 = [2.5, 3]
    //   [0.5, 2]: hidden [0.5, 2, 3.5] (all > 0)         → [6, 5.5] + b2 = [6.5, 5.5]
    //   [−2, −1]: hidden [−2, −1, −2] → ReLU [0, 0, 0]   → b2 = [0.5, 0]
    const arma::mat x = {{1, -1}, {0.5, 2}, {-2, -1}};
    const arma::mat w1 = {{1, 0}, {0, 1}, {1, 1}}, b1 = {{0, 0, 1}};
    const arma::mat w2 = {{1, 1, 1}, {1, -1, 2}}, b2 = {{0.5, 0}};
    const arma::mat hand = {{2.5, 3}, {6.5, 5.5}, {0.5, 0}};
    const auto explain = [](const std::string& what) {
        return product_hint(what,
                            "a product does not fit: W1 is [d_ff × d_model] and W2 "
                            "[d_model × d_ff], so FFN(x) = act(x·W1ᵀ + b1)·W2ᵀ + b2");
    };
    // The usual mistakes, on any inputs.
    const auto mistakes = [](const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                             const arma::mat& w2, const arma::mat& b2, tfm::Activation act) {
        const auto f = [act](const arma::mat& h) {
            return act == tfm::Activation::relu ? relu(h) : gelu(h);
        };
        const auto other = [act](const arma::mat& h) {
            return act == tfm::Activation::relu ? gelu(h) : relu(h);
        };
        const arma::mat pre = plus_row(x * w1.t(), b1);
        const std::string act_name = act == tfm::Activation::relu ? "ReLU" : "GELU";
        std::vector<Mistake> list = {
            {act_name + " applied after the second linear instead of between the two",
             f(plus_row(pre * w2.t(), b2))},
            {act_name + " applied after both linears: only the hidden layer (after W1) gets it",
             f(plus_row(f(pre) * w2.t(), b2))},
            {"no activation between the two linears: FFN(x) = act(x·W1ᵀ + b1)·W2ᵀ + b2",
             plus_row(pre * w2.t(), b2)},
            {"the biases were not added", f(x * w1.t()) * w2.t()},
            {"the activation argument is ignored: " + act_name + " was asked for",
             plus_row(other(pre) * w2.t(), b2)}};
        if (act == tfm::Activation::gelu)
            list.push_back(
                {"GELU approximated with tanh: the course uses the exact form "
                 "x·Φ(x) = x·½(1 + erf(x/√2))",
                 plus_row(gelu_tanh(pre) * w2.t(), b2)});
        return list;
    };

    arma::mat got;
    std::string why =
        attempt([&] { got = candidate(x, w1, b1, w2, b2, tfm::Activation::relu); }, explain);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        why = first_match(got, mistakes(x, w1, b1, w2, b2, tfm::Activation::relu));
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected [n × d_model] = " + dims(hand);
        return "FFN with ReLU differs from the hand-computed values: " + difference(hand, got);
    }

    // Random, against the core: 4 tokens, d_model 3, d_ff 6, ReLU and GELU.
    tfm::set_seed(110);
    const arma::mat xr = tfm::normal(4, 3);
    for (tfm::Activation act : {tfm::Activation::relu, tfm::Activation::gelu}) {
        tfm::FeedForward core(3, 6, act);
        const arma::mat rw1 = core.linear1.weight, rb1 = core.linear1.bias;
        const arma::mat rw2 = core.linear2.weight, rb2 = core.linear2.bias;
        const arma::mat expected = core.forward(xr);
        const auto f = [act](const arma::mat& h) {
            return act == tfm::Activation::relu ? relu(h) : gelu(h);
        };
        if (!same(expected, plus_row(f(plus_row(xr * rw1.t(), rb1)) * rw2.t(), rb2)))
            return "the course's FeedForward disagrees with the formula (a bug in src/, not in "
                   "your code)";
        why = attempt([&] { got = candidate(xr, rw1, rb1, rw2, rb2, act); }, explain);
        if (!why.empty()) return why;
        if (same(got, expected)) continue;
        why = first_match(got, mistakes(xr, rw1, rb1, rw2, rb2, act));
        if (!why.empty()) return why;
        return "differs from the course's FFN with " + tfm::to_string(act) + " on random input: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got)
                                                        : "returned " + dims(got));
    }
    return "";
}

std::string check_layer_norm_backward(decltype(&layer_norm_backward) candidate) {
    // Random x [3 × 5] (3 tokens ≠ 5 features), weight [1 × 5], eps 1e-5, dy [3 × 5];
    // the truth is the core's backward, itself checked by finite differences of
    // L = Σ LN(x) ⊙ dy through the independent model above.
    tfm::set_seed(112);
    const arma::mat x = 2.0 * tfm::normal(3, 5) + 1.0, weight = tfm::normal(1, 5),
                    dy = tfm::normal(3, 5);
    const arma::mat bias = tfm::normal(1, 5);
    const double eps = 1e-5;
    tfm::LayerNorm core(5, eps);
    core.weight = weight;
    core.bias = bias;
    core.forward(x);
    const arma::mat dx = core.backward(dy), dweight = core.weight_grad, dbias = core.bias_grad;
    const auto loss_x = [&](const arma::mat& v) {
        return arma::accu(model_layer_norm(v, weight, bias, eps) % dy);
    };
    const auto loss_w = [&](const arma::mat& v) {
        return arma::accu(model_layer_norm(x, v, bias, eps) % dy);
    };
    const auto loss_b = [&](const arma::mat& v) {
        return arma::accu(model_layer_norm(x, weight, v, eps) % dy);
    };
    if (relative_error(dx, central_differences(loss_x, x)) > kGradTolerance ||
        relative_error(dweight, central_differences(loss_w, weight)) > kGradTolerance ||
        relative_error(dbias, central_differences(loss_b, bias)) > kGradTolerance)
        return "the course's LayerNorm backward disagrees with finite differences (a bug in src/, "
               "not in your code)";

    LayerNormGrads got;
    std::string why = attempt([&] { got = candidate(x, weight, eps, dy); }, threw_on_valid_input);
    if (!why.empty()) return why;

    // The usual mistakes, from the forward's pieces.
    const arma::vec mean = arma::mean(x, 1);
    const arma::mat centered = x.each_col() - mean;
    const arma::vec inv_std = 1.0 / arma::sqrt(arma::mean(arma::square(centered), 1) + eps);
    const arma::mat xhat = centered.each_col() % inv_std;
    const arma::mat dxhat = dy.each_row() % weight;
    const auto finish = [&](const arma::mat& dxh, bool mean_term, bool var_term) {
        arma::mat out = dxh;
        if (mean_term) out.each_col() -= arma::mean(dxh, 1);
        if (var_term) out -= xhat.each_col() % arma::vec(arma::mean(dxh % xhat, 1));
        return arma::mat(out.each_col() % inv_std);
    };
    const std::string statistics =
        "dx treats μ and σ² as constants, but both depend on every x of the row: "
        "dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) / √(σ² + ε)";

    if (arma::size(got.dx) != arma::size(x))
        return "dx is " + dims(got.dx) + ", expected " + dims(x) + " (the input's shape)";
    if (!same(got.dx, dx)) {
        why = first_match(
            got.dx,
            {{statistics, finish(dxhat, false, false)},
             {"dx misses the term from σ²: subtract x̂·mean(dx̂ ⊙ x̂) too",
              finish(dxhat, true, false)},
             {"dx misses the term from μ: subtract mean(dx̂) too", finish(dxhat, false, true)},
             {"the weight was left out of dx: dx̂ = dy ⊙ weight", finish(dy, true, true)}});
        if (!why.empty()) return why;
        return "dx differs from finite differences: " + difference(dx, got.dx);
    }
    const auto sums = [](const std::string& name, const arma::mat& m) {
        return name + " is " + dims(m) +
               ": sum over the rows (tokens), one number per feature, [1 × d_model]";
    };
    if (got.dweight.n_rows != 1 || got.dweight.n_cols != 5) return sums("dweight", got.dweight);
    if (got.dbias.n_rows != 1 || got.dbias.n_cols != 5) return sums("dbias", got.dbias);
    if (same(got.dweight, dbias) && same(got.dbias, dweight))
        return "dweight and dbias swapped: dweight = Σ_rows dy ⊙ x̂, dbias = Σ_rows dy";
    if (!same(got.dweight, dweight)) {
        if (same(got.dweight, arma::sum(dy % x, 0)))
            return "dweight used x instead of the normalised x̂: dweight = Σ_rows dy ⊙ x̂";
        return "dweight differs from Σ_rows dy ⊙ x̂: " + difference(dweight, got.dweight);
    }
    if (!same(got.dbias, dbias))
        return "dbias differs from Σ_rows dy: " + difference(dbias, got.dbias);
    return "";
}

}  // namespace ex
