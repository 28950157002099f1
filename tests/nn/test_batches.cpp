// A batch of sequences stacked by rows must give each sequence exactly what it gets on its
// own: the batched path (one matrix product for the whole batch) is a speed-up, never a
// different model. Forward values agree to 1e-12; gradients of a batch are the sum of the
// sequences' gradients; and the batched backward passes finite differences on its own.
#include "core/error.hpp"
#include "core/random.hpp"
#include "layer_gradcheck.hpp"
#include "model/transformer.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "support/gradcheck.hpp"
#include "support/model_helpers.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;
using tfm::test::kGradTolerance;

namespace {

// The agreement of the batched and the one-at-a-time paths: the same arithmetic, summed
// in another order inside the matrix products, so equal up to a few units of rounding.
constexpr double kSamePath = 1e-12;

// A tiny model; shared embeddings come with a tied output.
ModelConfig tiny(bool norm_first, bool share) {
    return test::tiny_transformer_config(norm_first, share, share);
}

arma::span block(arma::uword b, arma::uword n) { return arma::span(b * n, (b + 1) * n - 1); }

// Σ over the real target rows of −log p(target); pad targets (id 0) are skipped.
double target_loss(const arma::mat& logits, const TokenIds& targets, arma::mat* dlogits) {
    return test::target_loss(logits, targets, dlogits).sum;
}

}  // namespace

TEST_CASE(
    "multi-head attention on a stacked batch gives each sequence its own result and gradients",
    "[batch][mha]") {
    // Three sequences: 4 queries each attending to 5 keys each, a different mask per sequence.
    const arma::uword B = 3, n_q = 4, n_k = 5, d = 6;
    MultiHeadAttention mha(d, 3);
    const arma::mat q_in = arma::randn(B * n_q, d), kv_in = arma::randn(B * n_k, d);
    const arma::mat g = arma::randn(B * n_q, d);
    const std::vector<Mask> masks = {padding_mask(n_q, {false, false, false, true, true}),
                                     Mask(n_q, n_k, arma::fill::zeros),
                                     padding_mask(n_q, {true, false, false, false, false})};
    const Mask stacked = arma::join_cols(masks[0], arma::join_cols(masks[1], masks[2]));
    ParamList params;
    mha.params("", params);

    mha.zero_grad();
    arma::mat one_by_one(B * n_q, d), dq(B * n_q, d), dkv(B * n_k, d);
    std::vector<arma::mat> weights;
    for (arma::uword b = 0; b < B; ++b) {
        one_by_one.rows(block(b, n_q)) =
            mha.forward(q_in.rows(block(b, n_q)), kv_in.rows(block(b, n_k)), masks[b]);
        for (const AttentionResult& head : mha.heads_) weights.push_back(head.weights);
        const MultiHeadAttention::Grads gb = mha.backward(g.rows(block(b, n_q)));
        dq.rows(block(b, n_q)) = gb.dquery_in;
        dkv.rows(block(b, n_k)) = gb.dkv_in;
    }
    const std::vector<arma::mat> summed = test::gradient_copies(params);

    mha.zero_grad();
    const arma::mat batched = mha.forward(q_in, kv_in, stacked, B);
    const MultiHeadAttention::Grads grads = mha.backward(g);
    CHECK(arma::approx_equal(batched, one_by_one, "absdiff", kSamePath));
    REQUIRE(mha.heads_.size() == weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) {
        INFO("sequence " << i / 3 << ", head " << i % 3);
        CHECK(arma::approx_equal(mha.heads_[i].weights, weights[i], "absdiff", kSamePath));
    }
    CHECK(arma::approx_equal(grads.dquery_in, dq, "absdiff", kSamePath));
    CHECK(arma::approx_equal(grads.dkv_in, dkv, "absdiff", kSamePath));
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i].name);
        CHECK(arma::approx_equal(*params[i].grad, summed[i], "absdiff", kSamePath));
    }
}

TEST_CASE("batched multi-head self-attention backward matches central differences",
          "[batch][mha][backward][gradcheck]") {
    // Two sequences of 4 tokens, d_model 6, 2 heads; causal masks, the second with padding.
    const arma::uword n = 4;
    MultiHeadAttention mha(6, 2);
    arma::mat x = arma::randn(2 * n, 6);
    const arma::mat g = arma::randn(2 * n, 6);
    const Mask mask = arma::join_cols(
        causal_mask(n), combine_masks(causal_mask(n), padding_mask(n, {false, false, true, true})));
    const auto loss = [&] { return arma::accu(mha.forward(x, x, mask, 2) % g); };
    mha.zero_grad();
    mha.forward(x, x, mask, 2);
    const MultiHeadAttention::Grads grads = mha.backward(g);
    ParamList params;
    mha.params("", params);
    test::check_param_grads(params, loss);
    test::check_input_grad("x", grads.dquery_in + grads.dkv_in, x, loss);
}

TEST_CASE("multi-head attention rejects a batch whose rows or mask do not fit", "[batch][mha]") {
    MultiHeadAttention mha(4, 2);
    const arma::mat x = arma::randn(6, 4);
    CHECK_THROWS_AS(mha.forward(x, x, Mask(), 4), InputError);  // 6 rows are not 4 sequences
    CHECK_THROWS_AS(mha.forward(x, x, Mask(), 0), InputError);
    CHECK_THROWS_AS(mha.forward(x, x, causal_mask(6), 2), InputError);  // needs [6 × 3]
    CHECK_NOTHROW(mha.forward(x, x, arma::join_cols(causal_mask(3), causal_mask(3)), 2));
}

