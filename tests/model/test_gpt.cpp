// Lesson 11's GPT: every gradient of the causal-LM loss by central differences, the causal
// mask holding in training (exactly), incremental decoding through the KV cache equal to
// recomputing everything, and the names and shapes config.hpp counts.
#include "model/gpt.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "decode/generate.hpp"
#include "nn/param_gradcheck.hpp"
#include "support/model_helpers.hpp"
#include "text/tokenizer.hpp"
#include "train/lm.hpp"

#include <set>

#include "support/catch.hpp"

namespace {

using namespace tfm;
using tfm::test::tiny_gpt_config;

Gpt drawn_gpt(const ModelConfig& config, std::uint64_t seed) {
    Gpt model(config);
    draw_params(model.params(), seed);
    return model;
}

}  // namespace

TEST_CASE("GPT's parameters are the ones model_shapes counts, names and shapes", "[gpt]") {
    const ModelConfig config = tiny_gpt_config();
    Gpt model(config);
    const ParamList params = model.params();
    test::check_shapes_match(params, model_shapes(config));
    std::set<std::string> names;
    for (const Param& p : params) names.insert(p.name);
    CHECK(names.count("decoder.layers.1.norm2.weight") == 1);  // the FFN's norm
    CHECK(names.count("decoder.layers.0.cross_attn.wq.weight") == 0);
    CHECK(names.count("decoder.norm.bias") == 1);
    CHECK(names.count("generator.weight") == 0);  // tied to embed.weight
}

TEST_CASE("every gradient of the causal-LM loss matches central differences", "[gpt][gradcheck]") {
    Gpt model = drawn_gpt(tiny_gpt_config(), 11);
    // Two windows of 6 ids; the second ends in <pad>, which must not count.
    const std::vector<TokenIds> windows = {{2, 5, 6, 7, 8, 3},
                                           {2, 8, 4, 5, Vocab::pad, Vocab::pad}};
    auto loss = [&] { return lm_loss(model, windows).total; };
    model.zero_grad();
    const CrossEntropy ce = lm_loss(model, windows);
    CHECK(ce.count == 5 + 3);
    model.backward(ce.dlogits);
    test::check_param_grads(model.params(), loss);  // the tied E: both of its uses
}

TEST_CASE("GPT's position t reads nothing after t: its logits do not move at all", "[gpt]") {
    Gpt model = drawn_gpt(tiny_gpt_config(), 12);
    const TokenIds a = {2, 5, 6, 7, 8, 4}, b = {2, 5, 6, 1, 1, 1};
    const arma::mat la = model.forward(a), lb = model.forward(b);
    // Positions 0–2 have the same past; from 3 on the inputs differ.
    CHECK(arma::abs(la.rows(0, 2) - lb.rows(0, 2)).max() == 0.0);
    CHECK(arma::abs(la.rows(3, 5) - lb.rows(3, 5)).max() > 0.0);
    // The same in a batch: each sequence reads only itself.
    const arma::mat both = model.forward(std::vector<TokenIds>{a, b});
    CHECK(arma::abs(both.rows(0, 5) - la).max() < 1e-14);
    CHECK(arma::abs(both.rows(6, 11) - lb).max() < 1e-14);
}

TEST_CASE("decoding through the KV cache equals recomputing every prefix", "[gpt][kv_cache]") {
    Gpt model = drawn_gpt(tiny_gpt_config(), 13);
    const std::vector<TokenIds> seqs = {{2, 5, 6, 7, 8, 4}, {2, 8, 8, 3, 6, 5}};
    const arma::mat full = model.forward(seqs);
    DecoderCache cache = model.start_cache(2, 6);
    for (arma::uword t = 0; t < 6; ++t) {
        const arma::mat step = model.forward_step({seqs[0][t], seqs[1][t]}, cache);
        CHECK(arma::abs(step.row(0) - full.row(t)).max() < 1e-12);
        CHECK(arma::abs(step.row(1) - full.row(6 + t)).max() < 1e-12);
        CHECK(cache.length() == t + 1);
    }
    CHECK_THROWS_AS(model.forward_step({2, 2}, cache), InputError);  // the context is full
}

TEST_CASE("a language-model window is shifted by one: position t predicts t + 1", "[gpt]") {
    const LmExample e = shift_for_lm({2, 10, 11, 12, 3});
    CHECK(e.input == TokenIds{2, 10, 11, 12});
    CHECK(e.target == TokenIds{10, 11, 12, 3});
    CHECK_THROWS_AS(shift_for_lm({2}), InputError);
    // Pieces of 3 ids start at 0, 2, 4, …: each begins with the previous piece's last id,
    // and the last is padded.
    const std::vector<TokenIds> p = lm_pieces({{2, 5, 6, 7, 3}, {2, 8, 3}}, 3);
    CHECK(p == std::vector<TokenIds>{{2, 5, 6}, {6, 7, 3}, {2, 8, 3}});
    CHECK(lm_pieces({{2, 5, 6, 7, 8, 3}}, 4) ==
          std::vector<TokenIds>{{2, 5, 6, 7}, {7, 8, 3, Vocab::pad}});
    CHECK_THROWS_AS(lm_pieces({{2, 5}}, 1), InputError);
    const std::vector<TokenIds> w = sample_pieces(p, 50, 7);
    CHECK(w.size() == 50);
    for (const TokenIds& x : w) CHECK(std::find(p.begin(), p.end(), x) != p.end());
    CHECK(sample_pieces(p, 5, 7) == sample_pieces(p, 5, 7));
}

TEST_CASE("lm_bits is the mean loss in bits over every predicted position", "[gpt]") {
    Gpt model = drawn_gpt(tiny_gpt_config(), 14);
    // 9 ids: pieces of at most 7 (6 positions + 1): [0, 7) then [6, 9): 6 + 2 predictions.
    const TokenIds s = {2, 5, 6, 7, 8, 4, 5, 6, 3};
    const CrossEntropy a = lm_loss(model, {TokenIds(s.begin(), s.begin() + 7)});
    const CrossEntropy b = lm_loss(model, {TokenIds(s.begin() + 6, s.end())});
    CHECK(a.count + b.count == 8);
    CHECK(lm_bits(model, {s}) == Approx((a.total + b.total) / 8 / std::log(2.0)).epsilon(1e-12));
}

TEST_CASE("writing through the KV cache gives the same poem as recomputing every prefix",
          "[gpt][kv_cache]") {
    Gpt model = drawn_gpt(tiny_gpt_config(), 15);
    SamplingOptions options;
    options.temperature = 1.5;  // a flat distribution: many different draws to agree on
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const TokenIds cached = generate(model, {2, 5}, options, 10, seed, true);
        const TokenIds recomputed = generate(model, {2, 5}, options, 10, seed, false);
        CHECK(cached == recomputed);
        CHECK(cached.size() <= 6);  // the context (6 positions) ends it
        CHECK(generate(model, {2, 5}, options, 10, seed) == cached);  // same seed, same text
    }
}

TEST_CASE("the bigram sampler writes characters and <eos> only", "[gpt]") {
    const Vocab vocab = Vocab::from_tokens({"<mask>", "a", "b", "c"});
    const CharNgrams ngrams(vocab, {{2, 5, 6, 7, 3}, {2, 6, 5, 3}});
    SamplingOptions options;
    options.temperature = 3.0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed)
        for (arma::uword id : generate_bigram(ngrams, {2}, options, 30, seed))
            if (id != 2) CHECK(id >= 5);
}
