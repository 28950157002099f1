// BERT's masking recipe (train/mlm.hpp): the rule on given draws, exactly; its proportions
// on a fixed seed, within stated tolerances; and the masked-LM score.
#include "train/mlm.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "support/model_helpers.hpp"
#include "text/poems.hpp"

#include <cmath>

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("the masking rule on given draws: chosen, then <mask>, random or kept", "[mlm]") {
    const TokenIds ids = {2, 10, 11, 12, 13, 3, Vocab::pad};
    // Rows: <bos> (never chosen); chosen → <mask>; chosen → random (u3 = 0.5 → 5 +
    // ⌊0.5 · 15⌋ = 12); chosen → kept; not chosen (u0 = 0.15); <eos> and <pad>, never chosen.
    arma::mat u = {{0.01, 0.0, 0.0, 0.0}, {0.10, 0.5, 0.0, 0.0}, {0.14, 0.85, 0.2, 0.5},
                   {0.05, 0.9, 0.7, 0.0}, {0.15, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0},
                   {0.0, 0.0, 0.0, 0.0}};
    const MaskedExample e = mask_tokens(ids, u, 20);
    CHECK(e.input == TokenIds{2, mask_id, 12, 12, 13, 3, Vocab::pad});
    CHECK(e.target == TokenIds{0, 10, 11, 12, 0, 0, 0});
    // <bos> is never chosen either.
    CHECK(mask_tokens({2, 10}, arma::mat(2, 4, arma::fill::zeros), 20).target == TokenIds{0, 10});
    CHECK_THROWS_AS(mask_tokens(ids, arma::mat(6, 4, arma::fill::zeros), 20), InputError);
    CHECK_THROWS_AS(mask_tokens(ids, u, 5), InputError);  // no character after <mask>
}

TEST_CASE("the masking recipe's proportions are 15% and 80/10/10 on a fixed seed", "[mlm]") {
    std::mt19937_64 rng(2018);
    const arma::uword V = 500;
    double positions = 0, chosen = 0, masked = 0, random = 0, kept = 0, unchosen_changed = 0;
    for (int s = 0; s < 400; ++s) {
        TokenIds ids{Vocab::bos};
        for (int t = 0; t < 100; ++t) ids.push_back(5 + static_cast<arma::uword>(t * 7 + s) % 495);
        ids.push_back(Vocab::eos);
        const MaskedExample e = mask_tokens(ids, V, rng);
        for (std::size_t t = 1; t + 1 < ids.size(); ++t) {
            ++positions;
            if (e.target[t] == Vocab::pad) {
                unchosen_changed += e.input[t] != ids[t];
                continue;
            }
            ++chosen;
            CHECK(e.target[t] == ids[t]);
            if (e.input[t] == mask_id)
                ++masked;
            else if (e.input[t] == ids[t])
                ++kept;  // a random draw of the same character counts here (p = 1/495)
            else
                ++random;
        }
        CHECK(e.input.front() == Vocab::bos);
        CHECK(e.input.back() == Vocab::eos);
    }
    // 40,000 positions: σ of the chosen share is √(0.15 · 0.85 / 40,000) ≈ 0.0018; about
    // 6,000 chosen, σ of the 80% share ≈ 0.005 and of each 10% share ≈ 0.004. The
    // tolerances are about 3σ.
    CHECK(unchosen_changed == 0);
    CHECK(std::abs(chosen / positions - 0.15) < 0.006);
    CHECK(std::abs(masked / chosen - 0.80) < 0.016);
    CHECK(std::abs(random / chosen - 0.10) < 0.012);
    CHECK(std::abs(kept / chosen - 0.10) < 0.012);
}

TEST_CASE("mlm_score counts the chosen positions of every piece, the same ones each call",
          "[mlm]") {
    Bert model(test::tiny_bert_config());
    draw_params(model.params(), 31);
    const std::vector<TokenIds> seqs = {{2, 5, 6, 7, 8, 6, 5, 7, 3}, {2, 8, 7, 3}};
    const MlmScore a = mlm_score(model, seqs, 9), b = mlm_score(model, seqs, 9);
    CHECK(a.bits == b.bits);
    CHECK(a.count == b.count);
    CHECK(a.accuracy >= 0.0);
    CHECK(a.accuracy <= 1.0);
    // Another seed chooses other positions (over enough text to differ).
    std::vector<TokenIds> many(20, seqs.front());
    CHECK(mlm_score(model, many, 1).count != mlm_score(model, many, 2).count);
}
