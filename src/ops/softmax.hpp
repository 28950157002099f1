// Row-wise softmax, numerically stable and mask-aware.
//   weights[i, j] = exp(s[i, j] − max_j s[i, ·]) / Σ_j exp(…)   over unblocked j
// Blocked positions get weight exactly 0. A row with every position blocked is all
// zeros (never NaN). Huge logits do not overflow (the row maximum is subtracted).
#pragma once
#include "ops/mask.hpp"

#include <armadillo>

namespace tfm {

arma::mat softmax_rows(const arma::mat& scores, const Mask& mask = {});
// The same, written into `weights` (its memory kept when the shape repeats); not the scores.
void softmax_rows_into(const arma::mat& scores, arma::mat& weights, const Mask& mask = {});

// dL/dscores from the softmax output and dL/dweights:
//   dscores[i, ·] = w[i, ·] ⊙ (dw[i, ·] − Σ_j w[i, j] dw[i, j])
// Blocked positions (w = 0) get gradient 0.
arma::mat softmax_rows_backward(const arma::mat& weights, const arma::mat& dweights);
// The same in place: d holds dL/dweights on entry, dL/dscores on return.
void softmax_rows_backward_in_place(const arma::mat& weights, arma::mat& d);

}  // namespace tfm
