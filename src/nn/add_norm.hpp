// The sub-layer connection around attention or the FFN ("Add & Norm"), in either
// norm placement, with the layer's own LayerNorm:
//   post-LN (norm_first false, the 2017 paper):  y = LN(x + f(x))
//   pre-LN  (norm_first true, GPT-2):            y = x + f(LN(x))
// FfnBlock, EncoderLayer and DecoderLayer are each a chain of these, so
// EncoderLayer::forward reads  a = AddNorm(x, SelfAttn);  y = AddNorm(a, FFN).
//
// f is the sub-layer's forward (it caches what its backward needs); backward takes f's
// backward, dL/d(f's output) → dL/d(f's input).
#pragma once
#include "nn/layer_norm.hpp"

#include <armadillo>
#include <functional>

namespace tfm {

using Sublayer = std::function<arma::mat(const arma::mat&)>;

class AddNorm {
public:
    explicit AddNorm(bool norm_first) : norm_first(norm_first) {}

    arma::mat forward(LayerNorm& norm, const arma::mat& x, const Sublayer& f) const;
    // Returns dL/dx. The residual sends dL/d(sum) both straight through and through f.
    arma::mat backward(LayerNorm& norm, const arma::mat& dy, const Sublayer& f_backward) const;

    bool norm_first;
};

}  // namespace tfm
