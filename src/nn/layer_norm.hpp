// Layer normalisation over the features of each row (token):
//   μ = mean(x_row), σ² = mean((x_row − μ)²)   (biased, as PyTorch)
//   x̂ = (x − μ) / √(σ² + ε),  y = x̂ ⊙ weight + bias,  ε = 1e-5
#pragma once
#include "core/params.hpp"

#include <armadillo>
#include <string>

namespace tfm {

class LayerNorm {
public:
    explicit LayerNorm(arma::uword d_model, double eps = 1e-5);  // weight = 1, bias = 0

    arma::mat forward(const arma::mat& x);
    arma::mat backward(const arma::mat& dy);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // prefix+"weight", prefix+"bias"
    static void shapes(const std::string& prefix, arma::uword d_model, ShapeList& out);

    double eps;
    arma::mat weight, bias;  // [1 × d_model]
    arma::mat weight_grad, bias_grad;

    // Cached by forward (lessons print them).
    arma::colvec mean_, var_;  // per row [n]
    arma::mat xhat_;           // normalised, before the affine step
};

}  // namespace tfm
