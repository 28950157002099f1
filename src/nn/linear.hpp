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
    // The same with a weight held elsewhere (a tied output layer reads the embedding
    // table itself: one tensor, no copy); its gradient is added into weight_grad there.
    arma::mat forward(const arma::mat& x, const arma::mat& tied_weight);
    arma::mat backward(const arma::mat& dy, const arma::mat& tied_weight,
                       arma::mat& tied_weight_grad);

    void zero_grad();
    // prefix+"weight" (unless the weight is tied: empty), prefix+"bias"
    void params(const std::string& prefix, ParamList& out);
    static double weight_bound(arma::uword in_features, arma::uword out_features);
    static double bias_bound(arma::uword in_features);
    static void shapes(const std::string& prefix, arma::uword in_features, arma::uword out_features,
                       ShapeList& out, bool with_bias = true, bool with_weight = true);

    arma::mat weight;       // [out × in]  (empty when tied to a tensor held elsewhere)
    arma::mat bias;         // [1 × out]  (empty without bias)
    arma::mat weight_grad;  // [out × in]
    arma::mat bias_grad;    // [1 × out]

private:
    arma::uword in_features_;  // kept for the bias's bound when the weight is tied
    arma::mat x_;
};

}  // namespace tfm
