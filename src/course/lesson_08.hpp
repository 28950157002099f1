// Lesson 08's numbers: how strongly a loss on the LAST token reaches each earlier input
// in an RNN and in self-attention, why the RNN forgets, and sequential against parallel
// cost. T is the sequence length, rho a spectral radius of W_hh.
//
//   L = ⟨g, y_{T−1}⟩  for a fixed direction g, so dL/dY is zero except its last row = g
//   series[t] = ‖∂L/∂x_t‖₂,  at distance T − 1 − t from the last token (0 … T − 1)
// The same inputs X [T × d] go through each model; only the model changes.
//
// In self-attention every output row reads every input row directly:
//   y_{T−1} = Σ_j weights[T−1, j] · v_j · woᵀ + …,   v_j = x_j · wvᵀ + bv
// so ∂L/∂x_j has a one-step path for every j, whatever the distance T − 1 − j. What can
// still shrink it is a saturated softmax: when one weight is ≈ 1 the others are ≈ 0,
// and ∂weights/∂scores = diag(w) − w·wᵀ ≈ 0 too. Scaling the scores (here by scaling
// wq) sharpens the softmax; score_scale_sweep measures what that does.
#pragma once
#include "analysis/line_fit.hpp"
#include "draw/plot.hpp"
#include "io/printer.hpp"
#include "io/table.hpp"
#include "nn/encoder.hpp"
#include "nn/multi_head_attention.hpp"
#include "rnn/vanilla_rnn.hpp"

#include <armadillo>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tfm::course {

// ---- The loss on the last token -------------------------------------------------------

// dL/dY [T × d_out] for L = ⟨g, y_{T−1}⟩: zeros, and g in the last row.
arma::mat last_token_upstream(arma::uword seq_len, const arma::rowvec& g);

// ‖row t‖₂ for every row: [T].
arma::vec row_norms(const arma::mat& m);

// The distance of each position from the last: T − 1, …, 1, 0.
arma::vec distances(arma::uword seq_len);

// ‖∂L/∂x_t‖ for the RNN (runs forward and backward; the RNN's gradients are zeroed first
// and hold this loss's gradients afterwards).
arma::vec rnn_input_gradient_norms(VanillaRnn& rnn, const arma::mat& x, const arma::rowvec& g);

// ---- The RNN at a chosen spectral radius ----------------------------------------------
//   norms[t]        = ‖∂L/∂x_t‖ for L = ⟨g, h_{T−1}⟩
//   jacobian_norms[k] = ‖J_{T−1} ⋯ J_{T−k}‖₂, J_t = diag(act′(a_t))·W_hh   (k = 0 … T−1)
//   mean_derivative = mean of act′(a_t) over every step and unit (1 for linear; for tanh
//                     1 − h², which is < 1 and → 0 where a unit saturates at ±1)
//   geo_mean_derivative = exp(mean ln act′(a_t)): the typical factor per step in a
//                     product of Jacobians (a product averages logs, not values)
//   saturated_fraction = share of the h_t entries with |h| > 0.9 (tanh′ < 0.19 there)

struct RnnRun {
    double rho;                // the spectral radius W_hh was rescaled to
    double measured_rho;       // spectral_radius(W_hh) after rescaling
    arma::vec norms;           // [T]
    arma::vec jacobian_norms;  // [T], entry k for distance k
    double mean_derivative;
    double geo_mean_derivative;
    double saturated_fraction;
};

// The work of section 2 in multiply-adds, for the work budget (core/budget.hpp): per
// radius, T products of d × d Jacobians and the 2-norm of each (an SVD, about eleven
// products' worth here: measured 12 s per radius at T 2000, d 128).
std::uint64_t rnn_radii_work(std::uint64_t seq_len, std::uint64_t d, std::uint64_t radii);

// Sets rnn.w_hh = rescale_to_spectral_radius(w_base, rho), then forward and backward.
RnnRun run_rnn_at_rho(VanillaRnn& rnn, const arma::mat& w_base, double rho, const arma::mat& x,
                      const arma::rowvec& g);

