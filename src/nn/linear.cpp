#include "nn/linear.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "core/shape.hpp"

#include <cmath>

namespace tfm {

Linear::Linear(arma::uword in_features, arma::uword out_features, bool with_bias)
    : in_features_(in_features) {
    require(in_features > 0 && out_features > 0,
            [&] { return tr("a linear layer needs at least one input and one output feature"); });
    weight = uniform(out_features, in_features, weight_bound(in_features, out_features));
    weight_grad.zeros(out_features, in_features);
    if (with_bias) {
        bias = uniform(1, out_features, bias_bound(in_features));
        bias_grad.zeros(1, out_features);
    }
}

arma::mat Linear::forward(const arma::mat& x) { return forward(x, weight); }

arma::mat Linear::backward(const arma::mat& dy) { return backward(dy, weight, weight_grad); }

arma::mat Linear::forward(const arma::mat& x, const arma::mat& w) {
    require(x.n_cols == w.n_cols,
            [&] { return tr("linear layer expects {1} columns, got {2}", w.n_cols, x.n_cols); });
    x_ = x;
    arma::mat y = x * w.t();
    if (!bias.is_empty()) y.each_row() += bias;
    return y;
}

arma::mat Linear::backward(const arma::mat& dy, const arma::mat& w, arma::mat& w_grad) {
    require(dy.n_rows == x_.n_rows && dy.n_cols == w.n_rows, [&] {
        return tr("linear backward: dy must be {1}", shape_string(x_.n_rows, w.n_rows));
    });
    w_grad += dy.t() * x_;                                // [out × n]·[n × in]
    if (!bias.is_empty()) bias_grad += arma::sum(dy, 0);  // every row used the same bias
    return dy * w;                                        // [n × out]·[out × in]
}

void Linear::zero_grad() {
    weight_grad.zeros();
    bias_grad.zeros();
}

// Xavier (Glorot) uniform, as nn.Transformer and the Annotated Transformer initialise
// every weight matrix: Var(w) = 2 / (in + out) keeps a product's rows about as large as
// its inputs, so the attention scores start soft.
double Linear::weight_bound(arma::uword in_features, arma::uword out_features) {
    return std::sqrt(6.0 / static_cast<double>(in_features + out_features));
}

// nn.Linear's default for the bias: U(−1/√in, 1/√in).
double Linear::bias_bound(arma::uword in_features) {
    return 1.0 / std::sqrt(static_cast<double>(in_features));
}

void Linear::params(const std::string& prefix, ParamList& out) {
    if (!weight.is_empty())
        out.push_back({prefix + "weight",
                       &weight,
                       &weight_grad,
                       false,
                       {Init::uniform, weight_bound(in_features_, weight.n_rows)}});
    if (!bias.is_empty())
        out.push_back(
            {prefix + "bias", &bias, &bias_grad, true, {Init::uniform, bias_bound(in_features_)}});
}

void Linear::shapes(const std::string& prefix, arma::uword in_features, arma::uword out_features,
                    ShapeList& out, bool with_bias, bool with_weight) {
    if (with_weight) out.push_back({prefix + "weight", {out_features, in_features}});
    if (with_bias) out.push_back({prefix + "bias", {out_features}});
}

}  // namespace tfm
