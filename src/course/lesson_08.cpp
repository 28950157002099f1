#include "course/lesson_08.hpp"

#include "analysis/cost.hpp"
#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "io/files.hpp"
#include "io/table.hpp"
#include "rnn/spectral.hpp"

#include <cmath>
#include <complex>
#include <filesystem>
#include <optional>

namespace tfm::course {

// ---- The loss on the last token -------------------------------------------------------

arma::mat last_token_upstream(arma::uword seq_len, const arma::rowvec& g) {
    require(seq_len >= 1, tr("a sequence needs at least one token"));
    arma::mat dy(seq_len, g.n_elem, arma::fill::zeros);
    dy.row(seq_len - 1) = g;
    return dy;
}

arma::vec row_norms(const arma::mat& m) { return arma::sqrt(arma::sum(arma::square(m), 1)); }

arma::vec distances(arma::uword seq_len) {
    require(seq_len >= 1, tr("a sequence needs at least one token"));
    return arma::reverse(arma::regspace<arma::vec>(0.0, static_cast<double>(seq_len) - 1.0));
}

arma::vec rnn_input_gradient_norms(VanillaRnn& rnn, const arma::mat& x, const arma::rowvec& g) {
    rnn.zero_grad();
    rnn.forward(x);
    return row_norms(rnn.backward(last_token_upstream(x.n_rows, g)));
}

// ---- The RNN at a chosen spectral radius ----------------------------------------------

std::uint64_t rnn_radii_work(std::uint64_t seq_len, std::uint64_t d, std::uint64_t radii) {
    return mul_sat(mul_sat(mul_sat(mul_sat(seq_len, d), d * d), 12), radii);
}

RnnRun run_rnn_at_rho(VanillaRnn& rnn, const arma::mat& w_base, double rho, const arma::mat& x,
                      const arma::rowvec& g) {
    RnnRun run;
    run.rho = rho;
    rnn.w_hh = rescale_to_spectral_radius(w_base, rho);
    run.measured_rho = spectral_radius(rnn.w_hh);
    run.norms = rnn_input_gradient_norms(rnn, x, g);

    const arma::uword T = x.n_rows;
    std::vector<arma::mat> jacobians;
    for (arma::uword t = 0; t < T; ++t) jacobians.push_back(rnn.step_jacobian(t));
    run.jacobian_norms = jacobian_product_norms(jacobians).head(T);

    const arma::mat h = rnn.h_.rows(1, T);
    if (rnn.activation == RnnActivation::tanh) {
        const arma::vec derivative = arma::vectorise(1.0 - arma::square(h));
        run.mean_derivative = arma::mean(derivative);
        run.geo_mean_derivative = std::exp(arma::mean(arma::log(derivative)));
        run.saturated_fraction =
            static_cast<double>(arma::accu(arma::abs(h) > 0.9)) / static_cast<double>(h.n_elem);
    } else {
        run.mean_derivative = 1.0;
        run.geo_mean_derivative = 1.0;
        run.saturated_fraction = 0.0;
    }
    return run;
}

std::vector<RnnRun> runs_at_radii(VanillaRnn& rnn, const arma::mat& w_base,
                                  const std::vector<double>& rhos, const arma::mat& x,
                                  const arma::rowvec& g,
                                  std::vector<arma::cx_vec>& eigenvalues_after) {
    std::vector<RnnRun> runs;
    eigenvalues_after.clear();
    for (double rho : rhos) {
        runs.push_back(run_rnn_at_rho(rnn, w_base, rho, x, g));
        eigenvalues_after.push_back(eigenvalues(rnn.w_hh));
    }
    return runs;
}

LineFit decay_fit(const arma::vec& norms, double min_distance) {
    const std::optional<LineFit> fit = try_decay_fit(norms, min_distance);
    require(fit.has_value(), tr("too few finite gradient norms to fit a slope"));
    return *fit;
}

std::optional<LineFit> try_decay_fit(const arma::vec& norms, double min_distance) {
    const arma::vec dist = distances(norms.n_elem);
    std::vector<double> xs, ys;
    for (arma::uword t = 0; t < norms.n_elem; ++t) {
        if (dist(t) >= min_distance && std::isfinite(norms(t)) && norms(t) > 0.0) {
            xs.push_back(dist(t));
            ys.push_back(std::log(norms(t)));
        }
    }
    if (xs.size() < 2) return std::nullopt;
    return fit_line(arma::vec(xs), arma::vec(ys));
}

arma::uword usable_reach(const arma::vec& norms) {
    arma::uword reach = 0;
    // norms[t] is at distance T − 1 − t: walk from the last token back.
    for (arma::uword k = 0; k < norms.n_elem; ++k) {
        const double n = norms(norms.n_elem - 1 - k);
        if (!std::isfinite(n) || n <= 0.0) break;
        reach = k;
    }
    return reach;
}

std::optional<LineFit> far_decay_fit(const arma::vec& norms) {
    const arma::uword reach = usable_reach(norms);
    if (reach < 1) return std::nullopt;
    const double from = std::min(reach / 4.0, reach - 1.0);
    const arma::vec usable = norms.tail(reach + 1);
    return try_decay_fit(usable, from);
}

// ---- Attention ------------------------------------------------------------------------

arma::vec self_attention_input_gradient_norms(MultiHeadAttention& attention, const arma::mat& x,
                                              const arma::rowvec& g) {
    attention.zero_grad();
    attention.forward(x, x);
    const MultiHeadAttention::Grads grads = attention.backward(last_token_upstream(x.n_rows, g));
    // x is both the query input and the key/value input: its gradient is the sum.
    return row_norms(grads.dquery_in + grads.dkv_in);
}

arma::vec encoder_input_gradient_norms(Encoder& encoder, const arma::mat& x,
                                       const arma::rowvec& g) {
    encoder.zero_grad();
    encoder.forward(x);
    return row_norms(encoder.backward(last_token_upstream(x.n_rows, g)));
}

std::vector<ScoreScaleRow> score_scale_sweep(const MultiHeadAttention& attention,
                                             const arma::mat& x, const arma::rowvec& g,
                                             const std::vector<double>& scales) {
    std::vector<ScoreScaleRow> rows;
    for (double scale : scales) {
        require(std::isfinite(scale) && scale > 0.0, tr("score scales must be positive"));
        MultiHeadAttention scaled = attention;
        scaled.wq.weight *= scale;
        scaled.wq.bias *= scale;
        ScoreScaleRow row;
        row.scale = scale;
        row.norms = self_attention_input_gradient_norms(scaled, x, g);
        double max_weight = 0.0;
        for (const AttentionResult& head : scaled.heads_)
            max_weight += head.weights.row(x.n_rows - 1).max();
        row.max_weight = max_weight / static_cast<double>(scaled.heads_.size());
        row.log10_spread = std::log10(row.norms.max() / row.norms.min());
        rows.push_back(row);
    }
    return rows;
}

// ---- Sequential against parallel, measured --------------------------------------------

arma::vec rnn_forward_kernel(const arma::mat& x, const arma::mat& w_hh, const arma::mat& w_xh,
                             const arma::vec& bias) {
    // One column per token, so x_t is contiguous in memory.
    const arma::mat xt = x.t();
    arma::vec h(w_hh.n_rows, arma::fill::zeros);
    for (arma::uword t = 0; t < xt.n_cols; ++t) h = arma::tanh(w_hh * h + w_xh * xt.col(t) + bias);
    return h;
}

arma::mat attention_forward_kernel(const arma::mat& x, const arma::mat& wq, const arma::mat& wk,
                                   const arma::mat& wv, const arma::mat& wo,
                                   arma::uword num_heads) {
    const arma::uword d = x.n_cols;
    require(num_heads >= 1 && d % num_heads == 0,
            tr("d_model must be divisible by the number of heads"));
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
    require(num_heads >= 1 && d_model % num_heads == 0,
            tr("d_model must be divisible by the number of heads"));
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
            row.rnn_path = rnn_critical_path(seq_len, d_model);
            row.attention_path = attention_critical_path(seq_len, d_model, num_heads);
            row.rnn_seconds =
                median_seconds([&] { rnn_forward_kernel(x, w_hh, w_xh, bias); }, repeats);
            row.attention_seconds = median_seconds(
                [&] { attention_forward_kernel(x, wq, wk, wv, wo, num_heads); }, repeats);
            rows.push_back(row);
        }
    }
    set_blas_threads(threads_before);
    return rows;
}

