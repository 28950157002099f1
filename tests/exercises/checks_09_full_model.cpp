// The checks of lesson 09, the full model (checks.hpp; how they decide: checks_common.cpp).
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

struct GreedyMistakes {
    bool first_row = false, keep_bos = false, no_append = false, logit = false, no_stop = false,
         drop_eos = false;
    long extra = 0;  // steps beyond (or short of) max_len
};
std::vector<tfm::DecodeStep> model_greedy(tfm::Transformer model, const tfm::TokenIds& src,
                                          arma::uword bos, arma::uword eos, arma::uword max_len,
                                          GreedyMistakes m = {}) {
    const tfm::Encoded encoded = model.encode(src);
    tfm::TokenIds tgt{bos};
    std::vector<tfm::DecodeStep> steps;
    if (m.keep_bos) steps.push_back({bos, 1.0});
    const long limit = static_cast<long>(max_len) + m.extra;
    for (long made = 0; made < limit; ++made) {
        const arma::mat h = model.decode(tgt, encoded.memory, encoded.src_padding);
        const arma::mat logits = model.generate(h.row(m.first_row ? 0 : h.n_rows - 1));
        const arma::mat probs = model_softmax(logits, {});
        const arma::uword token = probs.index_max();
        const tfm::DecodeStep step{token, m.logit ? logits(token) : probs(token)};
        if (token == eos && !m.no_stop) {
            if (!m.drop_eos) steps.push_back(step);
            break;
        }
        steps.push_back(step);
        if (!m.no_append) tgt.push_back(token);
    }
    return steps;
}

bool same(const std::vector<tfm::DecodeStep>& a, const std::vector<tfm::DecodeStep>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].token != b[i].token || !(std::abs(a[i].probability - b[i].probability) <= 1e-9))
            return false;
    return true;
}

std::string tokens(const std::vector<tfm::DecodeStep>& steps) {
    std::string out = "[";
    for (size_t i = 0; i < steps.size(); ++i)
        out += (i ? ", " : "") + std::to_string(steps[i].token);
    return out + "]";
}

}  // namespace