// run_rnn_at_rho at each rho in turn (rnn.w_hh ends at the last one); eigenvalues_after
// gets the eigenvalues of each rescaled W_hh.
std::vector<RnnRun> runs_at_radii(VanillaRnn& rnn, const arma::mat& w_base,
                                  const std::vector<double>& rhos, const arma::mat& x,
                                  const arma::rowvec& g,
                                  std::vector<arma::cx_vec>& eigenvalues_after);

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

// ---- Attention ------------------------------------------------------------------------

// ‖∂L/∂x_t‖ for self-attention (forward(x, x); the gradient reaching x is
// dquery_in + dkv_in). The module's gradients are zeroed first.
arma::vec self_attention_input_gradient_norms(MultiHeadAttention& attention, const arma::mat& x,
                                              const arma::rowvec& g);

// ‖∂L/∂x_t‖ for a stack of encoder layers.
arma::vec encoder_input_gradient_norms(Encoder& encoder, const arma::mat& x, const arma::rowvec& g);

// One row of the score-scale sweep.
struct ScoreScaleRow {
    double scale;         // scores multiplied by this (wq and bq scaled by it)
    arma::vec norms;      // ‖∂L/∂x_t‖ for t = 0 … T − 1
    double max_weight;    // the last query's largest attention weight, averaged over heads
    double log10_spread;  // log10(max_t norm / min_t norm): 0 = every token equally reached
};

// For each scale: a copy of `attention` with wq (weight and bias) multiplied by the scale,
// so that every score Q·Kᵀ is multiplied by it, then the gradient norms and how peaked
// the last query's softmax is. `attention` itself is not changed.
std::vector<ScoreScaleRow> score_scale_sweep(const MultiHeadAttention& attention,
                                             const arma::mat& x, const arma::rowvec& g,
                                             const std::vector<double>& scales);

// ---- Sequential against parallel, measured --------------------------------------------
// Two lean forward passes over the same inputs X [T × d_model], written to show the shape
// of the work, not to train:
//   RNN:       for t = 0 … T−1:  h = tanh(W_hh·h + W_xh·x_t + b)
//              — T matrix–vector products, each waiting for the previous h
//   attention: Q = X·Wqᵀ, K = X·Wkᵀ, V = X·Wvᵀ; per head S = Q_j·K_jᵀ/√d_k,
//              row softmax, S·V_j; output = concat·Woᵀ
//              — a few matrix products over all T tokens at once
// (the course's VanillaRnn and MultiHeadAttention compute the same maths, but also
// cache every intermediate for printing and backward; these kernels time only the maths).
// Times are medians of repeated runs (analysis/cost.hpp) on whatever machine runs this.

// The two kernels, for the timer and for the test that checks they compute the maths
// above. x [T × d]; weights [d × d]; returns the last hidden state [d] / the output [T × d].
arma::vec rnn_forward_kernel(const arma::mat& x, const arma::mat& w_hh, const arma::mat& w_xh,
                             const arma::vec& bias);
arma::mat attention_forward_kernel(const arma::mat& x, const arma::mat& wq, const arma::mat& wk,
                                   const arma::mat& wv, const arma::mat& wo, arma::uword num_heads);

struct SpeedRow {
    arma::uword seq_len;
    int threads;
    std::uint64_t rnn_steps, attention_steps;  // dependent steps
    std::uint64_t rnn_macs, attention_macs;    // multiply-adds
    std::uint64_t rnn_path, attention_path;    // critical path (rnn_critical_path, …)
    double rnn_seconds, attention_seconds;     // median wall-clock time of one forward pass
};

// Draws weights (scaled 1/√d) and inputs from the current generator, times both kernels
// for every length and OpenBLAS thread count, and restores the thread count.
// InputError if d_model is not divisible by num_heads.
std::vector<SpeedRow> measure_sequential_vs_parallel(const std::vector<arma::uword>& seq_lens,
                                                     arma::uword d_model, arma::uword num_heads,
                                                     const std::vector<int>& threads,
                                                     int repeats = 7);

// ---- The lesson's tables and files ----------------------------------------------------

// Eigenvalues as the columns real, imag, |lambda|.
arma::mat eigenvalue_columns(const arma::cx_vec& lambda);

