#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

using namespace tfm;

namespace {

// One head's attention computed from scratch with its own small projections
// (d_model → d_k), for comparing with the module's big ones split into blocks.
arma::mat project(const arma::mat& x, const arma::mat& weight, const arma::mat& bias) {
    arma::mat y = x * weight.t();
    y.each_row() += bias;
    return y;
}

}  // namespace

TEST_CASE("multi-head attention with one head equals single-head attention", "[mha]") {
    MultiHeadAttention mha(6, 1);
    REQUIRE(mha.d_k == 6);
    const arma::mat x = arma::randn(4, 6);
    const Mask mask = causal_mask(4);
    const arma::mat out = mha.forward(x, x, mask);

    const arma::mat q = project(x, mha.wq.weight, mha.wq.bias);
    const arma::mat k = project(x, mha.wk.weight, mha.wk.bias);
    const arma::mat v = project(x, mha.wv.weight, mha.wv.bias);
    const AttentionResult single = scaled_dot_product_attention(q, k, v, mask);
    const arma::mat expected = project(single.output, mha.wo.weight, mha.wo.bias);
    INFO("mha\n" << out << "single head\n" << expected);
    CHECK(arma::approx_equal(out, expected, "absdiff", 1e-14));
    CHECK(arma::approx_equal(mha.heads_[0].weights, single.weights, "absdiff", 1e-15));
}

TEST_CASE(
    "splitting one d_model×d_model projection into h blocks equals h separate d_model×d_k "
    "projections",
    "[mha]") {
    // Cross-attention: n_q = 4 queries, n_k = 5 keys, d_model = 6, h = 3, d_k = 2.
    MultiHeadAttention mha(6, 3);
    REQUIRE(mha.d_k == 2);
    const arma::mat y = arma::randn(4, 6), memory = arma::randn(5, 6);
    const Mask mask = padding_mask(4, {false, false, true, false, false});
    const arma::mat out = mha.forward(y, memory, mask);

    arma::mat concat(4, 6);
    for (arma::uword j = 0; j < 3; ++j) {
        // Head j owns rows 2j, 2j+1 of wq/wk/wv (and those entries of the biases).
        const arma::span rows(2 * j, 2 * j + 1);
        const arma::mat q = project(y, mha.wq.weight.rows(rows), mha.wq.bias.cols(rows));
        const arma::mat k = project(memory, mha.wk.weight.rows(rows), mha.wk.bias.cols(rows));
        const arma::mat v = project(memory, mha.wv.weight.rows(rows), mha.wv.bias.cols(rows));
        const AttentionResult head = scaled_dot_product_attention(q, k, v, mask);
        INFO("head " << j);
        CHECK(arma::approx_equal(mha.heads_[j].weights, head.weights, "absdiff", 1e-14));
        CHECK(arma::approx_equal(mha.heads_[j].output, head.output, "absdiff", 1e-14));
        concat.cols(rows) = head.output;  // heads side by side, in order
    }
    CHECK(arma::approx_equal(mha.concat_, concat, "absdiff", 1e-14));
    const arma::mat expected = project(concat, mha.wo.weight, mha.wo.bias);
    INFO("mha\n" << out << "per-head projections\n" << expected);
    CHECK(arma::approx_equal(out, expected, "absdiff", 1e-14));
    CHECK(arma::size(mha.q_) == arma::size(4, 6));
    CHECK(arma::size(mha.k_) == arma::size(5, 6));
    CHECK(arma::size(mha.heads_[1].weights) == arma::size(4, 5));
}

TEST_CASE("multi-head self-attention with a causal mask: row i ignores later tokens",
          "[mha][mask]") {
    MultiHeadAttention mha(6, 2);
    const arma::uword n = 5;
    const arma::mat x = arma::randn(n, 6);
    const Mask mask = causal_mask(n);
    const arma::mat before = mha.forward(x, x, mask);
    for (arma::uword i = 0; i + 1 < n; ++i) {
        arma::mat changed = x;
        changed.rows(i + 1, n - 1) = arma::randn(n - 1 - i, 6);
        const arma::mat after = mha.forward(changed, changed, mask);
        INFO("changed rows after " << i);
        CHECK(arma::approx_equal(after.rows(0, i), before.rows(0, i), "absdiff", 0.0));
        CHECK_FALSE(arma::approx_equal(after.row(i + 1), before.row(i + 1), "absdiff", 1e-12));
    }
}

TEST_CASE("multi-head attention draws wq, wk, wv, wo in that order", "[mha]") {
    set_seed(7);
    MultiHeadAttention mha(6, 2);
    set_seed(7);
    Linear wq(6, 6), wk(6, 6), wv(6, 6), wo(6, 6);
    CHECK(arma::approx_equal(mha.wq.weight, wq.weight, "absdiff", 0.0));
    CHECK(arma::approx_equal(mha.wk.bias, wk.bias, "absdiff", 0.0));
    CHECK(arma::approx_equal(mha.wv.weight, wv.weight, "absdiff", 0.0));
    CHECK(arma::approx_equal(mha.wo.weight, wo.weight, "absdiff", 0.0));
}

