// The checks of lesson 08, RNN against attention (checks.hpp; how they decide: checks_common.cpp).
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

std::string check_rescale_to_spectral_radius(decltype(&rescale_to_spectral_radius) candidate) {
    // By hand:
    //   B = [[0.5, −2], [2, 0.5]]: λ = 0.5 ± 2i, ρ = √(0.25 + 4) = √4.25 (largest real part 0.5);
    //       rescaled to ρ 1 → B / √4.25.
    //   A = [[1, 4], [0, 2]]: λ = 1, 2, ρ = 2 (but ‖A‖₂ ≈ 4.27, ‖A‖_F = √21, max entry 4);
    //       rescaled to ρ 0.5 → A / 4.
    const arma::mat b = {{0.5, -2}, {2, 0.5}}, a = {{1, 4}, {0, 2}};
    struct Case {
        const arma::mat* m;
        double rho, radius;
    };
    for (const Case& c : {Case{&b, 1.0, std::sqrt(4.25)}, Case{&a, 0.5, 2.0}}) {
        const arma::mat& m = *c.m;
        const arma::mat hand = m * (c.rho / c.radius);
        arma::mat got;
        std::string why = attempt([&] { got = candidate(m, c.rho); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, hand)) continue;
        const arma::mat lower_sym = arma::symmatl(m);
        const arma::cx_vec eig = arma::eig_gen(m);
        why = first_match(
            got,
            {{"the largest real part of the eigenvalues was used: ρ is the largest modulus |λ|, "
              "and the eigenvalues of a non-symmetric matrix can be complex",
              m * (c.rho / arma::max(arma::real(eig)))},
             {"divided by the largest singular value norm(W, 2), not the spectral radius max |λ|",
              m * (c.rho / arma::norm(m, 2))},
             {"divided by the Frobenius norm, not the spectral radius max |λ|",
              m * (c.rho / arma::norm(m, "fro"))},
             {"divided by the largest |entry|, not the spectral radius max |λ|",
              m * (c.rho / arma::abs(m).max())},
             {"eig_sym assumes a symmetric matrix (it reads one triangle): W is not symmetric, use "
              "eig_gen",
              m * (c.rho / arma::abs(arma::eig_sym(lower_sym)).max())},
             {"the ratio is upside down: multiply by rho / ρ(W)", m * (c.radius / c.rho)}});
        if (!why.empty()) return why;
        return "rescaling " + dims(m) + " to ρ = " + num(c.rho) +
               " differs from W·ρ/max|λ| (max|λ| = " + num(c.radius) + "): " +
               (arma::size(got) == arma::size(m) ? difference(hand, got) : "returned " + dims(got));
    }

    // A random non-symmetric 6 × 6, against the core and the definition.
    tfm::set_seed(113);
    const arma::mat w = tfm::normal(6, 6);
    const arma::mat expected = tfm::rescale_to_spectral_radius(w, 0.9);
    if (std::abs(arma::abs(arma::eig_gen(expected)).max() - 0.9) > 1e-10)
        return "the course's rescale_to_spectral_radius misses ρ = 0.9 (a bug in src/, not in your "
               "code)";
    arma::mat got;
    std::string why = attempt([&] { got = candidate(w, 0.9); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected))
        return "rescaling a random [6 × 6] to ρ = 0.9 differs from the course's: " +
               (arma::size(got) == arma::size(w) ? difference(expected, got)
                                                 : "returned " + dims(got));

    // What cannot be done must be refused, not returned as ∞ or NaN.
    const arma::mat nilpotent = {{0, 1}, {0, 0}};
    const std::vector<std::pair<std::string, std::function<void()>>> refusals = {
        {"rho = 0 was accepted: a spectral radius must be > 0 (throw)",
         [&] { got = candidate(w, 0.0); }},
        {"rho = −1 was accepted: a spectral radius must be > 0 (throw)",
         [&] { got = candidate(w, -1.0); }},
        {"a nilpotent matrix (ρ = 0, e.g. [[0, 1], [0, 0]]) was rescaled: it has no scale to "
         "change, throw instead of dividing by 0",
         [&] { got = candidate(nilpotent, 1.0); }}};
    for (const auto& refusal : refusals) {
        // (Named, not a structured binding: C++17 lets no lambda capture one; clang says so.)
        const auto& diagnosis = refusal.first;
        const auto& call = refusal.second;
        bool refused = true;
        why = attempt(
            [&] {
                call();
                refused = false;
            },
            [](const std::string&) { return std::string(); });
        if (!why.empty()) return why;
        if (!refused) return diagnosis;
    }
    return "";
}