// ---- The lesson's tables and files ----------------------------------------------------

namespace {

std::string num(double x, const char* format) { return printf_number(x, format); }

// The fitted slope, or why there is none.
std::string slope_text(const arma::vec& norms) {
    const std::optional<LineFit> fit = far_decay_fit(norms);
    return fit ? num(fit->slope, "%+.4f") : tr("out of range");
}

}  // namespace

arma::mat eigenvalue_columns(const arma::cx_vec& lambda) {
    return arma::join_rows(arma::real(lambda), arma::imag(lambda), arma::abs(lambda));
}

TextTable rescale_table(const std::vector<RnnRun>& runs,
                        const std::vector<arma::cx_vec>& eigenvalues_after) {
    TextTable t{{tr("rho asked"), tr("rho(W_hh) after"), tr("|error|"), tr("largest lambda after")},
                {}};
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::complex<double> largest = eigenvalues_after[i](0);
        t.rows.push_back({num(runs[i].rho, "%g"), num(runs[i].measured_rho, "%.12f"),
                          num(std::abs(runs[i].measured_rho - runs[i].rho), "%.1e"),
                          num(largest.real(), "%.4f") + (largest.imag() < 0 ? " - " : " + ") +
                              num(std::abs(largest.imag()), "%.4f") + "i"});
    }
    return t;
}

