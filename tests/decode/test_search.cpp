// Greedy, sampling and beam search on the dates model and on random models: the
// equivalences that must hold whatever the weights.
#include "core/random.hpp"
#include "decode/decode_helpers.hpp"
#include "decode/search.hpp"
#include "decode/step_cost.hpp"
#include "model/transformer.hpp"
#include "train/trainer.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

namespace {

TokenIds step_tokens(const std::vector<DecodeStep>& steps) {
    TokenIds ids;
    for (const DecodeStep& s : steps) ids.push_back(s.token);
    return ids;
}

// Every n-best hypothesis' log-probabilities, recomputed by one full forward pass each.
void check_scores_by_full_forward(Transformer& model, const TokenIds& src, const BeamResult& r,
                                  double alpha) {
    for (std::size_t i = 0; i < r.n_best.size(); ++i) {
        const Hypothesis& h = r.n_best[i];
        const std::vector<double> full = rescore(model, src, h.tokens);
        REQUIRE(full.size() == h.log_probs.size());
        double sum = 0.0;
        for (std::size_t t = 0; t < full.size(); ++t) {
            CHECK(h.log_probs[t] == Approx(full[t]).margin(1e-12));
            sum += full[t];
        }
        INFO("hypothesis " << i);
        CHECK(h.log_prob == Approx(sum).margin(1e-12));
        CHECK(h.score == Approx(sum / length_penalty(h.tokens.size(), alpha)).margin(1e-12));
        if (i > 0) CHECK(r.n_best[i - 1].score >= h.score);
    }
}

}  // namespace

TEST_CASE("beam_step ranks every extension by its total log-probability", "[decode]") {
    // Totals: beam 0 (−1):   −1 + ln .5 = −1.693, −1 + ln .3 = −2.204, −1 + ln .2 = −2.609
    //         beam 1 (−0.5): −0.5 + ln .1 = −2.803, −0.5 + ln .6 = −1.011, −0.5 + ln .3 = −1.704
    // so the best three are (1, 1), (0, 0), (1, 2) — not beam 1's ln .6, ln .3 and beam 0's
    // ln .5 by the new token alone, which would put (1, 2) last and (0, 1) before it.
    const arma::mat log_probs = arma::log(arma::mat{{0.5, 0.3, 0.2}, {0.1, 0.6, 0.3}});
    const std::vector<BeamCandidate> best = beam_step({-1.0, -0.5}, log_probs, 3);
    REQUIRE(best.size() == 3);
    CHECK((best[0].beam == 1 && best[0].token == 1));
    CHECK((best[1].beam == 0 && best[1].token == 0));
    CHECK((best[2].beam == 1 && best[2].token == 2));
    CHECK(best[2].total == Approx(-0.5 + std::log(0.3)));
    // Equal totals: the lower beam, then the lower token.
    const std::vector<BeamCandidate> tie =
        beam_step({0.0, 0.0}, arma::mat(2, 2, arma::fill::zeros), 3);
    CHECK((tie[0].beam == 0 && tie[0].token == 0 && tie[1].token == 1 && tie[2].beam == 1));
}

TEST_CASE("length normalisation is GNMT's ((5 + |y|) / 6)^alpha", "[decode]") {
    CHECK(length_penalty(1, 0.6) == Approx(1.0));
    CHECK(length_penalty(7, 1.0) == Approx(2.0));
    CHECK(length_penalty(11, 0.0) == 1.0);
}

TEST_CASE("beam width 1 is greedy decoding, token for token, on 200 held-out dates", "[decode]") {
    course::LessonModel m = test::dates_model();
    TrainOptions o;
    o.eval_size = 200;
    o.parts = 1;
    const std::vector<Example> held_out = Trainer(m.model, m.task, o).held_out;
    REQUIRE(held_out.size() == 200);
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    BeamOptions one;
    one.beam = 1;
    for (const Example& e : held_out) {
        const Encoded encoded = m.model.encode(e.src);
        const Hypothesis greedy = greedy_search(m.model, encoded, options);
        const BeamResult beam = beam_search(m.model, encoded, one, options);
        REQUIRE(beam.n_best.size() == 1);
        INFO(e.source);
        CHECK(beam.n_best[0].tokens == greedy.tokens);
        CHECK(beam.n_best[0].log_prob == Approx(greedy.log_prob).margin(1e-12));
        // The course's first greedy decoder (model/transformer.hpp) writes the same.
        CHECK(step_tokens(greedy_decode(m.model, e.src, Vocab::bos, Vocab::eos, options.max_len)) ==
              greedy.tokens);
    }
}