std::string check_rnn_step_backward(decltype(&rnn_step_backward) candidate) {
    // d_in 3, d_hidden 4: every gradient has its own shape. The truth is the core's
    // rnn_step_backward, itself checked by finite differences of L = h_t · dhᵀ.
    tfm::set_seed(114);
    const arma::mat w_hh = 0.6 * tfm::normal(4, 4), w_xh = 0.6 * tfm::normal(4, 3),
                    b = 0.2 * tfm::normal(1, 4);
    const arma::rowvec h_prev = arma::tanh(arma::rowvec(tfm::normal(1, 4))),
                       x_t = tfm::normal(1, 3);
    const arma::rowvec dh = tfm::normal(1, 4);
    const auto product_error = [](const std::string& what) {
        return product_hint(what,
                            "a product does not fit: with a_t = h_{t−1}·w_hhᵀ + x_t·w_xhᵀ + b, "
                            "dh_{t−1} = da·w_hh [1 × d_hidden], dx = da·w_xh [1 × d_in], "
                            "dw_hh = daᵀ·h_{t−1}, dw_xh = daᵀ·x_t");
    };

    for (tfm::RnnActivation act : {tfm::RnnActivation::tanh, tfm::RnnActivation::linear}) {
        const bool is_tanh = act == tfm::RnnActivation::tanh;
        const auto step = [&](const arma::mat& whh, const arma::mat& wxh, const arma::mat& bias,
                              const arma::mat& hp, const arma::mat& x) {
            const arma::mat a = hp * whh.t() + x * wxh.t() + bias;
            return is_tanh ? arma::mat(arma::tanh(a)) : a;
        };
        const arma::rowvec h_t = tfm::rnn_step(w_hh, w_xh, b, act, h_prev, x_t);
        const tfm::RnnStepGrads want =
            tfm::rnn_step_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh);
        const auto loss = [&](const arma::mat& v) { return arma::accu(v % arma::mat(dh)); };
        const bool core_ok =
            relative_error(want.dh_prev, central_differences(
                                             [&](const arma::mat& v) {
                                                 return loss(step(w_hh, w_xh, b, v, x_t));
                                             },
                                             h_prev)) <= kGradTolerance &&
            relative_error(want.dx, central_differences(
                                        [&](const arma::mat& v) {
                                            return loss(step(w_hh, w_xh, b, h_prev, v));
                                        },
                                        x_t)) <= kGradTolerance &&
            relative_error(want.dw_hh, central_differences(
                                           [&](const arma::mat& v) {
                                               return loss(step(v, w_xh, b, h_prev, x_t));
                                           },
                                           w_hh)) <= kGradTolerance &&
            relative_error(want.dw_xh, central_differences(
                                           [&](const arma::mat& v) {
                                               return loss(step(w_hh, v, b, h_prev, x_t));
                                           },
                                           w_xh)) <= kGradTolerance &&
            relative_error(want.dbias, central_differences(
                                           [&](const arma::mat& v) {
                                               return loss(step(w_hh, w_xh, v, h_prev, x_t));
                                           },
                                           b)) <= kGradTolerance;
        if (!core_ok)
            return "the course's rnn_step_backward disagrees with finite differences (a bug in "
                   "src/, not in your code)";

        tfm::RnnStepGrads got;
        std::string why =
            attempt([&] { got = candidate(w_hh, w_xh, act, h_prev, x_t, h_t, dh); }, product_error);
        if (!why.empty()) return why;
        const std::string when = is_tanh ? " (tanh)" : " (linear activation)";
        // dbias = da shows how the activation's derivative was taken.
        if (!same(got.dbias, want.dbias)) {
            if (arma::size(got.dbias) != arma::size(want.dbias))
                return "dbias is " + dims(got.dbias) + when + ", expected " + dims(want.dbias) +
                       ": it is da";
            if (is_tanh) {
                why = first_match(
                    got.dbias,
                    {{"tanh′ is missing: da = dh ⊙ (1 − h_t²)", dh},
                     {"tanh′ was computed from h_{t−1}: it is 1 − h_t², from this step's output",
                      dh % (1 - arma::square(h_prev))},
                     {"tanh was applied twice: h_t is already tanh(a_t), so tanh′ = 1 − h_t²",
                      dh % (1 - arma::square(arma::tanh(h_t)))},
                     {"tanh′ is 1 − h_t², not 1 − h_t", dh % (1 - h_t)}});
                if (!why.empty()) return why;
            } else if (same(got.dbias, dh % (1 - arma::square(h_t)))) {
                return "with the linear activation act′ = 1: da = dh, no tanh′";
            }
            return "dbias (= da) differs" + when + ": " + difference(want.dbias, got.dbias);
        }
        const arma::rowvec da = want.dbias;
        struct Field {
            const char* name;
            const arma::mat got, want;
            std::vector<Mistake> mistakes;
        };
        const std::vector<Field> fields = {
            {"dh_prev",
             got.dh_prev,
             want.dh_prev,
             {{"dh_{t−1} used w_hhᵀ: the forward multiplies h_{t−1} by w_hhᵀ, so the gradient "
               "flows back through w_hh (dh_{t−1} = da·w_hh)",
               da * w_hh.t()},
              {"dh_{t−1} skipped the activation's derivative: dh_{t−1} = da·w_hh with da = dh ⊙ "
               "act′",
               dh * w_hh}}},
            {"dx",
             got.dx,
             want.dx,
             {{"dx skipped the activation's derivative: dx = da·w_xh", dh * w_xh}}},
            {"dw_hh",
             got.dw_hh,
             want.dw_hh,
             {{"dw_hh is transposed: it is daᵀ·h_{t−1} (row i for hidden unit i, as w_hh)",
               h_prev.t() * da},
              {"dw_hh used h_t instead of h_{t−1}: dw_hh = daᵀ·h_{t−1}", da.t() * h_t}}},
            {"dw_xh", got.dw_xh, want.dw_xh, {}},
        };
        for (const Field& f : fields) {
            if (same(f.got, f.want)) continue;
            if (arma::size(f.got) != arma::size(f.want))
                return std::string(f.name) + " is " + dims(f.got) + when + ", expected " +
                       dims(f.want) + " (a gradient has its parameter's shape)";
            why = first_match(f.got, f.mistakes);
            if (!why.empty()) return why + when;
            return std::string(f.name) + " differs from finite differences" + when + ": " +
                   difference(f.want, f.got);
        }
    }
    return "";
}

}  // namespace ex
