#include "ops/activation.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>
#include <utility>

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
    if (a == Activation::relu) {
        if (cdf != nullptr) cdf->reset();
        arma::mat y = x;
        y.transform([](double v) { return v > 0.0 ? v : 0.0; });
        return y;
    }
    arma::mat phi = x;
    phi.transform([](double v) { return normal_cdf(v); });
    arma::mat y = x % phi;
    if (cdf != nullptr) *cdf = std::move(phi);
    return y;
}

arma::mat activate_backward(Activation a, const arma::mat& x, const arma::mat& dy,
                            const arma::mat* cdf) {
    arma::mat slope = x;
    if (a == Activation::relu) {
        // relu'(0) is taken as 0, as PyTorch does.
        slope.transform([](double v) { return v > 0.0 ? 1.0 : 0.0; });
        return dy % slope;
    }
    const bool kept = cdf != nullptr && !cdf->is_empty();
    require(!kept || arma::size(*cdf) == arma::size(x),
            "activate_backward: the kept Φ(x) is not the shape of x");
    // d/dx [x Φ(x)] = Φ(x) + x φ(x), with the forward pass's Φ(x) when it was kept.
    double* s = slope.memptr();
    for (arma::uword i = 0; i < slope.n_elem; ++i) {
        const double v = s[i];
        s[i] = (kept ? cdf->at(i) : normal_cdf(v)) + v * normal_pdf(v);
    }
    return dy % slope;
}

}  // namespace tfm
