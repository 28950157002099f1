// The check and cost tables of lessons 03, 04, 05 and 08, laid out from the core's numbers
// as rows of strings for Printer::table (and lesson 08's files). The lessons keep the
// narration around them; the arithmetic behind each row lives here, where tests can
// reach it.
#pragma once
#include "analysis/attention_gradients.hpp"
#include "analysis/plot.hpp"
#include "analysis/rnn_study.hpp"
#include "analysis/speed_table.hpp"
#include "io/printer.hpp"
#include "io/table.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {
class FeedForward;         // nn/feed_forward.hpp
class LayerNorm;           // nn/layer_norm.hpp
class MultiHeadAttention;  // nn/multi_head_attention.hpp
}

namespace tfm::cli {

// Lesson 03: which keys each query may look at, spelled out: query | keeps keys |
// blocked keys, one row per query (mask: 1 = blocked; empty: nothing blocked).
TextTable kept_and_blocked_table(const arma::umat& mask, const std::vector<std::string>& labels);

// Lesson 04: the multiply-adds of one multi-head attention over seq_len tokens, one row
// per head count h = 1, 2, 4, 8, 16: h, d_k, h·d_k, Q/K/V projections, scores + weights·V,
// Wo, the total, and the total against h = 1. d_k = d_model / h, or fixed_d_k when it
// is not 0.
TextTable head_cost_table(arma::uword seq_len, arma::uword d_model, arma::uword fixed_d_k);

// Lesson 04: one big projection = h small ones. For Q, K and V, each head's own
// [d_k × d_model] product on x (project_per_head) against its block of the big one.
TextTable head_split_table(const MultiHeadAttention& mha, const arma::mat& x);

// Lesson 05: the FFN is position-wise. Row `row` of `input` pushed through the FFN by
// itself, and how far it and every other row computed alone are from `output`.
struct RowAloneCheck {
    arma::mat row_alone;  // [1 × d_model]
    TextTable table;      // check | value: that row, then the worst row
    bool exact = true;    // every row alone gave exactly the same numbers
};
RowAloneCheck ffn_row_alone(const FeedForward& ffn, const arma::mat& input, const arma::mat& output,
                            arma::uword row, const std::string& row_name);

// Lesson 05: after LayerNorm (weight 1, bias 0) every row has mean 0 and variance
// var/(var + eps), var being the row's variance before. check | value.
TextTable layer_norm_check_table(const LayerNorm& norm, const arma::mat& before, const arma::mat& after);

// Lesson 08. T is the sequence length, rho a spectral radius of W_hh.

// Eigenvalues as the columns real, imag, |lambda|.
arma::mat eigenvalue_columns(const arma::cx_vec& lambda);

// Each rho asked, rho(W_hh) measured after rescaling, the error, and the largest
// eigenvalue after (eigenvalues_after[i] belongs to runs[i]).
TextTable rescale_table(const std::vector<RnnRun>& runs, const std::vector<arma::cx_vec>& eigenvalues_after);

// The fitted slope of ln ||dL/dx_t|| over the far distances against ln rho: `rnn` is run
// again as a linear RNN at each rho of `runs`; with_tanh adds the slope of the runs
// themselves.
TextTable decay_slope_table(const VanillaRnn& rnn, const arma::mat& w_base, const std::vector<RnnRun>& runs,
                            const arma::mat& x, const arma::rowvec& g, bool with_tanh);

// "+0.12": how many decades the fitted line of ||dL/dx_t|| changes by from distance 1
// to T − 1 (the last token, which is also the query, left out); "n/a" without a fit.
std::string decades_over_distance(const arma::vec& norms);

// ||J_{T-1} … J_{T-k}|| of each run beside rho^k, at k = 1, 2, 5, 10, … and T − 1.
TextTable jacobian_table(const std::vector<RnnRun>& runs);
// The same norms as columns [T × runs], entry (k, i) for distance k.
arma::mat jacobian_columns(const std::vector<RnnRun>& runs);

// How much tanh' shrinks each step: mean tanh', saturated units, rho × geometric-mean
// tanh', and the measured per-step factor e^slope.
TextTable tanh_saturation_table(const std::vector<RnnRun>& runs);

// Self-attention with its scores multiplied by each scale: how peaked the softmax is
// and how unevenly the gradient reaches the tokens.
TextTable score_scale_table(const std::vector<ScoreScaleRow>& rows);

// Sequential against parallel: dependent steps and multiply-adds, and with `timed` the
// thread count, milliseconds and GMAC/s of each row.
TextTable speed_table(const std::vector<SpeedRow>& rows, bool timed);
// The rows of speed_table when nothing is timed: the counts alone.
std::vector<SpeedRow> counted_speed_rows(const std::vector<arma::uword>& seq_lens, arma::uword d_model);
// "12.34": multiply-adds per second, in billions.
std::string gmacs_per_second(std::uint64_t macs, double seconds);

// The series side by side, one column each, one row per token t; labels "x_t d=T-1-t"
// down and the series' names across.
arma::mat series_columns(const std::vector<Series>& series);
Labels series_labels(const std::vector<Series>& series);

// --out DIR: the gradient norms as CSV, the Jacobian-product norms as CSV, and the plot
// of log_series as SVG. Returns the three paths written.
struct GradientFiles {
    std::string norms_csv, jacobians_csv, plot_svg;
};
GradientFiles write_gradient_files(const std::string& dir, const std::vector<Series>& series,
                                   const std::vector<Series>& log_series, const PlotOptions& plot,
                                   const std::vector<RnnRun>& runs);

}  // namespace tfm::cli
