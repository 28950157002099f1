#include "course/lesson_03.hpp"

#include "core/budget.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "io/table.hpp"
#include "ops/softmax.hpp"

#include <cmath>
#include <stdexcept>

namespace tfm::course {

TextTable kept_and_blocked_table(const arma::umat& mask, const std::vector<std::string>& labels) {
    TextTable t{{tr("query"), tr("keeps keys"), tr("blocked keys")}, {}};
    for (arma::uword i = 0; i < labels.size(); ++i) {
        std::vector<std::string> kept, blocked;
        for (arma::uword j = 0; j < labels.size(); ++j)
            (!mask.is_empty() && mask(i, j) ? blocked : kept).push_back(labels[j]);
        t.rows.push_back({std::to_string(i) + " " + labels[i],
                          kept.empty() ? tr("(none)") : join_labels(kept),
                          blocked.empty() ? tr("(none)") : join_labels(blocked)});
    }
    return t;
}

ScoreStats score_stats(const arma::mat& scores) {
    if (scores.is_empty()) throw std::invalid_argument("score_stats: empty score matrix");
    const double mean = arma::mean(arma::vectorise(scores));
    const double variance =
        arma::accu(arma::square(scores - mean)) / static_cast<double>(scores.n_elem);
    const arma::mat weights = softmax_rows(scores);
    const arma::colvec row_max = arma::max(weights, 1);
    return {variance, arma::mean(row_max)};
}

std::uint64_t score_scaling_work(std::uint64_t trials, std::uint64_t num_keys, std::uint64_t d_k) {
    return mul_sat(mul_sat(mul_sat(trials, num_keys), d_k + 64), 170);
}

ScalingMeasurement measure_score_scaling(arma::uword d_k, arma::uword num_keys,
                                         arma::uword num_queries) {
    if (d_k == 0 || num_keys == 0 || num_queries == 0)
        throw std::invalid_argument("measure_score_scaling: sizes must be at least 1");
    arma::mat scores(num_queries, num_keys);
    for (arma::uword i = 0; i < num_queries; ++i) {
        // Fresh keys for every query, so the num_queries · num_keys scores are independent.
        const arma::mat q = normal(1, d_k);
        const arma::mat k = normal(num_keys, d_k);
        scores.row(i) = q * k.t();
    }
    const arma::mat scaled = scores / std::sqrt(static_cast<double>(d_k));
    return {d_k, num_queries, num_keys, score_stats(scores), score_stats(scaled)};
}

}  // namespace tfm::course
