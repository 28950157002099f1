// Multi-head attention against PyTorch's nn.MultiheadAttention (batch_first, float64),
// with weights mapped from in_proj_weight/out_proj (tests/reference/README.md).
// Self-attention 5 × 5 with no mask, causal, key padding, causal + padding; cross-attention
// 5 queries × 7 keys with and without key padding. d_model 12, 3 heads of d_k 4.
#include "nn/multi_head_attention.hpp"
#include "reference/fixture.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

namespace {

const std::vector<std::string> kAttentionFixtures = {"mha_self_none",    "mha_self_causal",
                                                     "mha_self_padding", "mha_self_causal_padding",
                                                     "mha_cross_none",   "mha_cross_padding"};

// The fixture's mask, or no mask at all for "none" (our empty-mask path).
Mask fixture_mask(const Fixture& f) { return f.text("mask") == "none" ? Mask() : f.mask("mask"); }

arma::mat run_forward(const Fixture& f, MultiHeadAttention& mha) {
    if (f.flag("self_attention")) {
        const arma::mat x = f.npy("input");
        return mha.forward(x, x, fixture_mask(f));
    }
    return mha.forward(f.npy("query"), f.npy("key_value"), fixture_mask(f));
}

}  // namespace

TEST_CASE("multi-head attention output and per-head weights match PyTorch for every mask",
          "[reference][attention]") {
    const std::string name = GENERATE(from_range(kAttentionFixtures));
    INFO("fixture " << name);
    Fixture f(name);
    MultiHeadAttention mha(f.integer("d_model"), f.integer("num_heads"));
    load_fixture_weights(f, mha);
    check_close("output", run_forward(f, mha), f.npy("output"), kForwardTolerance);
    REQUIRE(mha.heads_.size() == static_cast<std::size_t>(f.integer("num_heads")));
    for (std::size_t j = 0; j < mha.heads_.size(); ++j) {
        const std::string head = "weights.head" + std::to_string(j);
        check_close(head, mha.heads_[j].weights, f.npy(head), kForwardTolerance);
    }
}

TEST_CASE(
    "multi-head attention gradients match PyTorch autograd for the inputs and every "
    "parameter",
    "[reference][attention][backward]") {
    const std::string name = GENERATE(from_range(kAttentionFixtures));
    INFO("fixture " << name);
    Fixture f(name);
    MultiHeadAttention mha(f.integer("d_model"), f.integer("num_heads"));
    const ParamList params = load_fixture_weights(f, mha);
    mha.zero_grad();
    run_forward(f, mha);
    const MultiHeadAttention::Grads g = mha.backward(f.npy("grad_output"));
    if (f.flag("self_attention")) {
        // x feeds both the queries and the keys/values: its gradient is the sum.
        check_close("grad_input", g.dquery_in + g.dkv_in, f.npy("grad_input"), kGradientTolerance);
    } else {
        check_close("grad_query", g.dquery_in, f.npy("grad_query"), kGradientTolerance);
        check_close("grad_key_value", g.dkv_in, f.npy("grad_key_value"), kGradientTolerance);
    }
    check_param_grads(f, params);
}
