// Position-wise feed-forward network, the same for every row:
//   FFN(x) = act(x · W1ᵀ + b1) · W2ᵀ + b2     W1 [d_ff × d_model], W2 [d_model × d_ff]
#pragma once
#include "core/params.hpp"
#include "nn/linear.hpp"
#include "ops/activation.hpp"

#include <armadillo>
#include <string>

namespace tfm {

class FeedForward {
public:
    FeedForward(arma::uword d_model, arma::uword d_ff, Activation activation = Activation::relu);

    arma::mat forward(const arma::mat& x);
    arma::mat backward(const arma::mat& dy);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // linear1., linear2.
    static void shapes(const std::string& prefix, arma::uword d_model, arma::uword d_ff,
                       ShapeList& out);

    Activation activation;
    Linear linear1, linear2;

    arma::mat hidden_pre_;  // x · W1ᵀ + b1   [n × d_ff]
    arma::mat hidden_;      // act(hidden_pre_)
    arma::mat cdf_;         // GELU's Φ(hidden_pre_), reused by backward (empty for ReLU)
};

}  // namespace tfm
