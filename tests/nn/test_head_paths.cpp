// MultiHeadAttention's two paths through the heads (nn/multi_head_attention.hpp): the
// batched path, which every model runs, against the per-head teaching path, forward and
// backward, for every mask and every position scheme inside attention, on a batch of
// sequences. They run the same arithmetic on the same numbers, so they agree to the last
// bit (the design asks 1e-12; 0 is what they give), and so does the batched path on one
// BLAS thread and on two.
#include "analysis/cost.hpp"
#include "core/params.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positions.hpp"

#include <string>
#include <vector>
#include "support/catch.hpp"

using namespace tfm;

namespace {

struct Run {
    arma::mat output, dquery_in, dkv_in;
    std::vector<AttentionResult> heads;
    std::vector<arma::mat> grads;
};

Run run(MultiHeadAttention& mha, const arma::mat& query_in, const arma::mat& kv_in,
        const Mask& mask, arma::uword sequences, const arma::mat& doutput) {
    Run r;
    mha.zero_grad();
    r.output = mha.forward(query_in, kv_in, mask, sequences);
    r.heads = mha.heads_;
    const MultiHeadAttention::Grads g = mha.backward(doutput);
    r.dquery_in = g.dquery_in;
    r.dkv_in = g.dkv_in;
    ParamList params;
    mha.params("", params);
    for (const Param& p : params) r.grads.push_back(*p.grad);
    return r;
}

double largest_difference(const arma::mat& a, const arma::mat& b) {
    if (arma::size(a) != arma::size(b)) return arma::datum::inf;
    if (a.is_empty()) return 0.0;
    // −∞ where both are blocked is no difference.
    double most = 0.0;
    for (arma::uword e = 0; e < a.n_elem; ++e)
        if (a(e) != b(e)) most = std::max(most, std::abs(a(e) - b(e)));
    return most;
}

void check_same(const Run& fast, const Run& teaching) {
    CHECK(largest_difference(fast.output, teaching.output) == 0.0);
    CHECK(largest_difference(fast.dquery_in, teaching.dquery_in) == 0.0);
    CHECK(largest_difference(fast.dkv_in, teaching.dkv_in) == 0.0);
    REQUIRE(fast.heads.size() == teaching.heads.size());
    for (std::size_t s = 0; s < fast.heads.size(); ++s) {
        INFO("head " << s);
        CHECK(largest_difference(fast.heads[s].scores, teaching.heads[s].scores) == 0.0);
        CHECK(largest_difference(fast.heads[s].scaled, teaching.heads[s].scaled) == 0.0);
        CHECK(largest_difference(fast.heads[s].weights, teaching.heads[s].weights) == 0.0);
        CHECK(largest_difference(fast.heads[s].output, teaching.heads[s].output) == 0.0);
    }
    REQUIRE(fast.grads.size() == teaching.grads.size());
    for (std::size_t i = 0; i < fast.grads.size(); ++i) {
        INFO("parameter gradient " << i);
        CHECK(largest_difference(fast.grads[i], teaching.grads[i]) == 0.0);
    }
}

// Sequence b's mask stacked: none, causal, padding (sequence b pads its last b keys; the
// middle sequence also blocks every key of one query row), or causal and padding.
Mask stacked_mask(const std::string& kind, arma::uword sequences, arma::uword n_q,
                  arma::uword n_k) {
    if (kind == "none") return Mask();
    Mask all(sequences * n_q, n_k, arma::fill::zeros);
    for (arma::uword b = 0; b < sequences; ++b) {
        Mask m(n_q, n_k, arma::fill::zeros);
        if (kind == "causal" || kind == "causal+padding") m = make_mask("causal", n_q, n_k);
        if (kind == "padding" || kind == "causal+padding") {
            std::vector<bool> pad(n_k, false);
            for (arma::uword t = n_k - b; t < n_k; ++t) pad[t] = true;
            m = combine_masks(m, padding_mask(n_q, pad));
            if (b == 1) m.row(0).ones();  // a query that sees nothing: weights 0, not NaN
        }
        all.rows(b * n_q, (b + 1) * n_q - 1) = m;
    }
    return all;
}

}  // namespace

TEST_CASE(
    "the batched heads path equals the per-head teaching path bit for bit, forward and "
    "backward, for every mask and position scheme",
    "[mha][paths]") {
    const arma::uword B = 3, d_model = 12, heads = 3;
    for (const char* attention : {"self", "cross"}) {
        for (const char* mask_kind : {"none", "causal", "padding", "causal+padding"}) {
            for (const char* where_name : {"none", "rope", "rope-half-split", "alibi"}) {
                const std::string self_or_cross = attention, mask_name = mask_kind,
                                  where = where_name;
                const arma::uword n_q = 5, n_k = self_or_cross == "self" ? 5 : 7;
                if (self_or_cross == "cross" && mask_name != "none" && mask_name != "padding")
                    continue;  // a causal mask is for self-attention
                INFO(attention << "-attention, mask " << mask_kind << ", positions " << where);
                MultiHeadAttention fast(d_model, heads);
                if (where == "rope") fast.positions = attention_positions(PositionKind::rope);
                if (where == "rope-half-split")
                    fast.positions =
                        attention_positions(PositionKind::rope, RopeLayout::half_split);
                if (where == "alibi") fast.positions = attention_positions(PositionKind::alibi);
                MultiHeadAttention teaching = fast;  // the same weights
                teaching.path = HeadPath::per_head;
                REQUIRE(fast.path == HeadPath::batched);

                const arma::mat query_in = arma::randn(B * n_q, d_model);
                const arma::mat kv_in =
                    self_or_cross == "self" ? query_in : arma::mat(arma::randn(B * n_k, d_model));
                const arma::mat doutput = arma::randn(B * n_q, d_model);
                const Mask mask = stacked_mask(mask_name, B, n_q, n_k);
                const Run t = run(teaching, query_in, kv_in, mask, B, doutput);
                const Run f = run(fast, query_in, kv_in, mask, B, doutput);
                check_same(f, t);
                // Run again: the buffers kept from the first call change nothing.
                check_same(run(fast, query_in, kv_in, mask, B, doutput), t);
                CHECK(arma::approx_equal(fast.q_, teaching.q_, "absdiff", 0.0));
                CHECK(arma::approx_equal(fast.k_, teaching.k_, "absdiff", 0.0));
            }
        }
    }
}

TEST_CASE("the batched heads path gives the same bits on one BLAS thread and on two",
          "[mha][paths]") {
    const arma::uword B = 4, n = 16, d_model = 32;
    MultiHeadAttention mha(d_model, 4);
    const arma::mat x = arma::randn(B * n, d_model), doutput = arma::randn(B * n, d_model);
    const Mask mask = stacked_mask("causal", B, n, n);
    const int before = blas_threads();
    set_blas_threads(1);
    const Run one = run(mha, x, x, mask, B, doutput);
    set_blas_threads(2);
    const Run two = run(mha, x, x, mask, B, doutput);
    set_blas_threads(before);
    check_same(two, one);
}