TextTable decay_slope_table(const VanillaRnn& rnn, const arma::mat& w_base,
                            const std::vector<RnnRun>& runs, const arma::mat& x,
                            const arma::rowvec& g, bool with_tanh) {
    VanillaRnn linear = rnn;
    linear.activation = RnnActivation::linear;
    TextTable t{{"rho", "ln rho", tr("slope (linear RNN)"), "r^2"}, {}};
    if (with_tanh) t.header.push_back(tr("slope (tanh RNN)"));
    for (const RnnRun& run : runs) {
        const arma::vec lin = run_rnn_at_rho(linear, w_base, run.rho, x, g).norms;
        const std::optional<LineFit> lin_fit = far_decay_fit(lin);
        std::vector<std::string> row{num(run.rho, "%g"), num(std::log(run.rho), "%+.4f"),
                                     slope_text(lin), lin_fit ? num(lin_fit->r2, "%.4f") : "-"};
        if (with_tanh) row.push_back(slope_text(run.norms));
        t.rows.push_back(row);
    }
    return t;
}

std::string decades_over_distance(const arma::vec& norms) {
    const arma::uword T = norms.n_elem;
    const std::optional<LineFit> fit = try_decay_fit(norms.head(T - 1), 0.0);
    return fit ? num(fit->slope * static_cast<double>(T - 2) / std::log(10.0), "%+.2f") : tr("n/a");
}

TextTable jacobian_table(const std::vector<RnnRun>& runs) {
    TextTable t{{"k"}, {}};
    for (const RnnRun& r : runs) {
        t.header.push_back("rho=" + num(r.rho, "%g"));
        t.header.push_back("rho^k");
    }
    const arma::uword T = runs.front().jacobian_norms.n_elem;
    std::vector<arma::uword> ks;
    for (arma::uword k : {1u, 2u, 5u, 10u, 20u, 50u, 100u, 200u, 500u, 1000u})
        if (k < T - 1) ks.push_back(k);
    ks.push_back(T - 1);
    for (arma::uword k : ks) {
        std::vector<std::string> row{std::to_string(k)};
        for (const RnnRun& r : runs) {
            row.push_back(num(r.jacobian_norms(k), "%.3e"));
            row.push_back(num(std::pow(r.rho, static_cast<double>(k)), "%.3e"));
        }
        t.rows.push_back(row);
    }
    return t;
}

arma::mat jacobian_columns(const std::vector<RnnRun>& runs) {
    arma::mat jac(runs.front().jacobian_norms.n_elem, runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) jac.col(i) = runs[i].jacobian_norms;
    return jac;
}