// Each rho asked, rho(W_hh) measured after rescaling, the error, and the largest
// eigenvalue after (eigenvalues_after[i] belongs to runs[i]).
TextTable rescale_table(const std::vector<RnnRun>& runs,
                        const std::vector<arma::cx_vec>& eigenvalues_after);

// The fitted slope of ln ||dL/dx_t|| over the far distances against ln rho: `rnn` is run
// again as a linear RNN at each rho of `runs`; with_tanh adds the slope of the runs
// themselves.
TextTable decay_slope_table(const VanillaRnn& rnn, const arma::mat& w_base,
                            const std::vector<RnnRun>& runs, const arma::mat& x,
                            const arma::rowvec& g, bool with_tanh);

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

// The critical path: the longest chain of multiply-adds (or additions) that must run one
// after another even on unlimited parallel hardware, each dot product of length n
// counted as n (summed in order), everything independent at once. It depends on the
// sizes only, not on the machine.
//   RNN:       d (x_t·W_xhᵀ for every t at once) + T·d (each step's W_hh·h_{t−1} waits
//              for the one before)
//   attention: d (Q, K, V) + d_k (a score) + T (softmax's sum over the keys)
//              + T (weights·V) + d (the output projection) = 2d + d_k + 2T
std::uint64_t rnn_critical_path(std::uint64_t seq_len, std::uint64_t d_model);
std::uint64_t attention_critical_path(std::uint64_t seq_len, std::uint64_t d_model,
                                      std::uint64_t num_heads);

// Sequential against parallel, counted, one row per T: dependent steps, multiply-adds and
// the critical path of each.
TextTable speed_count_table(const std::vector<SpeedRow>& rows);
// The timed rows: T, threads, milliseconds and GMAC/s of each.
TextTable speed_time_table(const std::vector<SpeedRow>& rows);
// The rows when nothing is timed: the counts alone.
std::vector<SpeedRow> counted_speed_rows(const std::vector<arma::uword>& seq_lens,
                                         arma::uword d_model, arma::uword num_heads);
// "12.34": multiply-adds per second, in billions.
std::string gmacs_per_second(std::uint64_t macs, double seconds);

// The gradient series of section 3, each ‖∂L/∂x_t‖ against distance: the RNN at each rho
// of `runs`, one self-attention layer, and the encoder stack, all on the same x and g.
std::vector<Series> gradient_series(const std::vector<RnnRun>& runs, MultiHeadAttention& attention,
                                    Encoder& encoder, const arma::mat& x, const arma::rowvec& g);
// The same series with log10 of every y, as the plot shows them.
std::vector<Series> log10_series(const std::vector<Series>& series);
// The plot's title and axes for the `activation` RNN, 80 × 20 cells.
PlotOptions gradient_plot(const std::string& activation, bool color);

// Section 5's sentence: how the gradient of self-attention and of the encoder stack
// changes over distance (from series as gradient_series lays them out), beside the first
// RNN's, measured.
std::string attention_reach_sentence(const std::vector<Series>& series,
                                     const std::vector<RnnRun>& runs);

// Section 6's sentence, written from timed rows of 1 and 2 threads (the last two rows:
// the longest T): the ratios of work and of time, the GMAC/s, and what the second
// thread did — every "faster", "slower" and "more" chosen from the numbers.
std::string timing_sentence(const std::vector<SpeedRow>& speed, unsigned hardware_threads,
                            arma::uword num_heads, int repeats);

// The series side by side, one column each, one row per token t; labels "x_t d=T-1-t"
// down and the series' names across, without "rnn " and "self-" ("rho=0.5", "attention").
arma::mat series_columns(const std::vector<Series>& series);
Labels series_labels(const std::vector<Series>& series);

// --out DIR: the gradient norms and the Jacobian-product norms as CSV (the plot itself
// is drawn by the printer, DIR/gradient_norms.svg). Returns the two paths written.
struct GradientFiles {
    std::string norms_csv, jacobians_csv;
};
GradientFiles write_gradient_files(const std::string& dir, const std::vector<Series>& series,
                                   const std::vector<RnnRun>& runs);

}  // namespace tfm::course
