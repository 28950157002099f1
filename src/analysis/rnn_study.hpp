// The RNN side of lesson 08 as numbers: run one RNN at a chosen spectral radius on the
// shared inputs and collect what the lesson explains with.
//   norms[t]        = ‖∂L/∂x_t‖ for L = ⟨g, h_{T−1}⟩          (analysis/gradient_distance.hpp)
//   jacobian_norms[k] = ‖J_{T−1} ⋯ J_{T−k}‖₂, J_t = diag(act′(a_t))·W_hh   (k = 0 … T−1)
//   mean_derivative = mean of act′(a_t) over every step and unit (1 for linear; for tanh
//                     1 − h², which is < 1 and → 0 where a unit saturates at ±1)
//   geo_mean_derivative = exp(mean ln act′(a_t)): the typical factor per step in a
//                     product of Jacobians (a product averages logs, not values)
//   saturated_fraction = share of the h_t entries with |h| > 0.9 (tanh′ < 0.19 there)
#pragma once
#include "analysis/line_fit.hpp"
#include "rnn/vanilla_rnn.hpp"

#include <armadillo>
#include <optional>

namespace tfm {

struct RnnRun {
    double rho;               // the spectral radius W_hh was rescaled to
    double measured_rho;      // spectral_radius(W_hh) after rescaling
    arma::vec norms;          // [T]
    arma::vec jacobian_norms; // [T], entry k for distance k
    double mean_derivative;
    double geo_mean_derivative;
    double saturated_fraction;
};

// Sets rnn.w_hh = rescale_to_spectral_radius(w_base, rho), then forward and backward.
RnnRun run_rnn_at_rho(VanillaRnn& rnn, const arma::mat& w_base, double rho, const arma::mat& x,
                      const arma::rowvec& g);

// Least-squares line of ln norms[t] against distance T − 1 − t, over the positions with
// distance ≥ min_distance whose norm is finite and > 0. Its slope is the per-step log
// growth factor (compare with ln ρ). InputError with fewer than two such positions.
LineFit decay_fit(const arma::vec& norms, double min_distance);
// The largest distance D such that every norm at distances 0 … D is finite and > 0: how
// far a fit can reach before double overflows (ρ > 1) or underflows to 0 (small ρ, long T).
arma::uword usable_reach(const arma::vec& norms);

// The lesson's fit: distances from D/4 to D with D = usable_reach (the nearer quarter still
// carries the smaller eigenvalues); empty when fewer than two points are usable.
std::optional<LineFit> far_decay_fit(const arma::vec& norms);

// decay_fit, but empty instead of an error (a linear RNN with ρ > 1 over a long sequence
// overflows to inf, and a very short one has too few points).
std::optional<LineFit> try_decay_fit(const arma::vec& norms, double min_distance);

}  // namespace tfm
