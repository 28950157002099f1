// The checks of lesson 11, GPT (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "model/gpt.hpp"
#include "text/tokenizer.hpp"

#include <cmath>
#include <vector>

namespace ex {

using namespace check;

namespace {

// ── models of the right computation and of the usual mistakes, apart from src/ ──

double log_softmax_at(const arma::rowvec& logits, arma::uword id) {
    const double top = logits.max();
    return logits(id) - top - std::log(arma::accu(arma::exp(logits - top)));
}

enum class LmMistake { none, not_shifted, pad_counted, summed };
double model_lm_loss(const arma::mat& logits, const tfm::TokenIds& window,
                     LmMistake m = LmMistake::none) {
    double total = 0;
    arma::uword count = 0;
    for (arma::uword t = 0; t < logits.n_rows; ++t) {
        const arma::uword target = m == LmMistake::not_shifted ? window[t] : window[t + 1];
        if (target == tfm::Vocab::pad && m != LmMistake::pad_counted) continue;
        total -= log_softmax_at(logits.row(t), target);
        ++count;
    }
    if (m == LmMistake::summed) return total;
    return count > 0 ? total / static_cast<double>(count) : 0.0;
}

enum class StepMistake { none, first_position, times_t, no_softmax };
arma::uword model_step(const arma::mat& logits, double t, double u,
                       StepMistake m = StepMistake::none) {
    const arma::rowvec last =
        m == StepMistake::first_position ? logits.row(0) : logits.row(logits.n_rows - 1);
    arma::rowvec p;
    if (t == 0.0) {
        p.zeros(last.n_elem);
        p(last.index_max()) = 1.0;
    } else if (m == StepMistake::no_softmax) {
        p = arma::clamp(arma::rowvec(last / t), 0.0, arma::datum::inf);  // the logits as weights
    } else {
        const arma::rowvec scaled =
            m == StepMistake::times_t ? arma::rowvec(last * t) : arma::rowvec(last / t);
        p = arma::exp(scaled - scaled.max());
    }
    const double total = arma::accu(p);
    double running = 0;
    for (arma::uword i = 0; i < p.n_elem; ++i) {
        running += p(i);
        if (running > u * total && p(i) > 0) return i;
    }
    return p.n_elem - 1;
}

}  // namespace

std::string check_causal_lm_loss(decltype(&causal_lm_loss) candidate) {
    // Windows of 6 ids over a vocabulary of 9 (logits [5 × 9]); the second ends in two
    // <pad>, the third has no target that counts.
    const std::vector<tfm::TokenIds> windows = {
        {2, 5, 6, 7, 8, 3},
        {2, 8, 5, 3, tfm::Vocab::pad, tfm::Vocab::pad},
        {2, tfm::Vocab::pad, tfm::Vocab::pad, tfm::Vocab::pad, tfm::Vocab::pad, tfm::Vocab::pad}};
    for (std::size_t w = 0; w < windows.size(); ++w) {
        tfm::set_seed(110 + w);
        const arma::mat logits = 2.0 * tfm::normal(5, 9);
        const double want = model_lm_loss(logits, windows[w]);
        double got = 0;
        const std::string why =
            attempt([&] { got = candidate(logits, windows[w]); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (std::abs(got - want) <= kTol) continue;
        const std::string when = " (window " + std::to_string(w + 1) + ")";
        const auto is = [&](LmMistake m) {
            return std::abs(got - model_lm_loss(logits, windows[w], m)) <= kTol;
        };
        if (is(LmMistake::not_shifted))
            return "targets not shifted: position t predicts the NEXT id, window[t + 1], not "
                   "window[t] (which it can see)" +
                   when;
        if (is(LmMistake::pad_counted))
            return "the loss counted the <pad> targets: skip t when window[t + 1] is <pad>, "
                   "and divide by the targets that count" +
                   when;
        if (is(LmMistake::summed))
            return "the loss is summed, not averaged: divide by the number of counted targets" +
                   when;
        return "expected " + num(want) + ", got " + num(got) + when;
    }
    return "";
}

std::string check_generation_step(decltype(&generation_step) candidate) {
    tfm::ModelConfig c = tfm::gpt_lesson_config(9);
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.decoder_layers = 1;
    c.max_positions = 6;
    tfm::Gpt model(c);
    tfm::draw_params(model.params(), 111);
    // Larger logits than a fresh model's, so that the temperature matters.
    model.embed.weight *= 2.0;
    const tfm::TokenIds ids = {2, 5, 6, 7};
    const arma::mat logits = model.forward(ids);
    const std::vector<double> temperatures = {1.0, 0.5, 2.0, 0.0};
    for (double t : temperatures) {
        std::vector<arma::uword> want, got;
        const auto draws = [&](StepMistake m) {
            std::vector<arma::uword> out;
            for (double u = 0.025; u < 1.0; u += 0.05) out.push_back(model_step(logits, t, u, m));
            return out;
        };
        want = draws(StepMistake::none);
        const std::string why = attempt(
            [&] {
                for (double u = 0.025; u < 1.0; u += 0.05)
                    got.push_back(candidate(model, ids, t, u));
            },
            threw_on_valid_input);
        if (!why.empty()) return why;
        if (got == want) continue;
        const std::string when = " (T " + num(t) + ")";
        if (got == draws(StepMistake::first_position))
            return "drawn from the first position's logits: the next token comes from the LAST "
                   "row of model.forward(ids)" +
                   when;
        if (t != 1.0 && t != 0.0 && got == draws(StepMistake::times_t))
            return "the logits were multiplied by T: divide them by T (T < 1 sharpens, T > 1 "
                   "flattens)" +
                   when;
        if (t != 0.0 && got == draws(StepMistake::no_softmax))
            return "drawn from the logits, not from softmax(logits / T)" + when;
        if (t == 0.0) return "T = 0 means greedy: the arg-max, whatever u is" + when;
        std::string listed;
        for (std::size_t i = 0; i < got.size(); ++i)
            listed += (i ? ", " : "") + std::to_string(got[i]) + " (expected " +
                      std::to_string(want[i]) + ")";
        return "the draws for u = 0.025, 0.075, … 0.975 were " + listed + when;
    }
    return "";
}

}  // namespace ex