TextTable tanh_saturation_table(const std::vector<RnnRun>& runs) {
    TextTable t{
        {"rho", tr("mean tanh'"), "|h| > 0.9", tr("rho x geo-mean tanh'"), tr("measured e^slope")},
        {}};
    for (const RnnRun& r : runs) {
        const std::optional<LineFit> fit = far_decay_fit(r.norms);
        t.rows.push_back({num(r.rho, "%g"), num(r.mean_derivative, "%.3f"),
                          num(100.0 * r.saturated_fraction, "%.1f%%"),
                          num(r.rho * r.geo_mean_derivative, "%.3f"),
                          fit ? num(std::exp(fit->slope), "%.3f") : "-"});
    }
    return t;
}

TextTable score_scale_table(const std::vector<ScoreScaleRow>& rows) {
    TextTable t{{tr("score scale"), tr("top weight (last query)"), tr("min ||dL/dx_t||"),
                 tr("median"), tr("max"), "log10(max/min)"},
                {}};
    for (const ScoreScaleRow& r : rows)
        t.rows.push_back({"x" + num(r.scale, "%g"), num(r.max_weight, "%.3f"),
                          num(r.norms.min(), "%.3e"), num(arma::median(r.norms), "%.3e"),
                          num(r.norms.max(), "%.3e"), num(r.log10_spread, "%.2f")});
    return t;
}

std::string gmacs_per_second(std::uint64_t macs, double seconds) {
    return num(1e-9 * static_cast<double>(macs) / seconds, "%.2f");
}

std::uint64_t rnn_critical_path(std::uint64_t seq_len, std::uint64_t d_model) {
    return d_model + seq_len * d_model;
}

std::uint64_t attention_critical_path(std::uint64_t seq_len, std::uint64_t d_model,
                                      std::uint64_t num_heads) {
    return 2 * d_model + d_model / num_heads + 2 * seq_len;
}

TextTable speed_count_table(const std::vector<SpeedRow>& rows) {
    TextTable t{{"T", tr("RNN steps"), tr("attn steps"), tr("RNN MACs"), tr("attn MACs"),
                 tr("RNN path"), tr("attn path")},
                {}};
    for (const SpeedRow& r : rows) {
        if (!t.rows.empty() && t.rows.back()[0] == std::to_string(r.seq_len))
            continue;  // one row per T
        t.rows.push_back({std::to_string(r.seq_len), std::to_string(r.rnn_steps),
                          std::to_string(r.attention_steps),
                          num(static_cast<double>(r.rnn_macs), "%.3g"),
                          num(static_cast<double>(r.attention_macs), "%.3g"),
                          format_count(r.rnn_path), format_count(r.attention_path)});
    }
    return t;
}

TextTable speed_time_table(const std::vector<SpeedRow>& rows) {
    TextTable t{{"T", tr("threads"), tr("RNN ms"), tr("attn ms"), "RNN GMAC/s", "attn GMAC/s"}, {}};
    for (const SpeedRow& r : rows)
        t.rows.push_back({std::to_string(r.seq_len), std::to_string(r.threads),
                          num(1e3 * r.rnn_seconds, "%.3f"), num(1e3 * r.attention_seconds, "%.3f"),
                          gmacs_per_second(r.rnn_macs, r.rnn_seconds),
                          gmacs_per_second(r.attention_macs, r.attention_seconds)});
    return t;
}

std::vector<SpeedRow> counted_speed_rows(const std::vector<arma::uword>& seq_lens,
                                         arma::uword d_model, arma::uword num_heads) {
    std::vector<SpeedRow> rows;
    for (arma::uword n : seq_lens)
        rows.push_back({n, 0, rnn_dependent_steps(n), kAttentionDependentSteps,
                        rnn_macs(n, d_model, d_model), self_attention_macs(n, d_model),
                        rnn_critical_path(n, d_model),
                        attention_critical_path(n, d_model, num_heads), 0.0, 0.0});
    return rows;
}

