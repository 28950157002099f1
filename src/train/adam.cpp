#include "train/adam.hpp"

#include <cmath>

namespace tfm {

Adam::Adam(const ParamList& params_, AdamOptions options_) : options(options_), params(params_) {
    for (const Param& p : params) {
        m.emplace_back(arma::size(*p.value), arma::fill::zeros);
        v.emplace_back(arma::size(*p.value), arma::fill::zeros);
    }
}

// One pass over each parameter's memory, every element updated where it lies: a
// Transformer-base step updates 44 million of them, and separate whole-matrix statements
// would read and write every array three times over.
void Adam::step(double lr) {
    ++steps;
    const double t = static_cast<double>(steps);
    const double b1 = options.beta1, b2 = options.beta2, eps = options.eps;
    const double step_size = lr / (1.0 - std::pow(b1, t));         // lr · m̂ / m
    const double inv_correction2 = 1.0 / (1.0 - std::pow(b2, t));  // v̂ / v
    for (std::size_t i = 0; i < params.size(); ++i) {
        const double* g = params[i].grad->memptr();
        double* theta = params[i].value->memptr();
        double* mi = m[i].memptr();
        double* vi = v[i].memptr();
        const arma::uword n = params[i].value->n_elem;
        const bool matrix = params[i].value->n_rows > 1 && params[i].value->n_cols > 1;
        const double keep = matrix ? 1.0 - lr * options.weight_decay : 1.0;
        for (arma::uword k = 0; k < n; ++k) {
            mi[k] = b1 * mi[k] + (1.0 - b1) * g[k];
            vi[k] = b2 * vi[k] + (1.0 - b2) * g[k] * g[k];
            theta[k] =
                keep * theta[k] - step_size * mi[k] / (std::sqrt(vi[k] * inv_correction2) + eps);
        }
    }
}

double clip_grad_norm(const ParamList& params, double max_norm) {
    double sum_squares = 0.0;
    for (const Param& p : params) sum_squares += arma::accu(arma::square(*p.grad));
    const double norm = std::sqrt(sum_squares);
    if (max_norm > 0.0 && norm > max_norm) {
        const double scale = max_norm / norm;
        for (const Param& p : params) *p.grad *= scale;
    }
    return norm;
}

}  // namespace tfm
