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

arma::mat activate(Activation a, const arma::mat& x, arma::mat* cdf) {
    arma::mat y = x;
    if (a == Activation::relu) {
        y.transform([](double v) { return v > 0.0 ? v : 0.0; });
        if (cdf != nullptr) cdf->reset();
    } else if (cdf == nullptr) {
        y.transform([](double v) { return v * normal_cdf(v); });
    } else {
        *cdf = x;
        cdf->transform([](double v) { return normal_cdf(v); });
        y %= *cdf;
    }
    return y;
}

arma::mat activate_backward(Activation a, const arma::mat& x, const arma::mat& dy,
                            const arma::mat* cdf) {
    arma::mat slope = x;
    if (a == Activation::relu) {
        // relu'(0) is taken as 0, as PyTorch does.
        slope.transform([](double v) { return v > 0.0 ? 1.0 : 0.0; });
    } else if (cdf == nullptr || cdf->is_empty()) {
        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
        slope.transform([](double v) { return normal_cdf(v) + v * normal_pdf(v); });
    } else {
        require(arma::size(*cdf) == arma::size(x),
                "activate_backward: the kept Φ(x) is not the shape of x");
        // The same sum, with the forward pass's Φ(x).
        const double* phi = cdf->memptr();
        double* s = slope.memptr();
        for (arma::uword i = 0; i < slope.n_elem; ++i) s[i] = phi[i] + s[i] * normal_pdf(s[i]);
    }
    return dy % slope;
}

}  // namespace tfm
