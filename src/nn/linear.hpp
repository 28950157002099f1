// A linear map, stored the PyTorch way.
//   y = x · weightᵀ + bias        x [n × in], weight [out × in], bias [out], y [n × out]
// Backward (adds into the gradients):
//   weight_grad += dyᵀ · x,  bias_grad += Σ_rows dy,  dx = dy · weight
#pragma once
#include "core/params.hpp"

#include <armadillo>
#include <string>

namespace tfm {

class Linear {
public:
    // Draws weight from Xavier's U(−√(6/(in+out)), √(6/(in+out))) and bias from
    // U(−1/√in, 1/√in), as nn.Transformer initialises its layers.
    Linear(arma::uword in_features, arma::uword out_features, bool with_bias = true);

    arma::mat forward(const arma::mat& x);    // caches x
    arma::mat backward(const arma::mat& dy);  // needs the cached x

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // prefix+"weight", prefix+"bias"
    static double weight_bound(arma::uword in_features, arma::uword out_features);
    static double bias_bound(arma::uword in_features);
    static void shapes(const std::string& prefix, arma::uword in_features,
                       arma::uword out_features, ShapeList& out, bool with_bias = true);

    arma::mat weight;       // [out × in]
    arma::mat bias;         // [1 × out]  (empty without bias)
    arma::mat weight_grad;  // [out × in]
    arma::mat bias_grad;    // [1 × out]

private:
    arma::mat x_;
};

}  // namespace tfm
