// The sampling filters (temperature, top-k, top-p), the draw, and the frequencies of many
// draws against the filtered softmax.
#include "core/random.hpp"
#include "decode/decode_helpers.hpp"
#include "decode/sampling.hpp"
#include "decode/search.hpp"
#include "model/transformer.hpp"
#include "ops/softmax.hpp"

#include "support/catch.hpp"

#include <algorithm>
#include <cmath>
#include <map>

using namespace tfm;

namespace {

bool same(const arma::rowvec& a, const arma::rowvec& b) {
    return a.n_elem == b.n_elem && arma::approx_equal(a, b, "absdiff", 1e-15);
}

}  // namespace

TEST_CASE("top-k keeps the k most likely tokens, equal ones by the lower id, renormalised",
          "[decode]") {
    const arma::rowvec p = {0.1, 0.3, 0.3, 0.3};
    CHECK(same(top_k_filter(p, 2), arma::rowvec{0, 0.5, 0.5, 0}));
    CHECK(same(top_k_filter(p, 1), arma::rowvec{0, 1, 0, 0}));
    CHECK(same(top_k_filter(p, 0), p));  // 0: off
    CHECK(same(top_k_filter(p, 4), p));
}

TEST_CASE("top-p keeps the smallest set of most likely tokens whose mass is at least p",
          "[decode]") {
    const arma::rowvec p = {0.2, 0.5, 0.1, 0.2};
    // Ranked: 1 (0.5), then the tie 0 and 3 (0.2 each) by the lower id: 0 before 3, then 2.
    CHECK(same(top_p_filter(p, 0.5), arma::rowvec{0, 1, 0, 0}));  // 0.5 ≥ 0.5: one token
    CHECK(same(top_p_filter(p, 0.6), arma::rowvec{0.2, 0.5, 0, 0} / 0.7));  // the tie: id 0
    CHECK(same(top_p_filter(p, 0.7), arma::rowvec{0.2, 0.5, 0, 0} / 0.7));  // 0.5 + 0.2 = 0.7
    CHECK(same(top_p_filter(p, 0.75), arma::rowvec{0.2, 0.5, 0, 0.2} / 0.9));
    CHECK(same(top_p_filter(p, 1.0), p));
    CHECK(same(top_p_filter(p, 1e-9), arma::rowvec{0, 1, 0, 0}));  // never an empty set

    // On random distributions: the mass kept reaches p, and without its least likely token
    // it would not — the smallest such set.
    set_seed(8);
    for (int trial = 0; trial < 50; ++trial) {
        const arma::rowvec q = softmax_rows(arma::rowvec(normal(1, 9, 2.0)));
        for (double top_p : {0.1, 0.3, 0.5, 0.8, 0.9, 0.99}) {
            const arma::rowvec f = top_p_filter(q, top_p);
            double mass = 0.0, smallest = 1.0;
            for (arma::uword i = 0; i < q.n_elem; ++i)
                if (f(i) > 0) {
                    mass += q(i);
                    smallest = std::min(smallest, q(i));
                    CHECK(f(i) == Approx(q(i) / arma::accu(q % (f > 0))).epsilon(1e-12));
                }
            INFO("trial " << trial << ", p " << top_p);
            CHECK(mass >= top_p * (1 - 1e-12));
            CHECK(mass - smallest < top_p);
            // What it keeps is the most likely: every dropped token is at most the smallest kept.
            for (arma::uword i = 0; i < q.n_elem; ++i)
                if (f(i) == 0) CHECK(q(i) <= smallest);
        }
    }
}

TEST_CASE("temperature divides the logits before the softmax; T = 0 is the arg-max", "[decode]") {
    const arma::rowvec logits = {1.0, 3.0, 2.0, 3.0};
    CHECK(same(temperature_softmax(logits, 1.0), arma::rowvec(softmax_rows(logits))));
    CHECK(same(temperature_softmax(logits, 2.0), arma::rowvec(softmax_rows(logits / 2.0))));
    CHECK(same(temperature_softmax(logits, 0.0), arma::rowvec{0, 1, 0, 0}));  // tie: lower id
    // As T → 0 the distribution tends to the arg-max's (for a single maximum).
    const arma::rowvec single = {1.0, 3.0, 2.0, 2.5};
    CHECK(same(temperature_softmax(single, 1e-3), arma::rowvec{0, 1, 0, 0}));
    // Large T flattens it: the entropy grows toward ln 4.
    CHECK(entropy(temperature_softmax(single, 1e3)) == Approx(std::log(4.0)).epsilon(1e-5));
    CHECK(entropy(arma::rowvec{0, 1, 0, 0}) == 0.0);
}

TEST_CASE("draw_token is the inverse CDF and never draws a token of probability 0", "[decode]") {
    const arma::rowvec p = {0.25, 0.0, 0.5, 0.25};
    CHECK(draw_token(p, 0.0) == 0);
    CHECK(draw_token(p, 0.2499) == 0);
    CHECK(draw_token(p, 0.25) == 2);  // the running sum must exceed u
    CHECK(draw_token(p, 0.7499) == 2);
    CHECK(draw_token(p, 0.75) == 3);
    CHECK(draw_token(p, 0.999999999) == 3);
    // A grid of N evenly spaced u gives each token N·p of the draws.
    std::map<arma::uword, int> counts;
    for (int i = 0; i < 1000; ++i) ++counts[draw_token(p, (i + 0.5) / 1000.0)];
    CHECK(counts[0] == 250);
    CHECK(counts[1] == 0);
    CHECK(counts[2] == 500);
    CHECK(counts[3] == 250);
}

