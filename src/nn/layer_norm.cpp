#include "nn/layer_norm.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"

namespace tfm {

LayerNorm::LayerNorm(arma::uword d_model, double eps)
    : eps(eps),
      weight(1, d_model, arma::fill::ones),
      bias(1, d_model, arma::fill::zeros),
      weight_grad(1, d_model, arma::fill::zeros),
      bias_grad(1, d_model, arma::fill::zeros) {}

arma::mat LayerNorm::forward(const arma::mat& x) {
    require(x.n_cols == weight.n_cols,
            [&] { return tr("layer norm expects {1} columns, got {2}", weight.n_cols, x.n_cols); });
    mean_ = arma::mean(x, 1);  // per token (dim = 1)
    const arma::mat centered = x.each_col() - mean_;
    var_ = arma::mean(arma::square(centered), 1);  // biased: divides by d_model
    const arma::colvec inv_std = 1.0 / arma::sqrt(var_ + eps);
    xhat_ = centered.each_col() % inv_std;

    arma::mat y = xhat_.each_row() % weight;
    y.each_row() += bias;
    return y;
}

arma::mat LayerNorm::backward(const arma::mat& dy) {
    require(arma::size(dy) == arma::size(xhat_),
            [&] { return tr("layer norm backward: dy must be {1}", shape_string(xhat_)); });
    weight_grad += arma::sum(dy % xhat_, 0);
    bias_grad += arma::sum(dy, 0);

    // x̂ depends on every x of its row through μ and σ², so per row:
    //   dx = (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)) / √(σ² + ε)
    const arma::mat dxhat = dy.each_row() % weight;
    const arma::colvec mean_dxhat = arma::mean(dxhat, 1);
    const arma::colvec mean_dxhat_xhat = arma::mean(dxhat % xhat_, 1);
    arma::mat dx = dxhat.each_col() - mean_dxhat;
    dx -= xhat_.each_col() % mean_dxhat_xhat;
    dx.each_col() /= arma::sqrt(var_ + eps);
    return dx;
}

void LayerNorm::zero_grad() {
    weight_grad.zeros();
    bias_grad.zeros();
}

void LayerNorm::params(const std::string& prefix, ParamList& out) {
    out.push_back({prefix + "weight", &weight, &weight_grad, true, {Init::constant, 1.0}});
    out.push_back({prefix + "bias", &bias, &bias_grad, true, {Init::constant, 0.0}});
}

void LayerNorm::shapes(const std::string& prefix, arma::uword d_model, ShapeList& out) {
    out.push_back({prefix + "weight", {d_model}});
    out.push_back({prefix + "bias", {d_model}});
}

}  // namespace tfm
