// The feed-forward half of an encoder layer: FFN with a residual connection and
// LayerNorm ("Add & Norm", nn/add_norm.hpp) — lesson 05's module.
//   post-LN (default, the 2017 paper):  y = LayerNorm(x + FFN(x))
//   pre-LN (norm_first):                y = x + FFN(LayerNorm(x))
// Parameter names: linear1.*, linear2.*, norm.*
#pragma once
#include "nn/add_norm.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"

namespace tfm {

class FfnBlock {
public:
    FfnBlock(arma::uword d_model, arma::uword d_ff, Activation activation, bool norm_first);

    arma::mat forward(const arma::mat& x);
    arma::mat backward(const arma::mat& dy);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // linear1., linear2., norm.
    static void shapes(const std::string& prefix, arma::uword d_model, arma::uword d_ff,
                       ShapeList& out);

    bool norm_first;
    FeedForward ffn;
    LayerNorm norm;

    arma::mat ffn_out_;   // FFN(x) (post-LN) or FFN(LN(x)) (pre-LN)
    arma::mat residual_;  // x + ffn_out_  (before the norm in post-LN)
};

}  // namespace tfm