TEST_CASE("bad sampling settings are refused with the option's name", "[decode]") {
    SamplingOptions o;
    o.temperature = -0.5;
    CHECK_THROWS_WITH(o.validate(10), Catch::Contains("--temperature"));
    o = SamplingOptions();
    o.top_k = 11;
    CHECK_THROWS_WITH(o.validate(10), Catch::Contains("--top-k 11"));
    o = SamplingOptions();
    for (double bad : {0.0, -0.1, 1.5}) {
        o.top_p = bad;
        CHECK_THROWS_WITH(o.validate(10), Catch::Contains("--top-p"));
    }
}

// 1,000 first tokens drawn by sample_answers against the filtered softmax of the first
// step's logits. Pearson's χ² = Σ (count − N·p)² / (N·p) over the tokens the filter keeps,
// with (kept − 1) degrees of freedom; the threshold is the χ² distribution's 0.999 quantile
// (a correct sampler fails it once in a thousand seeds; the seed here is fixed, so the
// test is deterministic). Tokens the filter removed must never be drawn.
TEST_CASE("sampled first tokens match the filtered softmax: chi-square below its 0.999 quantile",
          "[decode]") {
    static const double kChiSquare999[] = {0,      10.828, 13.816, 16.266, 18.467, 20.515, 22.458,
                                           24.322, 26.124, 27.877, 29.588, 31.264, 32.909, 34.528};
    set_seed(41);
    Transformer model(test::odd_decoding_config(false));
    const Encoded encoded = model.encode({4, 9, 5, 10, 6, 7});
    DecodeOptions options;
    options.max_len = 1;
    const arma::rowvec logits = Prefixes(model, encoded, 1, {0}, options.bos, true).next_logits();
    struct Setting {
        double temperature;
        arma::uword top_k;
        double top_p;
    };
    for (const Setting& s : {Setting{1.0, 0, 1.0}, Setting{2.0, 0, 1.0}, Setting{0.7, 6, 1.0},
                             Setting{1.5, 0, 0.8}, Setting{1.0, 8, 0.9}}) {
        SamplingOptions sampling;
        sampling.temperature = s.temperature;
        sampling.top_k = s.top_k;
        sampling.top_p = s.top_p;
        const arma::rowvec p = sampling_distribution(logits, sampling);
        const int n = 1000;
        const std::vector<Hypothesis> answers =
            sample_answers(model, encoded, n, sampling, 1234, options);
        arma::rowvec counts(p.n_elem, arma::fill::zeros);
        for (const Hypothesis& h : answers) counts(h.tokens.at(0)) += 1;
        // Bins: the rarest kept tokens pooled until the pool is expected ≥ 5 times, then every
        // other kept token alone (χ² needs ≥ 5 expected per bin).
        std::vector<arma::uword> kept;
        for (arma::uword i = 0; i < p.n_elem; ++i) {
            if (p(i) > 0.0)
                kept.push_back(i);
            else
                CHECK(counts(i) == 0);
        }
        std::sort(kept.begin(), kept.end(),
                  [&](arma::uword a, arma::uword b) { return p(a) < p(b); });
        double pool_expected = 0.0, pool_count = 0.0, chi2 = 0.0;
        std::size_t next = 0;
        while (next < kept.size() &&
               (n * p(kept[next]) < 5.0 || (pool_expected > 0 && pool_expected < 5.0))) {
            pool_expected += n * p(kept[next]);
            pool_count += counts(kept[next++]);
        }
        int bins = pool_expected > 0.0 ? 1 : 0;
        if (bins)
            chi2 += (pool_count - pool_expected) * (pool_count - pool_expected) / pool_expected;
        for (; next < kept.size(); ++next, ++bins) {
            const double expected = n * p(kept[next]);
            chi2 += (counts(kept[next]) - expected) * (counts(kept[next]) - expected) / expected;
        }
        INFO("T " << s.temperature << ", top-k " << s.top_k << ", top-p " << s.top_p << ": " << bins
                  << " bins, χ² " << chi2 << "\np " << p << "counts " << counts);
        REQUIRE(bins >= 2);
        REQUIRE(bins - 1 < 14);
        CHECK(chi2 < kChiSquare999[bins - 1]);
    }
}

TEST_CASE("an answer drawn alone is the same answer drawn among others", "[decode]") {
    set_seed(43);
    Transformer model(test::odd_decoding_config(true));
    model.generator.bias(0) -= 100.0;  // never <pad>
    const Encoded encoded = model.encode({4, 9, 5, 10});
    DecodeOptions options;
    options.max_len = 6;
    SamplingOptions sampling;
    sampling.temperature = 1.3;
    const std::vector<Hypothesis> many = sample_answers(model, encoded, 20, sampling, 9, options);
    const std::vector<Hypothesis> few = sample_answers(model, encoded, 3, sampling, 9, options);
    for (int i = 0; i < 3; ++i) CHECK(few[i].tokens == many[i].tokens);
    options.use_cache = false;
    const std::vector<Hypothesis> uncached =
        sample_answers(model, encoded, 20, sampling, 9, options);
    for (int i = 0; i < 20; ++i) CHECK(uncached[i].tokens == many[i].tokens);
}
