// One decoder layer (names: self_attn., norm1., cross_attn., norm2., ffn., norm3.), three
// Add & Norm sub-layers (nn/add_norm.hpp):
//   post-LN:  a = LN1(y + SelfAttn(y, causal));  b = LN2(a + CrossAttn(a, memory));
//             out = LN3(b + FFN(b))
//   pre-LN:   a = y + SelfAttn(LN1(y));  b = a + CrossAttn(LN2(a), memory);  out = b + FFN(LN3(b))
// memory is the encoder's final output; every decoder layer reads the same memory.
// Without cross-attention (LayerConfig::cross_attention false: GPT's block) b = a, there is
// no memory, and the FFN's norm is the layer's second: names self_attn., norm1., ffn., norm2.
//
// forward_step is the same layer for one new position per sequence (incremental decoding,
// forward only): self-attention appends to and reads self_cache, cross-attention reads the
// memory's K and V kept in cross_cache (entry source_of[b] for sequence b).
// In training, dropout (off unless set_dropout) acts on each sub-layer's output before the
// Add, as in nn/encoder_layer.hpp; forward_step (inference) never drops.
#pragma once
#include "nn/add_norm.hpp"
#include "nn/dropout.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_config.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"

namespace tfm {

class DecoderLayer {
public:
    explicit DecoderLayer(const LayerConfig& config);

    // tgt_mask: [n_tgt × n_tgt] (causal, maybe with padding); memory_mask: [n_tgt × n_src].
    // A batch of `sequences` stacks y, memory and both masks by rows (multi_head_attention.hpp).
    arma::mat forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                      const Mask& memory_mask = {}, arma::uword sequences = 1);
    struct Grads {
        arma::mat dy;       // dL/dy (the layer's input)
        arma::mat dmemory;  // dL/dmemory
    };
    Grads backward(const arma::mat& dout);

    // y [B × d_model]: the newest position of B sequences; src_padding [sources × n_src].
    arma::mat forward_step(const arma::mat& y, KVCache& self_cache, const KVCache& cross_cache,
                           const std::vector<arma::uword>& source_of, const Mask& src_padding);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);
    static void shapes(const std::string& prefix, const LayerConfig& config, ShapeList& out);
    void set_dropout(double rate, std::mt19937_64* rng);  // nn/dropout.hpp; 0: off

    bool norm_first;
    bool cross;  // has cross-attention (and norm2 before it)
    MultiHeadAttention self_attn;
    LayerNorm norm1;
    MultiHeadAttention cross_attn;
    LayerNorm norm2;
    FeedForward ffn;
    LayerNorm norm3;
    Dropout drop1, drop2, drop3;  // on SelfAttn(·), CrossAttn(·), FFN(·)

    arma::mat self_out_, a_, cross_out_, b_, ffn_out_, output_;  // cached for lessons
};

}  // namespace tfm