std::string check_greedy_decode(decltype(&greedy_decode) candidate) {
    // A small random model (d_model 8, 2 heads, 2 + 2 layers, 10 source and 11 target
    // tokens); bos 2, eos 3. Seeds are tried until greedy decoding makes 6 tokens, not eos,
    // with at least three different ones, so that reading the wrong row or not appending
    // the chosen token shows in the result.
    tfm::ModelConfig config;
    config.d_model = 8;
    config.num_heads = 2;
    config.d_ff = 16;
    config.src_vocab_size = 10;
    config.tgt_vocab_size = 11;
    const tfm::TokenIds src = {5, 7, 4, 9, 6};
    const arma::uword bos = 2, eos = 3, max_len = 6;
    std::vector<tfm::DecodeStep> expected;
    std::unique_ptr<tfm::Transformer> model;
    for (std::uint64_t seed = 117; seed < 217 && !model; ++seed) {
        tfm::set_seed(seed);
        auto candidate_model = std::make_unique<tfm::Transformer>(config);
        std::vector<tfm::DecodeStep> steps =
            tfm::greedy_decode(*candidate_model, src, bos, eos, max_len);
        std::vector<arma::uword> ids;
        for (const auto& s : steps) ids.push_back(s.token);
        std::sort(ids.begin(), ids.end());
        const size_t distinct = std::unique(ids.begin(), ids.end()) - ids.begin();
        if (steps.size() == max_len && steps.back().token != eos && distinct >= 3) {
            expected = steps;
            model = std::move(candidate_model);
        }
    }
    if (!model) return "no test model found (a bug in the check, not in your code)";
    if (!same(expected, model_greedy(*model, src, bos, eos, max_len)))
        return "the course's greedy_decode disagrees with the loop it describes (a bug in src/, "
               "not in your code)";

    // Case R: the random model, six tokens.
    std::vector<tfm::DecodeStep> got;
    tfm::Transformer given = *model;
    std::string why =
        attempt([&] { got = candidate(given, src, bos, eos, max_len); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        const auto with = [&](GreedyMistakes m) {
            return model_greedy(*model, src, bos, eos, max_len, m);
        };
        GreedyMistakes first, keep, no_append, logit, more, fewer;
        first.first_row = keep.keep_bos = no_append.no_append = logit.logit = true;
        more.extra = 1;
        fewer.extra = -1;
        const std::vector<std::pair<std::string, std::vector<tfm::DecodeStep>>> mistakes = {
            {"the next token was read from the first position's logits: the prediction for the "
             "next token is in the LAST row of the decoder output",
             with(first)},
            {"the result starts with <bos>: return only the generated steps", with(keep)},
            {"the chosen token was not appended to the target: each step decodes everything "
             "generated so far",
             with(no_append)},
            {"the probability recorded is the logit: softmax the last row's logits first",
             with(logit)},
            {"made max_len + 1 tokens: stop after max_len", with(more)},
            {"made max_len − 1 tokens: max_len tokens are allowed", with(fewer)}};
        for (const auto& [diagnosis, steps] : mistakes)
            if (same(got, steps)) return diagnosis;
        if (got.size() == expected.size()) {
            bool tokens_match = true;
            for (size_t i = 0; i < got.size(); ++i)
                tokens_match = tokens_match && got[i].token == expected[i].token;
            if (tokens_match)
                return "the tokens are right but a probability is not softmax(last row's "
                       "logits)[token]";
        }
        return "greedy decoding chose " + tokens(got) + ", expected " + tokens(expected);
    }

    // Case E: eos made certain at the first step — record it, then stop.
    tfm::Transformer eager = *model;
    eager.generator.bias(eos) += 100.0;
    const std::vector<tfm::DecodeStep> e_expected =
        tfm::greedy_decode(eager, src, bos, eos, max_len);
    tfm::Transformer e_given = eager;
    why = attempt([&] { got = candidate(e_given, src, bos, eos, max_len); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, e_expected)) {
        GreedyMistakes no_stop, drop;
        no_stop.no_stop = drop.drop_eos = true;
        if (same(got, model_greedy(eager, src, bos, eos, max_len, no_stop)))
            return "did not stop at <eos>: stop right after recording it";
        if (same(got, model_greedy(eager, src, bos, eos, max_len, drop)))
            return "<eos> must be recorded as the last step before stopping";
        return "when the first token is <eos> (p ≈ 1) the result should be that one step; yours "
               "is " +
               tokens(got);
    }

    // Case M: eos made impossible — exactly max_len tokens; and max_len 0 — none.
    tfm::Transformer never = *model;
    never.generator.bias(eos) -= 100.0;
    for (arma::uword limit : {arma::uword(4), arma::uword(0)}) {
        const std::vector<tfm::DecodeStep> m_expected =
            tfm::greedy_decode(never, src, bos, eos, limit);
        tfm::Transformer m_given = never;
        why =
            attempt([&] { got = candidate(m_given, src, bos, eos, limit); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (!same(got, m_expected))
            return "with max_len " + std::to_string(limit) + " and no <eos> in sight, made " +
                   std::to_string(got.size()) + " tokens " + tokens(got) + ", expected " +
                   tokens(m_expected);
    }
    return "";
}

namespace {

struct AdamResult {
    arma::mat theta, m, v;
};
enum class AdamMistake {
    none,
    no_correction,
    eps_inside,
    v_of_g,
    step_from_zero,
    ascent,
    defaults,
    raw_v_corrected_m
};
AdamResult model_adam(arma::mat theta, const arma::mat& g, arma::mat m, arma::mat v,
                      unsigned long long t, double lr, tfm::AdamOptions o,
                      AdamMistake k = AdamMistake::none) {
    if (k == AdamMistake::defaults) o = tfm::AdamOptions{0.9, 0.98, 1e-9};
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * (k == AdamMistake::v_of_g ? g : arma::mat(arma::square(g)));
    const double step = static_cast<double>(k == AdamMistake::step_from_zero ? t - 1 : t);
    const bool correct = k != AdamMistake::no_correction;
    const arma::mat m_hat = correct ? arma::mat(m / (1 - std::pow(o.beta1, step))) : m;
    const arma::mat v_hat = correct && k != AdamMistake::raw_v_corrected_m
                                ? arma::mat(v / (1 - std::pow(o.beta2, step)))
                                : v;
    const arma::mat denom = k == AdamMistake::eps_inside ? arma::mat(arma::sqrt(v_hat + o.eps))
                                                         : arma::mat(arma::sqrt(v_hat) + o.eps);
    theta += (k == AdamMistake::ascent ? lr : -lr) * m_hat / denom;
    return {theta, m, v};
}

}  // namespace

std::string check_adam_step(decltype(&adam_step) candidate) {
    // By hand, the first step (t = 1) from m = v = 0 with β1 0.9, β2 0.98, ε 1e-9, lr 0.1:
    //   m = 0.1·g, v = 0.02·g², m̂ = g, v̂ = g², so θ moves by −0.1·g/(|g| + ε) ≈ −0.1·sign(g);
    //   g = [0.5, −2, 0] (one entry 0: 0/(0 + ε) = 0, it does not move)
    //   θ [1, 2, 3] → [1 − 0.05/(0.5 + 1e-9), 2 + 0.2/(2 + 1e-9), 3],
    //   m = [0.05, −0.2, 0], v = [0.005, 0.08, 0].
    const tfm::AdamOptions paper{0.9, 0.98, 1e-9};
    const arma::mat g = {{0.5, -2, 0}};
    const arma::mat hand_theta = {{1 - 0.05 / (0.5 + 1e-9), 2 + 0.2 / (2 + 1e-9), 3}};
    const arma::mat hand_m = {{0.05, -0.2, 0}}, hand_v = {{0.005, 0.08, 0}};
    const std::vector<std::pair<AdamMistake, std::string>> mistakes = {
        {AdamMistake::no_correction, "no bias correction: m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ)"},
        {AdamMistake::raw_v_corrected_m, "v was not bias-corrected: v̂ = v / (1 − β2ᵗ)"},
        {AdamMistake::eps_inside, "ε added inside the square root: the denominator is √v̂ + ε"},
        {AdamMistake::v_of_g, "v must average the squared gradient g² (element-wise), not g"},
        {AdamMistake::step_from_zero, "bias correction used t − 1: t is 1 at the first step"},
        {AdamMistake::ascent, "θ moved up the gradient: subtract lr · m̂ / (√v̂ + ε)"},
        {AdamMistake::defaults,
         "the options were ignored: use options.beta1, options.beta2 and options.eps"}};

    struct Case {
        arma::mat theta, m, v;
        unsigned long long t;
        double lr;
        tfm::AdamOptions options;
    };
    tfm::set_seed(118);
    const arma::mat gr = tfm::normal(2, 4);
    // Later steps: moments from earlier steps, other β and ε, a [2 × 4] parameter.
    const std::vector<Case> cases = {
        {arma::mat{{1, 2, 3}}, arma::mat(1, 3, arma::fill::zeros),
         arma::mat(1, 3, arma::fill::zeros), 1, 0.1, paper},
        {tfm::normal(2, 4), 0.1 * tfm::normal(2, 4), 0.05 * arma::square(tfm::normal(2, 4)), 3,
         0.01, tfm::AdamOptions{0.8, 0.95, 1e-3}}};
    for (size_t c = 0; c < cases.size(); ++c) {
        const Case& k = cases[c];
        const arma::mat& grad = c == 0 ? g : gr;
        // The core's Adam on the same state.
        arma::mat core_theta = k.theta, core_grad = grad;
        tfm::Adam adam({{"theta", &core_theta, &core_grad, false}}, k.options);
        adam.m[0] = k.m;
        adam.v[0] = k.v;
        adam.steps = k.t - 1;
        adam.step(k.lr);
        const AdamResult want{core_theta, adam.m[0], adam.v[0]};
        const AdamResult model = model_adam(k.theta, grad, k.m, k.v, k.t, k.lr, k.options);
        if (!same(want.theta, model.theta) || !same(want.m, model.m) || !same(want.v, model.v) ||
            (c == 0 &&
             (!same(want.theta, hand_theta) || !same(want.m, hand_m) || !same(want.v, hand_v))))
            return "the course's Adam disagrees with the formulas (a bug in src/, not in your "
                   "code)";

        AdamResult got{k.theta, k.m, k.v};
        std::string why =
            attempt([&] { candidate(got.theta, grad, got.m, got.v, k.t, k.lr, k.options); },
                    threw_on_valid_input);
        if (!why.empty()) return why;
        const std::string when = c == 0 ? " (first step)" : " (step 3, β1 0.8, β2 0.95, ε 1e-3)";
        if (same(got.theta, want.theta) && same(got.m, want.m) && same(got.v, want.v)) continue;
        if (same(got.m, k.m) && same(got.v, k.v) && !same(got.theta, k.theta))
            return "m and v were not updated in place: the next step needs them" + when;
        for (const auto& [mistake, diagnosis] : mistakes) {
            const AdamResult wrong =
                model_adam(k.theta, grad, k.m, k.v, k.t, k.lr, k.options, mistake);
            if (same(got.theta, wrong.theta) && same(got.m, wrong.m) && same(got.v, wrong.v))
                return diagnosis + when;
        }
        if (!same(got.m, want.m))
            return "m differs from β1·m + (1 − β1)·g" + when + ": " + difference(want.m, got.m);
        if (!same(got.v, want.v))
            return "v differs from β2·v + (1 − β2)·g²" + when + ": " + difference(want.v, got.v);
        return "θ differs from θ − lr·m̂/(√v̂ + ε)" + when + ": " + difference(want.theta, got.theta);
    }
    return "";
}

}  // namespace ex