TEST_CASE("multi-head attention rejects sizes that do not fit", "[mha]") {
    CHECK_THROWS_AS(MultiHeadAttention(6, 4), InputError);
    CHECK_THROWS_AS(MultiHeadAttention(6, 0), InputError);
    MultiHeadAttention mha(6, 2);
    const arma::mat x = arma::randn(4, 6);
    CHECK_THROWS_AS(mha.forward(arma::randn(4, 5), x), InputError);
    CHECK_THROWS_AS(mha.forward(x, arma::randn(3, 7)), InputError);
    CHECK_THROWS_AS(mha.forward(x, arma::randn(3, 6), causal_mask(4)), InputError);
    CHECK_THROWS_AS(mha.forward(x, x, Mask(4, 3, arma::fill::zeros)), InputError);
    CHECK_NOTHROW(mha.forward(x, arma::randn(3, 6), Mask(4, 3, arma::fill::zeros)));
}

TEST_CASE("multi-head attention params and shapes agree", "[mha][params]") {
    MultiHeadAttention mha(6, 2);
    ParamList params;
    mha.params("self_attn.", params);
    ShapeList shapes;
    MultiHeadAttention::shapes("self_attn.", 6, shapes);
    test::check_shapes_match(params, shapes);
    REQUIRE(params.size() == 8);
    CHECK(params[0].name == "self_attn.wq.weight");
    CHECK(params[3].name == "self_attn.wk.bias");
    CHECK(params[7].name == "self_attn.wo.bias");
}

TEST_CASE("multi-head self-attention backward matches central differences",
          "[mha][backward][gradcheck]") {
    // n = 5 tokens, d_model = 6, h = 2, d_k = 3; every mask kind.
    const arma::uword n = 5;
    const std::vector<std::pair<std::string, Mask>> masks = {
        {"none", Mask()},
        {"causal", causal_mask(n)},
        {"causal+padding",
         combine_masks(causal_mask(n), padding_mask(n, {false, false, false, true, true}))},
        // Key 0 padded and causal: query 0 sees nothing, its row of weights is zero.
        {"a fully blocked row",
         combine_masks(causal_mask(n), padding_mask(n, {true, false, false, false, false}))}};
    for (const auto& named : masks) {
        // (Named, not a structured binding: C++17 lets no lambda capture one; clang says so.)
        const std::string& name = named.first;
        const Mask& mask = named.second;
        MultiHeadAttention mha(6, 2);
        arma::mat x = arma::randn(n, 6);
        const arma::mat g = arma::randn(n, 6);
        const auto loss = [&] { return arma::accu(mha.forward(x, x, mask) % g); };
        mha.forward(x, x, mask);
        const MultiHeadAttention::Grads grads = mha.backward(g);
        INFO("mask " << name);
        ParamList params;
        mha.params("", params);
        test::check_param_grads(params, loss);
        test::check_input_grad("x", grads.dquery_in + grads.dkv_in, x, loss);
    }
}

TEST_CASE("multi-head cross-attention backward matches central differences",
          "[mha][backward][gradcheck]") {
    // n_q = 3 decoder rows attend to n_k = 5 memory rows; d_model = 8, h = 2, d_k = 4.
    MultiHeadAttention mha(8, 2);
    arma::mat y = arma::randn(3, 8), memory = arma::randn(5, 8);
    const Mask mask = padding_mask(3, {false, false, false, true, false});
    const arma::mat g = arma::randn(3, 8);
    const auto loss = [&] { return arma::accu(mha.forward(y, memory, mask) % g); };
    mha.forward(y, memory, mask);
    const MultiHeadAttention::Grads grads = mha.backward(g);
    CHECK(arma::size(grads.dquery_in) == arma::size(3, 8));
    CHECK(arma::size(grads.dkv_in) == arma::size(5, 8));
    ParamList params;
    mha.params("", params);
    test::check_param_grads(params, loss);
    test::check_input_grad("query_in", grads.dquery_in, y, loss);
    test::check_input_grad("memory", grads.dkv_in, memory, loss);
}

TEST_CASE("multi-head attention gradients add up across backward calls", "[mha][backward]") {
    // Two sequences' backward passes, one after the other, leave the sum of their gradients.
    MultiHeadAttention mha(6, 3);
    const arma::mat a = arma::randn(4, 6), b = arma::randn(3, 6);
    const arma::mat ga = arma::randn(4, 6), gb = arma::randn(3, 6);
    ParamList params;
    mha.params("", params);

    mha.forward(a, a, causal_mask(4));
    mha.backward(ga);
    std::vector<arma::mat> grads_a;
    for (const Param& p : params) grads_a.push_back(*p.grad);
    mha.zero_grad();
    mha.forward(b, b, causal_mask(3));
    mha.backward(gb);
    std::vector<arma::mat> grads_b;
    for (const Param& p : params) grads_b.push_back(*p.grad);

    mha.zero_grad();
    mha.forward(a, a, causal_mask(4));
    mha.backward(ga);
    mha.forward(b, b, causal_mask(3));
    mha.backward(gb);
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i].name);
        CHECK(arma::approx_equal(*params[i].grad, grads_a[i] + grads_b[i], "absdiff", 1e-12));
    }
}
