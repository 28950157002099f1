#include "analysis/speed_table.hpp"

#include "analysis/cost.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

#include <cmath>

namespace tfm {

arma::vec rnn_forward_kernel(const arma::mat& x, const arma::mat& w_hh, const arma::mat& w_xh,
                             const arma::vec& bias) {
    // One column per token, so x_t is contiguous in memory.
    const arma::mat xt = x.t();
    arma::vec h(w_hh.n_rows, arma::fill::zeros);
    for (arma::uword t = 0; t < xt.n_cols; ++t) h = arma::tanh(w_hh * h + w_xh * xt.col(t) + bias);
    return h;
}

arma::mat attention_forward_kernel(const arma::mat& x, const arma::mat& wq, const arma::mat& wk,
                                   const arma::mat& wv, const arma::mat& wo, arma::uword num_heads) {
    const arma::uword d = x.n_cols;
    require(num_heads >= 1 && d % num_heads == 0, "d_model must be divisible by the number of heads");
    const arma::uword d_k = d / num_heads;
    const arma::mat q = x * wq.t(), k = x * wk.t(), v = x * wv.t();
    arma::mat concat(x.n_rows, d);
    for (arma::uword j = 0; j < num_heads; ++j) {
        const arma::span cols(j * d_k, (j + 1) * d_k - 1);
        // Transposed scores, Sᵀ = K_j·Q_jᵀ: each query is a column, so the softmax runs
        // down contiguous memory.
        arma::mat st = k.cols(cols) * q.cols(cols).t() / std::sqrt(static_cast<double>(d_k));
        st.each_row() -= arma::max(st, 0);
        st = arma::exp(st);
        st.each_row() /= arma::sum(st, 0);
        concat.cols(cols) = (v.cols(cols).t() * st).t();  // = softmax(S)·V_j
    }
    return concat * wo.t();
}

std::vector<SpeedRow> measure_sequential_vs_parallel(const std::vector<arma::uword>& seq_lens,
                                                     arma::uword d_model, arma::uword num_heads,
                                                     const std::vector<int>& threads, int repeats) {
    require(num_heads >= 1 && d_model % num_heads == 0, "d_model must be divisible by the number of heads");
    const double scale = 1.0 / std::sqrt(static_cast<double>(d_model));
    const arma::mat w_hh = normal(d_model, d_model, scale), w_xh = normal(d_model, d_model, scale);
    const arma::vec bias = normal(d_model, 1, scale);
    const arma::mat wq = normal(d_model, d_model, scale), wk = normal(d_model, d_model, scale);
    const arma::mat wv = normal(d_model, d_model, scale), wo = normal(d_model, d_model, scale);
    const int threads_before = blas_threads();
    std::vector<SpeedRow> rows;
    for (arma::uword seq_len : seq_lens) {
        const arma::mat x = normal(seq_len, d_model);
        for (int n : threads) {
            set_blas_threads(n);
            SpeedRow row;
            row.seq_len = seq_len;
            row.threads = n;
            row.rnn_steps = rnn_dependent_steps(seq_len);
            row.attention_steps = kAttentionDependentSteps;
            row.rnn_macs = rnn_macs(seq_len, d_model, d_model);
            row.attention_macs = self_attention_macs(seq_len, d_model);
            row.rnn_seconds = median_seconds([&] { rnn_forward_kernel(x, w_hh, w_xh, bias); }, repeats);
            row.attention_seconds =
                median_seconds([&] { attention_forward_kernel(x, wq, wk, wv, wo, num_heads); }, repeats);
            rows.push_back(row);
        }
    }
    set_blas_threads(threads_before);
    return rows;
}

}  // namespace tfm
