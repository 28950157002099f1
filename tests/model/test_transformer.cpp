#include "core/error.hpp"
#include "core/random.hpp"
#include "model/transformer.hpp"
#include "nn/layer_gradcheck.hpp"
#include "ops/softmax.hpp"
#include "support/gradcheck.hpp"
#include "support/model_helpers.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;
using tfm::test::kGradTolerance;
using tfm::test::tiny_transformer_config;
using tfm::test::stacks::check_param_grads_worst;

namespace {

// Mean cross-entropy over the non-padding targets, and its gradient w.r.t. the logits
// (softmax − one-hot, divided by the count).
double cross_entropy(const arma::mat& logits, const TokenIds& targets, arma::mat* dlogits) {
    const test::TargetLoss loss = test::target_loss(logits, targets, dlogits);
    if (dlogits) *dlogits /= loss.count;
    return loss.sum / loss.count;
}

}  // namespace

TEST_CASE("the full Transformer's loss gradient matches finite differences for every parameter",
          "[stacks][transformer]") {
    struct Variant {
        const char* name;
        bool norm_first, share, tie;
    };
    for (const Variant v : {Variant{"separate tables, post-LN", false, false, false},
                            Variant{"shared embeddings, post-LN", false, true, true},
                            Variant{"tied output only, pre-LN", true, false, true}}) {
        DYNAMIC_SECTION(v.name) {
            Transformer model(tiny_transformer_config(v.norm_first, v.share, v.tie));
            // Padding (id 0) at the end of both sequences exercises both masks.
            const TokenIds src{4, 5, 6, 4, 0};
            const TokenIds tgt_in{2, 5, 6, 3, 0};
            const TokenIds tgt_out{5, 6, 3, 0, 0};
            auto loss = [&] { return cross_entropy(model.forward(src, tgt_in), tgt_out, nullptr); };

            const ParamList params = model.params();
            model.zero_grad();
            arma::mat dlogits;
            cross_entropy(model.forward(src, tgt_in), tgt_out, &dlogits);
            model.backward(dlogits);
            // Step 1e-5, not 1e-6: through both stacks the encoder's attention weights get
            // gradients of only ~1e-4, where the round-off of a central difference,
            // ε·|L|/h, is ~1e-10 per element at h = 1e-6 — a relative error near 1e-6 from
            // noise alone. At 1e-5 the noise is 10× smaller and the truncation error,
            // O(h²) ≈ 1e-10 relative, still negligible.
            const double worst = check_param_grads_worst(params, loss, 1e-5);
            INFO("worst relative error " << worst << " over " << params.size() << " tensors");
            CHECK(worst <= kGradTolerance);
        }
    }
}

TEST_CASE("shared embeddings are one table listed once, tied output lists no generator weight",
          "[stacks][transformer]") {
    auto names = [](Transformer& m) {
        std::vector<std::string> out;
        for (const Param& p : m.params()) out.push_back(p.name);
        return out;
    };
    auto has = [](const std::vector<std::string>& v, const std::string& n) {
        return std::find(v.begin(), v.end(), n) != v.end();
    };
    Transformer separate(tiny_transformer_config(false, false, false));
    Transformer shared(tiny_transformer_config(false, true, true));
    Transformer tied(tiny_transformer_config(false, false, true));
    const auto a = names(separate), b = names(shared), c = names(tied);
    CHECK(has(a, "src_embed.weight"));
    CHECK(has(a, "tgt_embed.weight"));
    CHECK(has(a, "generator.weight"));
    CHECK(has(b, "src_embed.weight"));
    CHECK_FALSE(has(b, "tgt_embed.weight"));
    CHECK_FALSE(has(b, "generator.weight"));
    CHECK(has(b, "generator.bias"));
    CHECK(has(c, "tgt_embed.weight"));
    CHECK_FALSE(has(c, "generator.weight"));

    // A tied use holds no tensor of its own: it reads the one listed table.
    CHECK(shared.tgt_embed.weight.is_empty());
    CHECK(shared.generator.weight.is_empty());
    CHECK(tied.generator.weight.is_empty());
    CHECK_FALSE(tied.tgt_embed.weight.is_empty());

    // Changing the one listed table changes every use of it: with every entry 0.25, any
    // two target tokens embed alike (the decoder reads the table), and every logit of a
    // row is h · (0.25, …) + its bias (the generator reads it too).
    shared.src_embed.weight.fill(0.25);
    const arma::mat logits = shared.forward({4, 5}, {2, 6});
    const arma::mat other = shared.forward({4, 5}, {3, 7});
    CHECK(arma::approx_equal(logits, other, "absdiff", 1e-12));
    arma::mat unbiased = logits;
    unbiased.each_row() -= shared.generator.bias;
    for (arma::uword r = 0; r < unbiased.n_rows; ++r)
        CHECK(unbiased.row(r).max() - unbiased.row(r).min() < 1e-12);
}

