#include "train/cross_entropy.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/exp.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tfm {

namespace {

// Rows at a time: a [32 × V] block of doubles (400 KB for the poems' 1,592 characters)
// stays in the cache while it is read three times, where a whole [2048 × V] batch walked
// column after column does not.
constexpr arma::uword kBlock = 32;

// The softmax of some rows of the logits, copied into a block of their own (block row r is
// logits row rows[r]):
//   max[r]     = max_v x[r, v]
//   e[r, v]    = exp(x[r, v] − max[r])                 (one exp per logit)
//   total[r]   = Σ_v e[r, v]        log p[r, v] = x[r, v] − max[r] − log total[r]
//   shifted[r] = Σ_v (x[r, v] − max[r])                (for label smoothing)
struct BlockSoftmax {
    arma::mat e;
    arma::colvec max, total, shifted;
};

// True when rows[0 … k−1] are consecutive (every row of the block counted, as for the GPT):
// then a block's column is one run of memory in the logits and in dlogits.
bool consecutive(const arma::uword* rows, arma::uword k) { return rows[k - 1] - rows[0] == k - 1; }

void block_softmax(const arma::mat& logits, const arma::uword* rows, arma::uword k,
                   BlockSoftmax& b) {
    const arma::uword V = logits.n_cols;
    const bool run = consecutive(rows, k);
    b.e.set_size(k, V);
    b.max.set_size(k);
    b.max.fill(-arma::datum::inf);
    b.total.zeros(k);
    b.shifted.zeros(k);
    double* max = b.max.memptr();
    double* total = b.total.memptr();
    double* shifted = b.shifted.memptr();
    // The block's logits first, copied; then each pass walks down the block's columns (the
    // order a column-major matrix lies in memory), keeping one running value per row.
    for (arma::uword v = 0; v < V; ++v) {
        const double* x = logits.colptr(v);
        double* e = b.e.colptr(v);
        if (run)
            std::copy(x + rows[0], x + rows[0] + k, e);
        else
            for (arma::uword r = 0; r < k; ++r) e[r] = x[rows[r]];
        for (arma::uword r = 0; r < k; ++r) max[r] = std::max(max[r], e[r]);
    }
    for (arma::uword v = 0; v < V; ++v) {
        double* e = b.e.colptr(v);
        for (arma::uword r = 0; r < k; ++r) {
            e[r] -= max[r];
            shifted[r] += e[r];
        }
    }
    exp_into(b.e.memptr(), b.e.memptr(), b.e.n_elem);
    for (arma::uword v = 0; v < V; ++v) {
        const double* e = b.e.colptr(v);
        for (arma::uword r = 0; r < k; ++r) total[r] += e[r];
    }
}

// Calls each(rows, k, block) for the listed rows, kBlock at a time.
template <class Each>
void for_each_block(const arma::mat& logits, const std::vector<arma::uword>& rows, Each each) {
    BlockSoftmax block;
    for (std::size_t first = 0; first < rows.size(); first += kBlock) {
        const arma::uword k = std::min<arma::uword>(kBlock, rows.size() - first);
        block_softmax(logits, rows.data() + first, k, block);
        each(rows.data() + first, k, block);
    }
}

}  // namespace

arma::mat log_softmax_rows(const arma::mat& logits) {
    std::vector<arma::uword> rows(logits.n_rows);
    for (arma::uword i = 0; i < logits.n_rows; ++i) rows[i] = i;
    arma::mat out(arma::size(logits));
    for_each_block(logits, rows, [&](const arma::uword* row, arma::uword k, BlockSoftmax& b) {
        for (arma::uword r = 0; r < k; ++r) b.total[r] = std::log(b.total[r]);
        for (arma::uword v = 0; v < logits.n_cols; ++v) {
            const double* x = logits.colptr(v);
            double* o = out.colptr(v);
            for (arma::uword r = 0; r < k; ++r) o[row[r]] = x[row[r]] - b.max[r] - b.total[r];
        }
    });
    return out;
}

