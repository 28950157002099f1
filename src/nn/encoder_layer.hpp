// One encoder layer (names under the prefix: self_attn., norm1., ffn., norm2.), two
// Add & Norm sub-layers (nn/add_norm.hpp):
//   post-LN:  a = LN1(x + SelfAttn(x));      y = LN2(a + FFN(a))
//   pre-LN:   a = x + SelfAttn(LN1(x));      y = a + FFN(LN2(a))
// In training, dropout (off unless set_dropout) acts on each sub-layer's output before
// the Add, as in the 2017 paper (§5.4): SelfAttn(·) and FFN(·) become drop(SelfAttn(·)), ….
#pragma once
#include "nn/add_norm.hpp"
#include "nn/dropout.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_config.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"

namespace tfm {

class EncoderLayer {
public:
    explicit EncoderLayer(const LayerConfig& config);

    // x may hold a batch of `sequences` stacked sequences (see multi_head_attention.hpp).
    arma::mat forward(const arma::mat& x, const Mask& mask = {}, arma::uword sequences = 1);
    arma::mat backward(const arma::mat& dy);  // returns dL/dx

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);
    static void shapes(const std::string& prefix, const LayerConfig& config, ShapeList& out);
    void set_dropout(double rate, std::mt19937_64* rng);  // nn/dropout.hpp; 0: off

    bool norm_first;
    MultiHeadAttention self_attn;
    LayerNorm norm1;
    FeedForward ffn;
    LayerNorm norm2;
    Dropout drop1, drop2;  // on SelfAttn(·) and FFN(·)

    // Cached sub-layer outputs, for lessons to print.
    arma::mat attn_out_;  // SelfAttn(·)
    arma::mat mid_;       // a: after the first Add (& Norm)
    arma::mat ffn_out_;   // FFN(·)
    arma::mat output_;    // y
};

}  // namespace tfm
