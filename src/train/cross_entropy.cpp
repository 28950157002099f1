#include "train/cross_entropy.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>
#include <vector>

namespace tfm {

namespace {

// Row sums of f(x[i, v]) over the rows i with wanted[i], added up the way Armadillo's accu
// adds up one row: the even and the odd columns in two running sums, then the two. The
// same order gives the same bits as summing row by row, while the walk goes down the
// columns, in the order a column-major matrix lies in memory.
template <class F>
arma::colvec row_sums(const arma::mat& x, const std::vector<char>& wanted, F f) {
    arma::colvec even(x.n_rows, arma::fill::zeros), odd(x.n_rows, arma::fill::zeros);
    for (arma::uword v = 0; v < x.n_cols; ++v) {
        const double* col = x.colptr(v);
        double* sum = (v % 2 == 0 ? even : odd).memptr();
        for (arma::uword i = 0; i < x.n_rows; ++i)
            if (wanted[i]) sum[i] += f(i, col[i]);
    }
    return even + odd;
}

// log softmax of the wanted rows (the others stay 0): x − max − log Σ exp(x − max).
arma::mat log_softmax_of(const arma::mat& logits, const std::vector<char>& wanted) {
    const arma::uword n = logits.n_rows, V = logits.n_cols;
    arma::colvec row_max(n);
    row_max.fill(-arma::datum::inf);
    for (arma::uword v = 0; v < V; ++v)
        for (arma::uword i = 0; i < n; ++i)
            if (logits.at(i, v) > row_max.at(i)) row_max.at(i) = logits.at(i, v);
    const arma::colvec total = row_sums(
        logits, wanted, [&](arma::uword i, double x) { return std::exp(x - row_max.at(i)); });
    arma::colvec log_sum(n, arma::fill::zeros);
    for (arma::uword i = 0; i < n; ++i)
        if (wanted[i]) log_sum.at(i) = std::log(total.at(i));
    arma::mat out(n, V, arma::fill::zeros);
    for (arma::uword v = 0; v < V; ++v)
        for (arma::uword i = 0; i < n; ++i)
            if (wanted[i]) out.at(i, v) = logits.at(i, v) - row_max.at(i) - log_sum.at(i);
    return out;
}

}  // namespace

arma::mat log_softmax_rows(const arma::mat& logits) {
    return log_softmax_of(logits, std::vector<char>(logits.n_rows, 1));
}

CrossEntropy cross_entropy(const arma::mat& logits, const TokenIds& targets, arma::uword ignore_id,
                           double label_smoothing) {
    require(targets.size() == logits.n_rows, "cross_entropy: " + std::to_string(targets.size()) +
                                                 " targets for " + std::to_string(logits.n_rows) +
                                                 " rows of logits");
    require(label_smoothing >= 0.0 && label_smoothing < 1.0,
            tr("label smoothing must be in [0, 1)"));
    const arma::uword V = logits.n_cols;
    const double eps = label_smoothing;
    std::vector<char> counted(targets.size());
    for (arma::uword i = 0; i < targets.size(); ++i) {
        const arma::uword t = targets[i];
        counted[i] = t != ignore_id;
        require(!counted[i] || t < V, "cross_entropy: target id " + std::to_string(t) +
                                          " is not below the vocabulary size " + std::to_string(V));
    }
    // Only the counted rows: an ignored row (BERT's unmasked positions) costs nothing.
    const arma::mat log_p = log_softmax_of(logits, counted);
    const arma::colvec log_p_sums =
        row_sums(log_p, counted, [](arma::uword, double lp) { return lp; });

    CrossEntropy ce;
    ce.dlogits.zeros(logits.n_rows, V);
    for (arma::uword v = 0; v < V; ++v)
        for (arma::uword i = 0; i < targets.size(); ++i)
            if (counted[i])
                ce.dlogits.at(i, v) = std::exp(log_p.at(i, v)) - eps / static_cast<double>(V);
    for (arma::uword i = 0; i < targets.size(); ++i) {
        if (!counted[i]) continue;
        const arma::uword t = targets[i];
        // q = (1 − ε)·one_hot(t) + ε/V, so −Σ q log p = −(1 − ε) log p_t − (ε/V) Σ log p.
        ce.total += -(1.0 - eps) * log_p(i, t) - eps / static_cast<double>(V) * log_p_sums(i);
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
