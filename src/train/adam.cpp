#include "train/adam.hpp"

#include <cmath>

namespace tfm {

Adam::Adam(const ParamList& params_, AdamOptions options_) : options(options_), params(params_) {
    for (const Param& p : params) {
        m.emplace_back(arma::size(*p.value), arma::fill::zeros);
        v.emplace_back(arma::size(*p.value), arma::fill::zeros);
    }
}

void Adam::step(double lr) {
    ++steps;
    const double t = static_cast<double>(steps);
    const double correction1 = 1.0 - std::pow(options.beta1, t);
    const double correction2 = 1.0 - std::pow(options.beta2, t);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const arma::mat& g = *params[i].grad;
        m[i] = options.beta1 * m[i] + (1.0 - options.beta1) * g;
        v[i] = options.beta2 * v[i] + (1.0 - options.beta2) * arma::square(g);
        *params[i].value -= lr * (m[i] / correction1) / (arma::sqrt(v[i] / correction2) + options.eps);
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