CrossEntropy cross_entropy(const arma::mat& logits, const TokenIds& targets, arma::uword ignore_id,
                           double label_smoothing) {
    require(targets.size() == logits.n_rows, [&] {
        return "cross_entropy: " + std::to_string(targets.size()) + " targets for " +
               std::to_string(logits.n_rows) + " rows of logits";
    });
    require(label_smoothing >= 0.0 && label_smoothing < 1.0,
            [&] { return tr("label smoothing must be in [0, 1)"); });
    const arma::uword V = logits.n_cols;
    const double eps = label_smoothing, spread = eps / static_cast<double>(V);
    // Only the counted rows: an ignored row (BERT's unmasked positions) costs nothing, and
    // its gradient stays 0.
    std::vector<arma::uword> counted;
    for (arma::uword i = 0; i < targets.size(); ++i) {
        const arma::uword t = targets[i];
        if (t == ignore_id) continue;
        require(t < V, [&] {
            return "cross_entropy: target id " + std::to_string(t) +
                   " is not below the vocabulary size " + std::to_string(V);
        });
        counted.push_back(i);
    }
    CrossEntropy ce;
    ce.count = counted.size();
    // Every counted row is written below; only the ignored rows need their zeros.
    if (counted.size() == logits.n_rows)
        ce.dlogits.set_size(logits.n_rows, V);
    else
        ce.dlogits.zeros(logits.n_rows, V);
    for_each_block(logits, counted, [&](const arma::uword* row, arma::uword k, BlockSoftmax& b) {
        // p = e / total, and dtotal/dlogits = p − q with q = (1 − ε)·one_hot(t) + ε/V.
        const arma::colvec inverse_total = 1.0 / b.total;
        const double* inverse = inverse_total.memptr();
        const bool run = consecutive(row, k);
        for (arma::uword v = 0; v < V; ++v) {
            const double* e = b.e.colptr(v);
            double* d = ce.dlogits.colptr(v);
            if (run) {
                d += row[0];
                for (arma::uword r = 0; r < k; ++r) d[r] = e[r] * inverse[r] - spread;
            } else {
                for (arma::uword r = 0; r < k; ++r) d[row[r]] = e[r] * inverse[r] - spread;
            }
        }
        for (arma::uword r = 0; r < k; ++r) {
            const arma::uword i = row[r], t = targets[i];
            const double log_sum = std::log(b.total[r]);
            const double log_p_t = logits(i, t) - b.max[r] - log_sum;
            // −Σ_v q log p = −(1 − ε) log p_t − (ε/V) Σ_v log p, and
            // Σ_v log p = Σ_v (x − max) − V · log total.
            ce.total +=
                -(1.0 - eps) * log_p_t - spread * (b.shifted[r] - static_cast<double>(V) * log_sum);
            ce.dlogits(i, t) -= 1.0 - eps;
        }
    });
    return ce;
}

CrossEntropy batch_cross_entropy(const arma::mat& logits, const std::vector<TokenIds>& targets,
                                 arma::uword ignore_id, double label_smoothing) {
    require(!targets.empty() && logits.n_rows % targets.size() == 0, [&] {
        return "batch_cross_entropy: " + std::to_string(logits.n_rows) + " rows of logits for " +
               std::to_string(targets.size()) + " sequences";
    });
    const arma::uword n = logits.n_rows / targets.size();
    TokenIds all;
    all.reserve(logits.n_rows);
    for (const TokenIds& t : targets) {
        require(t.size() == n, [&] {
            return "cross_entropy: " + std::to_string(t.size()) + " targets for " +
                   std::to_string(n) + " rows of logits";
        });
        all.insert(all.end(), t.begin(), t.end());
    }
    return cross_entropy(logits, all, ignore_id, label_smoothing);
}

}  // namespace tfm