std::vector<Series> gradient_series(const std::vector<RnnRun>& runs, MultiHeadAttention& attention,
                                    Encoder& encoder, const arma::mat& x, const arma::rowvec& g) {
    const arma::uword T = x.n_rows;
    std::vector<Series> series;
    const char markers[] = "ox+#%@";
    for (std::size_t i = 0; i < runs.size(); ++i)
        series.push_back(
            {"rnn rho=" + num(runs[i].rho, "%g"), markers[i], distances(T), runs[i].norms});
    series.push_back({"self-attention", 'A', distances(T),
                      self_attention_input_gradient_norms(attention, x, g)});
    series.push_back({"encoder x" + std::to_string(encoder.layers.size()), 'E', distances(T),
                      encoder_input_gradient_norms(encoder, x, g)});
    return series;
}

std::vector<Series> log10_series(const std::vector<Series>& series) {
    std::vector<Series> log_series = series;
    for (Series& ls : log_series) ls.y = arma::log10(ls.y);
    return log_series;
}

PlotOptions gradient_plot(const std::string& activation, bool color) {
    PlotOptions plot;
    plot.title = tr("log10 ||dL/dx_t|| against distance T-1-t ({1} RNN)", activation);
    plot.y_label = "log10 ||dL/dx_t||";
    plot.x_label = tr("distance T-1-t");
    plot.color = color;
    plot.width = 80;
    plot.height = 20;
    return plot;
}

std::string attention_reach_sentence(const std::vector<Series>& series,
                                     const std::vector<RnnRun>& runs) {
    const arma::vec& attn = series[runs.size()].y;
    const arma::vec& enc = series[runs.size() + 1].y;
    const arma::uword T = attn.n_elem;
    const auto trend = decades_over_distance;
    return tr(
        "Self-attention: the nearest earlier token (distance 1) gets {1} times the gradient "
        "of the farthest; the fitted line changes by {2} decades from distance 1 to {3} "
        "(the {4} RNN: {5}). The encoder stack: {6} times, {7} decades. The last token, "
        "which is also the query, gets {8} times the nearest. Every x_j reaches y_{T-1} "
        "through one weighted sum, so distance does not compound.",
        num(attn(T - 2) / attn(0), "%.3g"), trend(attn), T - 1, num(runs.front().rho, "%g"),
        trend(runs.front().norms), num(enc(T - 2) / enc(0), "%.3g"), trend(enc),
        num(attn(T - 1) / attn(T - 2), "%.3g"));
}

namespace {

// 0 faster, 1 about as fast, 2 slower: a ratio of times, new / old.
int change(double ratio) {
    if (ratio < 0.9) return 0;
    if (ratio > 1.1) return 2;
    return 1;
}

// What the second thread did to the RNN [row] and to attention [column], each with its
// ratio of times (x{1}, x{2}); one whole sentence for each of the nine.
const char* const kSecondThread[3][3] = {
    {N_("With a second thread the RNN ran faster (x{1}) and attention faster (x{2})."),
     N_("With a second thread the RNN ran faster (x{1}) and attention about as fast (x{2})."),
     N_("With a second thread the RNN ran faster (x{1}) and attention slower (x{2}).")},
    {N_("With a second thread the RNN ran about as fast (x{1}) and attention faster (x{2})."),
     N_("With a second thread the RNN ran about as fast (x{1}) and attention about as fast "
        "(x{2})."),
     N_("With a second thread the RNN ran about as fast (x{1}) and attention slower (x{2}).")},
    {N_("With a second thread the RNN ran slower (x{1}) and attention faster (x{2})."),
     N_("With a second thread the RNN ran slower (x{1}) and attention about as fast (x{2})."),
     N_("With a second thread the RNN ran slower (x{1}) and attention slower (x{2}).")}};

// Sentences one after another: a space between them in English, none in Chinese.
std::string join_sentences(const std::vector<std::string>& sentences) {
    const std::string gap = current_language() == Language::zh ? "" : " ";
    std::string text;
    for (const std::string& sentence : sentences) text += (text.empty() ? "" : gap) + sentence;
    return text;
}

}  // namespace

