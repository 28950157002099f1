#include "nn/linear.hpp"

#include "core/error.hpp"
#include "core/random.hpp"

#include <cmath>

namespace tfm {

Linear::Linear(arma::uword in_features, arma::uword out_features, bool with_bias) {
    require(in_features > 0 && out_features > 0,
            "a linear layer needs at least one input and one output feature");
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    weight = uniform(out_features, in_features, bound);
    weight_grad.zeros(out_features, in_features);
    if (with_bias) {
        bias = uniform(1, out_features, bound);
        bias_grad.zeros(1, out_features);
    }
}

arma::mat Linear::forward(const arma::mat& x) {
    require(x.n_cols == weight.n_cols, "linear layer expects " + std::to_string(weight.n_cols) +
                                           " columns, got " + std::to_string(x.n_cols));
    x_ = x;
    arma::mat y = x * weight.t();
    if (!bias.is_empty()) y.each_row() += bias;
    return y;
}

arma::mat Linear::backward(const arma::mat& dy) {
    require(dy.n_rows == x_.n_rows && dy.n_cols == weight.n_rows,
            "linear backward: dy must be " + std::to_string(x_.n_rows) + " × " +
                std::to_string(weight.n_rows));
    weight_grad += dy.t() * x_;                           // [out × n]·[n × in]
    if (!bias.is_empty()) bias_grad += arma::sum(dy, 0);  // every row used the same bias
    return dy * weight;                                   // [n × out]·[out × in]
}

void Linear::zero_grad() {
    weight_grad.zeros();
    bias_grad.zeros();
}

void Linear::params(const std::string& prefix, ParamList& out) {
    out.push_back({prefix + "weight", &weight, &weight_grad, false});
    if (!bias.is_empty()) out.push_back({prefix + "bias", &bias, &bias_grad, true});
}

void Linear::shapes(const std::string& prefix, arma::uword in_features, arma::uword out_features,
                    ShapeList& out, bool with_bias) {
    out.push_back({prefix + "weight", {out_features, in_features}});
    if (with_bias) out.push_back({prefix + "bias", {out_features}});
}

}  // namespace tfm
