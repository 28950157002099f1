// Small measurements the lessons print about the matrices they compute: how far two
// results are apart, how many entries an activation zeroed, each token's mean and
// variance (LayerNorm's statistics), the typical size of an entry.
#pragma once
#include <armadillo>

namespace tfm {

// max |a − b| over all entries; 0 for two empty matrices. The shapes must agree
// (std::invalid_argument otherwise: comparing different shapes is a bug, not input).
double max_abs_diff(const arma::mat& a, const arma::mat& b);

// Fraction of entries exactly equal to 0 (what ReLU produces for negative inputs),
// and of entries below 0. 0 for an empty matrix.
double fraction_zero(const arma::mat& m);
double fraction_negative(const arma::mat& m);

// One value per row (token), returned as a row vector so it prints as NAME [n]:
// the mean of the row's entries, and their biased variance (divided by the number of
// columns, as LayerNorm does — not by columns − 1).
arma::rowvec row_means(const arma::mat& m);
arma::rowvec row_variances(const arma::mat& m);

// Root mean square of all entries, √(Σ m² / count): the typical size of an entry.
double rms(const arma::mat& m);

// The biased variance of the finite entries only (masked scores are −inf and not part
// of the spread); 0 when fewer than one entry is finite.
double finite_variance(const arma::mat& m);
// The mean over rows of each row's largest entry: for attention weights, how peaked
// the softmax is (1/n for uniform rows, 1 for one-hot rows).
double mean_row_max(const arma::mat& m);

}  // namespace tfm
