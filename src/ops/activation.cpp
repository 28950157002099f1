#include "ops/activation.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>

namespace tfm {

namespace {

// Φ(x), the standard normal CDF, and φ(x), its density.
double normal_cdf(double x) { return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * arma::datum::pi); }

}  // namespace

Activation parse_activation(const std::string& name) {
    if (name == "relu") return Activation::relu;
    if (name == "gelu") return Activation::gelu;
    throw InputError(tr("unknown activation '{1}' (expected relu or gelu)", name));
}

std::string to_string(Activation a) { return a == Activation::relu ? "relu" : "gelu"; }

arma::mat activate(Activation a, const arma::mat& x) {
    arma::mat y = x;
    if (a == Activation::relu)
        y.transform([](double v) { return v > 0.0 ? v : 0.0; });
    else
        y.transform([](double v) { return v * normal_cdf(v); });
    return y;
}

arma::mat activate_backward(Activation a, const arma::mat& x, const arma::mat& dy) {
    arma::mat slope = x;
    if (a == Activation::relu)
        // relu'(0) is taken as 0, as PyTorch does.
        slope.transform([](double v) { return v > 0.0 ? 1.0 : 0.0; });
    else
        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
        slope.transform([](double v) { return normal_cdf(v) + v * normal_pdf(v); });
    return dy % slope;
}

}  // namespace tfm