TEST_CASE("positions restart at 0 for every sequence of a batch", "[batch][positional]") {
    const arma::mat e = arma::randn(6, 4);
    const arma::mat x = add_positions(e, 2);
    CHECK(arma::approx_equal(x.rows(0, 2), add_positions(e.rows(0, 2)), "absdiff", 0.0));
    CHECK(arma::approx_equal(x.rows(3, 5), add_positions(e.rows(3, 5)), "absdiff", 0.0));
    CHECK_THROWS_AS(add_positions(e, 4), InputError);
}

TEST_CASE("the Transformer on a padded batch gives every pair what it gets alone",
          "[batch][transformer]") {
    for (const bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            Transformer model(tiny(norm_first, false));
            // Sources padded to 5, targets to 4; the real lengths differ per pair.
            const TokenBatch src{{4, 5, 6, 7, 8}, {5, 6, 0, 0, 0}, {8, 4, 4, 0, 0}};
            const TokenBatch tgt{{2, 5, 6, 3}, {2, 4, 0, 0}, {2, 6, 5, 0}};
            const std::vector<arma::uword> src_len{5, 2, 3}, tgt_len{4, 2, 3};
            const arma::mat logits = model.forward_batch(src, tgt);
            REQUIRE(arma::size(logits) == arma::size(12, 7));
            for (arma::uword b = 0; b < 3; ++b) {
                const TokenIds s(src[b].begin(), src[b].begin() + src_len[b]);
                const TokenIds t(tgt[b].begin(), tgt[b].begin() + tgt_len[b]);
                const arma::mat alone = model.forward(s, t);
                INFO("pair " << b);
                CHECK(arma::approx_equal(logits.rows(b * 4, b * 4 + tgt_len[b] - 1), alone,
                                         "absdiff", kSamePath));
            }
        }
    }
}

TEST_CASE("the Transformer's gradients on a batch are the sum of the pairs' gradients",
          "[batch][transformer][backward]") {
    Transformer model(tiny(false, true));
    const TokenBatch src{{4, 5, 6, 0}, {7, 8, 5, 6}};
    const TokenBatch tgt_in{{2, 5, 6}, {2, 7, 0}}, tgt_out{{5, 6, 3}, {7, 3, 0}};
    const ParamList params = model.params();

    model.zero_grad();
    for (std::size_t b = 0; b < 2; ++b) {
        arma::mat d;
        target_loss(model.forward(src[b], tgt_in[b]), tgt_out[b], &d);
        model.backward(d);
    }
    const std::vector<arma::mat> summed = test::gradient_copies(params);

    model.zero_grad();
    arma::mat d;
    target_loss(model.forward_batch(src, tgt_in), concatenate(tgt_out), &d);
    model.backward(d);
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i].name);
        CHECK(arma::approx_equal(*params[i].grad, summed[i], "absdiff", kSamePath));
    }
}

TEST_CASE("the Transformer's batched loss gradient matches finite differences",
          "[batch][transformer][gradcheck]") {
    Transformer model(tiny(true, false));
    const TokenBatch src{{4, 5, 6, 0}, {7, 8, 5, 6}};
    const TokenBatch tgt_in{{2, 5, 6}, {2, 4, 0}}, tgt_out{{5, 6, 3}, {4, 3, 0}};
    const auto loss = [&] {
        return target_loss(model.forward_batch(src, tgt_in), concatenate(tgt_out), nullptr);
    };
    const ParamList params = model.params();
    model.zero_grad();
    arma::mat d;
    target_loss(model.forward_batch(src, tgt_in), concatenate(tgt_out), &d);
    model.backward(d);
    // Step 1e-5 for the reason given in test_transformer.cpp (small gradients deep in the stack).
    const double worst = test::stacks::check_param_grads_worst(params, loss, 1e-5);
    INFO("worst relative error " << worst << " over " << params.size() << " tensors");
    CHECK(worst <= kGradTolerance);
}

TEST_CASE("greedy decoding of a padded batch equals decoding each source alone",
          "[batch][transformer][decode]") {
    Transformer model(tiny(false, true));
    const TokenBatch src{{4, 5, 6, 7}, {8, 4, 0, 0}, {6, 0, 0, 0}};
    const std::vector<arma::uword> len{4, 2, 1};
    const auto batched = greedy_decode_batch(model, src, 2, 3, 6);
    REQUIRE(batched.size() == 3);
    for (std::size_t b = 0; b < 3; ++b) {
        const auto alone =
            greedy_decode(model, TokenIds(src[b].begin(), src[b].begin() + len[b]), 2, 3, 6);
        INFO("source " << b);
        REQUIRE(batched[b].size() == alone.size());
        for (std::size_t t = 0; t < alone.size(); ++t) {
            CHECK(batched[b][t].token == alone[t].token);
            CHECK(std::abs(batched[b][t].probability - alone[t].probability) <= kSamePath);
        }
    }
}

TEST_CASE("a batch needs sequences of one length and as many sources as targets",
          "[batch][transformer]") {
    Transformer model(tiny(false, false));
    CHECK_THROWS_AS(model.forward_batch({{4, 5}, {4}}, {{2, 5}, {2, 5}}), InputError);
    CHECK_THROWS_AS(model.forward_batch({{4, 5}}, {{2, 5}, {2, 5}}), InputError);
    CHECK_THROWS_AS(model.forward_batch({}, {}), InputError);
}