TEST_CASE("Transformer gradients accumulate across backward calls until zero_grad",
          "[stacks][transformer]") {
    Transformer model(tiny_transformer_config(false, true, true));
    const TokenIds src{4, 5, 6}, tgt{2, 5, 6};
    model.zero_grad();
    const arma::mat g = normal(3, 9);
    model.forward(src, tgt);
    model.backward(g);
    const ParamList params = model.params();
    std::vector<arma::mat> once;
    for (const Param& p : params) once.push_back(*p.grad);
    model.forward(src, tgt);
    model.backward(g);
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i].name);
        CHECK(arma::approx_equal(*params[i].grad, 2.0 * once[i], "absdiff", 1e-12));
    }
    model.zero_grad();
    for (const Param& p : params) CHECK(arma::accu(arma::abs(*p.grad)) == 0.0);
}

TEST_CASE("source padding changes nothing for the real tokens' keys: padded and unpadded agree",
          "[stacks][transformer]") {
    Transformer model(tiny_transformer_config(false, false, false));
    const arma::mat padded = model.forward({4, 5, 6, 0, 0}, {2, 5, 6});
    const arma::mat plain = model.forward({4, 5, 6}, {2, 5, 6});
    INFO("padded\n" << padded << "plain\n" << plain);
    // The encoder rows of real tokens attend only to real tokens, and cross-attention
    // ignores the padding keys, so the logits agree up to summation order.
    CHECK(arma::approx_equal(padded, plain, "absdiff", 1e-12));
}

TEST_CASE("greedy decoding stops at <eos>, or after max_len tokens", "[stacks][transformer]") {
    Transformer model(tiny_transformer_config(false, false, false));
    const arma::uword bos = 2, eos = 3;
    const TokenIds src{4, 5, 6};

    SECTION("a generator that always prefers <eos> stops after one step") {
        model.generator.bias.zeros();
        model.generator.bias(0, eos) = 100.0;
        const auto steps = greedy_decode(model, src, bos, eos, 10);
        REQUIRE(steps.size() == 1);
        CHECK(steps[0].token == eos);
        CHECK(steps[0].probability > 0.99);
    }
    SECTION("a generator that never picks <eos> runs exactly max_len steps") {
        model.generator.bias.zeros();
        model.generator.bias(0, 5) = 100.0;
        const auto steps = greedy_decode(model, src, bos, eos, 6);
        REQUIRE(steps.size() == 6);
        for (const DecodeStep& s : steps) CHECK(s.token == 5);
    }
    SECTION("each step is the arg-max of the full forward pass over the prefix") {
        const auto steps = greedy_decode(model, src, bos, eos, 4);
        TokenIds prefix{bos};
        for (const DecodeStep& s : steps) {
            const arma::mat probs = softmax_rows(model.forward(src, prefix));
            const arma::rowvec last = probs.row(probs.n_rows - 1);
            CHECK(s.token == last.index_max());
            CHECK(s.probability == Approx(last.max()).epsilon(1e-12));
            prefix.push_back(s.token);
        }
    }
}

TEST_CASE("a Transformer needs an encoder-decoder config with matching shared vocabularies",
          "[stacks][transformer]") {
    ModelConfig c = tiny_transformer_config(false, true, true);
    c.tgt_vocab_size = 5;
    CHECK_THROWS_AS(Transformer(c), InputError);
    ModelConfig gpt = tiny_transformer_config(false, false, false);
    gpt.architecture = Architecture::decoder_only;
    CHECK_THROWS_AS(Transformer(gpt), InputError);
}

TEST_CASE("decode attends to a memory through the source padding it is given, and only that",
          "[stacks][transformer]") {
    Transformer model(tiny_transformer_config(false, false, false));
    const Transformer fresh = model;  // has never encoded anything
    const TokenIds padded{4, 5, 0}, tgt{2, 5, 6};
    const Encoded encoded = model.encode(padded);
    CHECK(encoded.src_padding.n_rows == 1);
    CHECK(encoded.src_padding.n_cols == 3);
    CHECK(arma::accu(encoded.src_padding) == 1);
    CHECK(encoded.src_padding(0, 2) == 1);

    // Blocking the <pad> key is leaving its memory row out.
    const arma::mat masked = model.decode(tgt, encoded.memory, encoded.src_padding);
    const arma::mat without_row = model.decode(tgt, encoded.memory.rows(0, 1), Mask());
    INFO("masked\n" << masked << "without the pad row\n" << without_row);
    CHECK(arma::approx_equal(masked, without_row, "absdiff", 1e-12));
    // Given no mask, the decoder does read the <pad> row.
    const arma::mat unmasked = model.decode(tgt, encoded.memory, Mask());
    CHECK(arma::abs(unmasked - masked).max() > 1e-6);

    // A memory from elsewhere, of the same length, gets the padding it comes with (none),
    // not the padding of the encode() before it.
    const Encoded other = model.encode({6, 7, 8});
    CHECK(other.src_padding.is_empty());
    model.encode(padded);
    Transformer check = fresh;
    CHECK(arma::approx_equal(model.decode(tgt, other.memory, other.src_padding),
                             check.decode(tgt, other.memory, Mask()), "absdiff", 0.0));

    CHECK_THROWS_WITH(model.decode(tgt, encoded.memory, Mask(1, 2, arma::fill::zeros)),
                      Catch::Contains("the source padding is 1 × 2, expected 1 × 3"));
}
