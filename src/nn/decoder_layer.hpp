// One decoder layer (names: self_attn., norm1., cross_attn., norm2., ffn., norm3.):
//   post-LN:  a = LN1(y + SelfAttn(y, causal));  b = LN2(a + CrossAttn(a, memory));
//             out = LN3(b + FFN(b))
//   pre-LN:   a = y + SelfAttn(LN1(y));  b = a + CrossAttn(LN2(a), memory);  out = b + FFN(LN3(b))
// memory is the encoder's final output; every decoder layer reads the same memory.
#pragma once
#include "model/config.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"

namespace tfm {

class DecoderLayer {
public:
    explicit DecoderLayer(const ModelConfig& config);

    // tgt_mask: [n_tgt × n_tgt] (causal, maybe with padding); memory_mask: [n_tgt × n_src].
    // A batch of `sequences` stacks y, memory and both masks by rows (multi_head_attention.hpp).
    arma::mat forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                      const Mask& memory_mask = {}, arma::uword sequences = 1);
    struct Grads {
        arma::mat dy;       // dL/dy (the layer's input)
        arma::mat dmemory;  // dL/dmemory
    };
    Grads backward(const arma::mat& dout);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);
    static void shapes(const std::string& prefix, const ModelConfig& config, ShapeList& out);

    bool norm_first;
    MultiHeadAttention self_attn;
    LayerNorm norm1;
    MultiHeadAttention cross_attn;
    LayerNorm norm2;
    FeedForward ffn;
    LayerNorm norm3;

    arma::mat self_out_, a_, cross_out_, b_, ffn_out_, output_;  // cached for lessons
};

class Decoder {
public:
    explicit Decoder(const ModelConfig& config);

    arma::mat forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                      const Mask& memory_mask = {}, arma::uword sequences = 1);
    struct Grads {
        arma::mat dy, dmemory;  // dmemory summed over all layers
    };
    Grads backward(const arma::mat& dout);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // layers.{i}.…, norm.…
    static void shapes(const std::string& prefix, const ModelConfig& config, ShapeList& out);

    std::vector<DecoderLayer> layers;
    bool has_final_norm;
    LayerNorm norm;

    std::vector<arma::mat> layer_outputs_;
};

// Causality, measured: runs a copy of `decoder` (its caches stay as they were) on y and on
// y_changed, which differ from row `first_changed` on, with the causal mask, and returns
// the largest |difference| of the output rows before first_changed (exactly 0 for a
// causal decoder) and from it on.
struct CausalityGap {
    double earlier_rows, later_rows;
};
CausalityGap measure_causality(Decoder decoder, const arma::mat& y, const arma::mat& y_changed,
                               const arma::mat& memory, arma::uword first_changed);

}  // namespace tfm