TEST_CASE("top-k 1 and temperature 0 sample the greedy answer; a tiny temperature does too",
          "[decode]") {
    course::LessonModel m = test::dates_model();
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    for (const char* text : {"25 November 2026", "3/4/2021", "7.5.1999", "12/31/1999"}) {
        const Encoded encoded = m.model.encode(m.task.from_source(text).src);
        std::vector<arma::mat> logits;
        const Hypothesis greedy = greedy_search(m.model, encoded, options, &logits);
        SamplingOptions k1, t0, tiny;
        k1.top_k = 1;
        t0.temperature = 0.0;
        // T = 1e-6 is greedy whenever the two largest logits differ by much more than T:
        // measured here at every step, so the claim is checked, not assumed.
        tiny.temperature = 1e-6;
        bool gaps_large = true;
        for (const arma::mat& l : logits) {
            arma::rowvec sorted = arma::sort(l.row(0), "descend");
            gaps_large = gaps_large && sorted(0) - sorted(1) > 1e-3;
        }
        INFO(text);
        for (const SamplingOptions& s : {k1, t0, tiny}) {
            if (&s == &tiny && !gaps_large) continue;
            for (const Hypothesis& h : sample_answers(m.model, encoded, 5, s, 7, options))
                CHECK(h.tokens == greedy.tokens);
        }
    }
}

TEST_CASE("cached and uncached decoding of the dates model agree at every step within 1e-12",
          "[decode]") {
    course::LessonModel m = test::dates_model();
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    BeamOptions beam;
    beam.beam = 4;
    for (const char* text : {"25 November 2026", "3/4/2021"}) {
        const Encoded encoded = m.model.encode(m.task.from_source(text).src);
        std::vector<arma::mat> with, without;
        options.use_cache = true;
        const BeamResult a = beam_search(m.model, encoded, beam, options, &with);
        const Hypothesis ga = greedy_search(m.model, encoded, options, &with);
        options.use_cache = false;
        const BeamResult b = beam_search(m.model, encoded, beam, options, &without);
        const Hypothesis gb = greedy_search(m.model, encoded, options, &without);
        INFO(text);
        CHECK(ga.tokens == gb.tokens);
        REQUIRE(a.n_best.size() == b.n_best.size());
        for (std::size_t i = 0; i < a.n_best.size(); ++i)
            CHECK(a.n_best[i].tokens == b.n_best[i].tokens);
        REQUIRE(with.size() == without.size());
        for (std::size_t t = 0; t < with.size(); ++t)
            CHECK(arma::approx_equal(with[t], without[t], "absdiff", 1e-12));
    }
}

TEST_CASE("the n-best scores are the sums of per-token log-probabilities of a full forward pass",
          "[decode]") {
    course::LessonModel m = test::dates_model();
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    for (double alpha : {0.0, 0.6}) {
        BeamOptions beam;
        beam.beam = 5;
        beam.alpha = alpha;
        for (const char* text : {"25 November 2026", "3/4/2021"}) {
            const TokenIds src = m.task.from_source(text).src;
            const BeamResult r = beam_search(m.model, m.model.encode(src), beam, options);
            CHECK(r.n_best.size() == 5);
            check_scores_by_full_forward(m.model, src, r, alpha);
        }
    }
    // A random post-LN model, whose hypotheses end at different lengths (or not at all).
    set_seed(51);
    Transformer model(test::odd_decoding_config(false));
    const TokenIds src = {4, 9, 5, 10, 6, 7};
    options.max_len = 7;
    BeamOptions beam;
    beam.beam = 4;
    check_scores_by_full_forward(model, src, beam_search(model, model.encode(src), beam, options),
                                 beam.alpha);
}

TEST_CASE("multiply-adds per new token: linear in n with the cache, quadratic without",
          "[decode]") {
    ModelConfig c;
    c.d_model = 4;
    c.d_ff = 6;
    c.decoder_layers = 1;
    c.tgt_vocab_size = 5;
    // n = 3, m = 2, by hand. Cached (one row): q,k,v,o 4·16 = 64; scores + mixing 2·4·3 = 24;
    // cross q, o 2·16 = 32; cross scores + mixing 2·4·2 = 16; FFN 2·4·6 = 48; generator 20:
    // 204. Uncached (3 rows): 192 + 72 + 96 + 48 + 144, memory K and V 2·2·16 = 64, and 20: 636.
    CHECK(step_multiply_adds(c, 3, 2, true) == 204);
    CHECK(step_multiply_adds(c, 3, 2, false) == 636);
    CHECK(cross_kv_multiply_adds(c, 2) == 64);
    // Differences in n: constant with the cache, growing linearly without.
    const auto at = [&](arma::uword n, bool cached) {
        return static_cast<double>(step_multiply_adds(c, n, 2, cached));
    };
    CHECK(at(20, true) - at(10, true) == at(30, true) - at(20, true));
    const double d1 = at(20, false) - at(10, false), d2 = at(30, false) - at(20, false);
    CHECK(d2 - d1 == 2 * 2 * 100 * c.d_model);  // second difference 2·c·Δn², c = 2·d per layer
}
