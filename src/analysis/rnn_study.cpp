#include "analysis/rnn_study.hpp"

#include "analysis/gradient_distance.hpp"
#include "core/error.hpp"
#include "rnn/spectral.hpp"

#include <cmath>
#include <vector>

namespace tfm {

RnnRun run_rnn_at_rho(VanillaRnn& rnn, const arma::mat& w_base, double rho, const arma::mat& x,
                      const arma::rowvec& g) {
    RnnRun run;
    run.rho = rho;
    rnn.w_hh = rescale_to_spectral_radius(w_base, rho);
    run.measured_rho = spectral_radius(rnn.w_hh);
    run.norms = rnn_input_gradient_norms(rnn, x, g);

    const arma::uword T = x.n_rows;
    std::vector<arma::mat> jacobians;
    for (arma::uword t = 0; t < T; ++t) jacobians.push_back(rnn.step_jacobian(t));
    run.jacobian_norms = jacobian_product_norms(jacobians).head(T);

    const arma::mat h = rnn.h_.rows(1, T);
    if (rnn.activation == RnnActivation::tanh) {
        const arma::vec derivative = arma::vectorise(1.0 - arma::square(h));
        run.mean_derivative = arma::mean(derivative);
        run.geo_mean_derivative = std::exp(arma::mean(arma::log(derivative)));
        run.saturated_fraction = static_cast<double>(arma::accu(arma::abs(h) > 0.9)) / static_cast<double>(h.n_elem);
    } else {
        run.mean_derivative = 1.0;
        run.geo_mean_derivative = 1.0;
        run.saturated_fraction = 0.0;
    }
    return run;
}

LineFit decay_fit(const arma::vec& norms, double min_distance) {
    const std::optional<LineFit> fit = try_decay_fit(norms, min_distance);
    require(fit.has_value(), "too few finite gradient norms to fit a slope");
    return *fit;
}

std::optional<LineFit> try_decay_fit(const arma::vec& norms, double min_distance) {
    const arma::vec dist = distances(norms.n_elem);
    std::vector<double> xs, ys;
    for (arma::uword t = 0; t < norms.n_elem; ++t) {
        if (dist(t) >= min_distance && std::isfinite(norms(t)) && norms(t) > 0.0) {
            xs.push_back(dist(t));
            ys.push_back(std::log(norms(t)));
        }
    }
    if (xs.size() < 2) return std::nullopt;
    return fit_line(arma::vec(xs), arma::vec(ys));
}

}  // namespace tfm

namespace tfm {

arma::uword usable_reach(const arma::vec& norms) {
    arma::uword reach = 0;
    // norms[t] is at distance T − 1 − t: walk from the last token back.
    for (arma::uword k = 0; k < norms.n_elem; ++k) {
        const double n = norms(norms.n_elem - 1 - k);
        if (!std::isfinite(n) || n <= 0.0) break;
        reach = k;
    }
    return reach;
}

std::optional<LineFit> far_decay_fit(const arma::vec& norms) {
    const arma::uword reach = usable_reach(norms);
    if (reach < 1) return std::nullopt;
    const double from = std::min(reach / 4.0, reach - 1.0);
    const arma::vec usable = norms.tail(reach + 1);
    return try_decay_fit(usable, from);
}

}  // namespace tfm
