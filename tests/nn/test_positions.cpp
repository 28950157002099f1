#include "core/error.hpp"
#include "nn/encoder.hpp"
#include "nn/param_gradcheck.hpp"
#include "nn/positional_encoding.hpp"
#include "nn/positions.hpp"

#include "support/catch.hpp"

#include <algorithm>
#include <cmath>

using namespace tfm;

namespace {

LayerConfig small_config() {
    LayerConfig c;
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 16;
    return c;
}

void set_positions(Encoder& encoder, PositionKind kind, RopeLayout layout) {
    for (EncoderLayer& layer : encoder.layers)
        layer.self_attn.positions = attention_positions(kind, layout);
}

// Rows of x in the order `order` (row r of the result is row order[r] of x).
arma::mat shuffle_rows(const arma::mat& x, const arma::uvec& order) { return x.rows(order); }

// The worst relative error of every parameter gradient and dx, checked against 1e-7.
void check_grads_tight(const ParamList& params, const arma::mat& dx, arma::mat& x,
                       const std::function<double()>& loss) {
    for (const Param& p : params) {
        const test::GradError e = test::gradient_error(*p.grad, test::numeric_grad(loss, *p.value));
        INFO("parameter " << p.name << ": " << e.kind << " error " << e.error);
        CHECK(e.error <= std::min(e.limit, 1e-7));
    }
    const test::GradError e = test::gradient_error(dx, test::numeric_grad(loss, x));
    INFO("dx: " << e.kind << " error " << e.error);
    CHECK(e.error <= std::min(e.limit, 1e-7));
}

}  // namespace

TEST_CASE("position kinds by name", "[positions]") {
    CHECK(position_kind_names() == "none|sinusoidal|learned|rope|alibi");
    for (PositionKind kind : position_kinds()) CHECK(position_kind(to_string(kind)) == kind);
    CHECK_THROWS_AS(position_kind("absolute"), InputError);
}

TEST_CASE("without positions an encoder is permutation-equivariant; with any, it is not",
          "[positions][equivariance]") {
    // Random input, random permutations: encoder(P·x) = P·encoder(x) up to rounding.
    const arma::uword n = 7;
    for (PositionKind kind : position_kinds()) {
        Encoder encoder(small_config(), 2);
        set_positions(encoder, kind, RopeLayout::interleaved);
        InputPositions input(kind, 16, 8);
        const arma::mat e = arma::randn(n, 8);
        const arma::mat y = encoder.forward(input.forward(e));
        double worst = 0.0;
        for (int trial = 0; trial < 5; ++trial) {
            const arma::uvec order = arma::randperm(n);
            const arma::mat shuffled = encoder.forward(input.forward(shuffle_rows(e, order)));
            worst = std::max(worst, arma::abs(shuffled - shuffle_rows(y, order)).max());
        }
        INFO(to_string(kind) << ": max |encoder(P·x) − P·encoder(x)| = " << worst);
        if (kind == PositionKind::none)
            CHECK(worst <= 1e-13);
        else
            CHECK(worst > 1e-3);
    }
}

TEST_CASE("sinusoidal: PE[pos + k] = PE[pos] · M_k, a block rotation the same for every pos",
          "[positions][positional]") {
    const arma::uword d = 16;
    const arma::mat pe = positional_encoding(80, d);
    for (arma::uword k : {1u, 3u, 10u}) {
        const arma::mat m = sinusoidal_shift(k, d);
        const arma::mat shifted = pe.rows(0, 79 - k) * m;
        const double residual = arma::abs(shifted - pe.rows(k, 79)).max();
        INFO("k = " << k << ": residual " << residual);
        CHECK(residual <= 1e-13);
        // An orthogonal map, zero outside the 2 × 2 blocks.
        CHECK(arma::approx_equal(m.t() * m, arma::eye(d, d), "absdiff", 1e-15));
        for (arma::uword r = 0; r < d; ++r)
            for (arma::uword c = 0; c < d; ++c)
                if (r / 2 != c / 2) CHECK(m(r, c) == 0.0);
    }
    CHECK_THROWS_AS(sinusoidal_shift(1, 7), InputError);
}

TEST_CASE("the layout permutation of wq/wk makes both RoPE layouts agree to 1e-12",
          "[positions][rope]") {
    // d_model 12, 3 heads of d_k 4; a batch of two sequences of 5 with a causal mask.
    MultiHeadAttention interleaved(12, 3);
    interleaved.positions = attention_positions(PositionKind::rope, RopeLayout::interleaved);
    const arma::mat x = arma::randn(10, 12);
    const Mask mask = arma::join_cols(causal_mask(5), causal_mask(5));
    const arma::mat a = interleaved.forward(x, x, mask, 2);

    MultiHeadAttention unpermuted = interleaved;  // the layout changed, the rows not
    unpermuted.positions.rope_layout = RopeLayout::half_split;
    CHECK(arma::abs(unpermuted.forward(x, x, mask, 2) - a).max() > 1e-3);

    MultiHeadAttention half = interleaved;
    convert_rope_layout(half, RopeLayout::half_split);
    CHECK(half.positions.rope_layout == RopeLayout::half_split);
    const double difference = arma::abs(half.forward(x, x, mask, 2) - a).max();
    INFO("max |half-split − interleaved| after permuting = " << difference);
    CHECK(difference <= 1e-12);
    // Head 1's first rows come from interleaved rows 4, 6 (its even dimensions).
    CHECK(arma::approx_equal(half.wq.weight.row(4), interleaved.wq.weight.row(4), "absdiff", 0.0));
    CHECK(arma::approx_equal(half.wk.weight.row(5), interleaved.wk.weight.row(6), "absdiff", 0.0));
    CHECK(arma::approx_equal(half.wq.bias.cols(4, 7),
                             interleaved.wq.bias.cols(arma::uvec{4, 6, 5, 7}), "absdiff", 0.0));
    // And back.
    convert_rope_layout(half, RopeLayout::interleaved);
    CHECK(arma::approx_equal(half.wq.weight, interleaved.wq.weight, "absdiff", 0.0));
    CHECK(arma::approx_equal(half.wk.bias, interleaved.wk.bias, "absdiff", 0.0));
}

