// Lesson 03's own numbers: which keys each query keeps under the mask, and why attention
// divides the scores by √d_k, measured rather than asserted.
//
// If the entries of a query q and a key k are independent with mean 0 and variance 1,
// q·k = Σ_{i<d_k} q_i k_i is a sum of d_k terms of variance 1, so var(q·k) = d_k: the
// wider the head, the larger the scores, and softmax of large scores puts almost all
// the weight on one key (its gradient then almost vanishes). Dividing by √d_k brings
// the variance back to 1 whatever d_k is.
#pragma once
#include "io/table.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm::course {

// Which keys each query may look at, spelled out: query | keeps keys | blocked keys, one
// row per query (mask: 1 = blocked; empty: nothing blocked).
TextTable kept_and_blocked_table(const arma::umat& mask, const std::vector<std::string>& labels);

struct ScoreStats {
    double variance;         // of all entries of the score matrix (biased: ÷ count)
    double mean_max_weight;  // softmax each row, take its largest weight, average over rows
};

// The two numbers for a given score matrix (rows = queries, columns = keys).
ScoreStats score_stats(const arma::mat& scores);

struct ScalingMeasurement {
    arma::uword d_k, num_queries, num_keys;
    ScoreStats raw;     // scores q·k
    ScoreStats scaled;  // scores q·k / √d_k
};

// Draws num_queries random queries, each with its own num_keys random keys, every
// entry N(0, 1) from the course's seeded generator, and measures both score matrices.
// The work of section 6's measurement in multiply-adds: trials · n keys · (d_k + 64)
// normal draws (two widths), each about 170 multiply-adds' time here (measured: 1.4·10⁸
// draws in 7 s), for the work budget (core/budget.hpp).
std::uint64_t score_scaling_work(std::uint64_t trials, std::uint64_t num_keys, std::uint64_t d_k);

ScalingMeasurement measure_score_scaling(arma::uword d_k, arma::uword num_keys,
                                         arma::uword num_queries);

}  // namespace tfm::course