std::string timing_sentence(const std::vector<SpeedRow>& speed, unsigned hardware_threads,
                            arma::uword num_heads, int repeats) {
    const SpeedRow& one = speed[speed.size() - 2];
    const SpeedRow& two = speed.back();
    const double work = static_cast<double>(one.attention_macs) / static_cast<double>(one.rnn_macs);
    const double time = one.attention_seconds / one.rnn_seconds;
    const double attn_rate = static_cast<double>(one.attention_macs) / one.attention_seconds;
    const double rnn_rate = static_cast<double>(one.rnn_macs) / one.rnn_seconds;
    const double rnn_two = two.rnn_seconds / one.rnn_seconds,
                 attn_two = two.attention_seconds / one.attention_seconds;
    std::vector<std::string> s;
    s.push_back(
        tr("Measured on this machine ({1} hardware threads, shared with whatever else is "
           "running): wall-clock median of {2} timed batches of one forward pass of the lean "
           "kernels in src/course/lesson_08.hpp, {3} heads, OpenBLAS threads set with "
           "openblas_set_num_threads.",
           hardware_threads, repeats, num_heads));
    const std::string attn_gmacs = gmacs_per_second(one.attention_macs, one.attention_seconds),
                      rnn_gmacs = gmacs_per_second(one.rnn_macs, one.rnn_seconds);
    s.push_back(attn_rate > rnn_rate
                    ? tr("At T = {1} on 1 thread attention did {2}x the RNN's multiply-adds in "
                         "{3}x its time: its big products ran at {4} GMAC/s, more per second "
                         "than the RNN's {5} in small dependent steps.",
                         one.seq_len, num(work, "%.1f"), num(time, "%.2f"), attn_gmacs, rnn_gmacs)
                    : tr("At T = {1} on 1 thread attention did {2}x the RNN's multiply-adds in "
                         "{3}x its time: its products ran at {4} GMAC/s, no more per second than "
                         "the RNN's {5} here.",
                         one.seq_len, num(work, "%.1f"), num(time, "%.2f"), attn_gmacs, rnn_gmacs));
    s.push_back(tr(kSecondThread[change(rnn_two)][change(attn_two)], num(rnn_two, "%.2f"),
                   num(attn_two, "%.2f")));
    if (attn_two < 0.9 && rnn_two >= 0.9)
        s.push_back(
            tr("Attention's products split across the two threads; the RNN's steps cannot."));
    else if (attn_two < 0.9)
        s.push_back(
            tr("Both gained: the RNN's matrix-vector products also split, but its T steps still "
               "run one after another."));
    else
        s.push_back(
            tr("Here the second thread did not help attention: the other core was busy or the "
               "products too small."));
    s.push_back(tr("Times differ from run to run; the counts and the paths do not."));
    return join_sentences(s);
}

arma::mat series_columns(const std::vector<Series>& series) {
    arma::mat columns(series.front().y.n_elem, series.size());
    for (std::size_t m = 0; m < series.size(); ++m) columns.col(m) = series[m].y;
    return columns;
}

Labels series_labels(const std::vector<Series>& series) {
    Labels labels;
    // Column labels drop what the lesson's sentence above the table says ("rnn ",
    // "self-"), so six columns fit in 100.
    for (const Series& s : series) {
        std::string name = s.name;
        for (const std::string prefix : {"rnn ", "self-"})
            if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
        labels.cols.push_back(name);
    }
    const arma::uword T = series.front().y.n_elem;
    for (arma::uword t = 0; t < T; ++t)
        labels.rows.push_back("x_" + std::to_string(t) + " d=" + std::to_string(T - 1 - t));
    return labels;
}

GradientFiles write_gradient_files(const std::string& dir, const std::vector<Series>& series,
                                   const std::vector<RnnRun>& runs) {
    const arma::uword T = series.front().y.n_elem;
    const arma::vec t = arma::regspace<arma::vec>(0.0, T - 1.0);
    std::vector<std::string> header{"t", "distance"};
    for (const Series& s : series) header.push_back(s.name);
    std::vector<std::string> jac_names{"k"};
    for (const RnnRun& r : runs) jac_names.push_back("rho=" + num(r.rho, "%g"));

    const std::filesystem::path folder(dir);
    const GradientFiles files{(folder / "gradient_norms.csv").string(),
                              (folder / "jacobian_products.csv").string()};
    write_file_atomically(files.norms_csv,
                          csv(header, arma::join_rows(t, distances(T), series_columns(series))));
    write_file_atomically(files.jacobians_csv,
                          csv(jac_names, arma::join_rows(t, jacobian_columns(runs))));
    return files;
}

}  // namespace tfm::course
