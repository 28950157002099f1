#include "train/cross_entropy.hpp"

#include "core/error.hpp"

#include <cmath>

namespace tfm {

arma::mat log_softmax_rows(const arma::mat& logits) {
    arma::mat out(arma::size(logits));
    for (arma::uword i = 0; i < logits.n_rows; ++i) {
        const arma::rowvec row = logits.row(i);
        const double m = row.max();
        const double log_sum = std::log(arma::accu(arma::exp(row - m)));
        out.row(i) = row - m - log_sum;
    }
    return out;
}

CrossEntropy cross_entropy(const arma::mat& logits, const TokenIds& targets, arma::uword ignore_id,
                           double label_smoothing) {
    require(targets.size() == logits.n_rows, "cross_entropy: " + std::to_string(targets.size()) +
                                                 " targets for " + std::to_string(logits.n_rows) +
                                                 " rows of logits");
    require(label_smoothing >= 0.0 && label_smoothing < 1.0, "label smoothing must be in [0, 1)");
    const arma::uword V = logits.n_cols;
    const double eps = label_smoothing;
    const arma::mat log_p = log_softmax_rows(logits);

    CrossEntropy ce;
    ce.dlogits.zeros(logits.n_rows, V);
    for (arma::uword i = 0; i < targets.size(); ++i) {
        const arma::uword t = targets[i];
        if (t == ignore_id) continue;
        require(t < V, "cross_entropy: target id " + std::to_string(t) +
                           " is not below the vocabulary size " + std::to_string(V));
        // q = (1 − ε)·one_hot(t) + ε/V, so −Σ q log p = −(1 − ε) log p_t − (ε/V) Σ log p.
        ce.total +=
            -(1.0 - eps) * log_p(i, t) - eps / static_cast<double>(V) * arma::accu(log_p.row(i));
        ce.dlogits.row(i) = arma::exp(log_p.row(i)) - eps / static_cast<double>(V);
        ce.dlogits(i, t) -= 1.0 - eps;
        ++ce.count;
    }
    return ce;
}

CrossEntropy batch_cross_entropy(const arma::mat& logits, const std::vector<TokenIds>& targets,
                                 arma::uword ignore_id, double label_smoothing) {
    require(!targets.empty() && logits.n_rows % targets.size() == 0,
            "batch_cross_entropy: " + std::to_string(logits.n_rows) + " rows of logits for " +
                std::to_string(targets.size()) + " sequences");
    const arma::uword n = logits.n_rows / targets.size();
    CrossEntropy ce;
    ce.dlogits.set_size(arma::size(logits));
    for (std::size_t b = 0; b < targets.size(); ++b) {
        const arma::span rows(b * n, (b + 1) * n - 1);
        const CrossEntropy part = cross_entropy(logits.rows(rows), targets[b], ignore_id,
                                                label_smoothing);  // checks the length
        ce.total += part.total;
        ce.count += part.count;
        ce.dlogits.rows(rows) = part.dlogits;
    }
    return ce;
}

}  // namespace tfm