TEST_CASE("multi-head attention with RoPE and with ALiBi: backward matches central differences",
          "[positions][mha][backward][gradcheck]") {
    // Two sequences of 4, d_model 8, 2 heads; with and without a causal mask.
    const std::vector<std::pair<PositionKind, RopeLayout>> cases = {
        {PositionKind::rope, RopeLayout::interleaved},
        {PositionKind::rope, RopeLayout::half_split},
        {PositionKind::alibi, RopeLayout::interleaved}};
    for (const auto& c : cases)
        for (bool causal : {false, true}) {
            MultiHeadAttention mha(8, 2);
            mha.positions = attention_positions(c.first, c.second);
            arma::mat x = arma::randn(8, 8);
            const arma::mat g = arma::randn(8, 8);
            const Mask mask =
                causal ? Mask(arma::join_cols(causal_mask(4), causal_mask(4))) : Mask();
            const auto loss = [&] { return arma::accu(mha.forward(x, x, mask, 2) % g); };
            mha.forward(x, x, mask, 2);
            const MultiHeadAttention::Grads grads = mha.backward(g);
            INFO(to_string(c.first) << " " << to_string(c.second) << (causal ? " causal" : ""));
            ParamList params;
            mha.params("", params);
            check_grads_tight(params, grads.dquery_in + grads.dkv_in, x, loss);
        }
}

TEST_CASE("RoPE cross-attention backward matches central differences",
          "[positions][mha][backward][gradcheck]") {
    MultiHeadAttention mha(8, 2);
    mha.positions = attention_positions(PositionKind::rope);
    arma::mat y = arma::randn(3, 8), memory = arma::randn(5, 8);
    const arma::mat g = arma::randn(3, 8);
    const auto loss = [&] { return arma::accu(mha.forward(y, memory) % g); };
    mha.forward(y, memory);
    const MultiHeadAttention::Grads grads = mha.backward(g);
    test::check_input_grad("query_in", grads.dquery_in, y, loss);
    test::check_input_grad("memory", grads.dkv_in, memory, loss);
}

TEST_CASE("an encoder with each position kind: backward matches central differences",
          "[positions][backward][gradcheck]") {
    for (PositionKind kind : position_kinds()) {
        Encoder encoder(small_config(), 2);
        set_positions(encoder, kind, RopeLayout::half_split);
        InputPositions input(kind, 6, 8);
        arma::mat e = arma::randn(10, 8);  // two sequences of 5
        const arma::mat g = arma::randn(10, 8);
        const auto loss = [&] {
            return arma::accu(encoder.forward(input.forward(e, 2), {}, 2) % g);
        };
        encoder.forward(input.forward(e, 2), {}, 2);
        const arma::mat de = input.backward(encoder.backward(g));
        INFO(to_string(kind));
        ParamList params;
        encoder.params("encoder.", params);
        input.params("pos_embed.", params);
        if (kind == PositionKind::learned) CHECK(params.back().name == "pos_embed.weight");
        check_grads_tight(params, de, e, loss);
    }
}

TEST_CASE("learned positions: a table of max_positions rows, params and shapes agree",
          "[positions][params]") {
    InputPositions learned(PositionKind::learned, 6, 4);
    ParamList params;
    learned.params("pos_embed.", params);
    ShapeList shapes;
    InputPositions::shapes("pos_embed.", PositionKind::learned, 6, 4, shapes);
    test::check_shapes_match(params, shapes);
    // Rows 0 … n−1 are added to each sequence, after ×√d_model.
    const arma::mat e = arma::randn(6, 4);
    const arma::mat x = learned.forward(e, 2);
    CHECK(arma::approx_equal(x.rows(3, 5), e.rows(3, 5) * 2.0 + learned.table.weight.rows(0, 2),
                             "absdiff", 1e-15));
    CHECK_THROWS_AS(learned.forward(arma::randn(7, 4)), InputError);
    // The other kinds have no parameters and take any length.
    for (PositionKind kind : {PositionKind::none, PositionKind::rope, PositionKind::alibi}) {
        InputPositions other(kind, 6, 4);
        ParamList none;
        other.params("pos_embed.", none);
        CHECK(none.empty());
        CHECK(arma::approx_equal(other.forward(arma::mat(e.rows(0, 1)), 1), e.rows(0, 1) * 2.0,
                                 "absdiff", 0.0));
    }
    InputPositions sinusoidal(PositionKind::sinusoidal, 6, 4);
    CHECK(arma::approx_equal(sinusoidal.forward(e, 2), add_positions(e, 2), "absdiff", 0.0));
}

TEST_CASE("the KV cache refuses RoPE and ALiBi", "[positions][mha]") {
    MultiHeadAttention mha(8, 2);
    mha.positions = attention_positions(PositionKind::alibi);
    KVCache cache(1, 8, 4);
    CHECK_THROWS_AS(mha.forward_step(arma::randn(1, 8), cache), InputError);
}
