#include "cli/lesson_tables.hpp"

#include "analysis/cost.hpp"
#include "analysis/gradient_distance.hpp"
#include "analysis/head_split.hpp"
#include "analysis/line_fit.hpp"
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "io/printer.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <utility>

namespace tfm::cli {

TextTable kept_and_blocked_table(const arma::umat& mask, const std::vector<std::string>& labels) {
    TextTable t{{"query", "keeps keys", "blocked keys"}, {}};
    for (arma::uword i = 0; i < labels.size(); ++i) {
        std::vector<std::string> kept, blocked;
        for (arma::uword j = 0; j < labels.size(); ++j)
            (!mask.is_empty() && mask(i, j) ? blocked : kept).push_back(labels[j]);
        t.rows.push_back({std::to_string(i) + " " + labels[i], kept.empty() ? "(none)" : join_labels(kept),
                          blocked.empty() ? "(none)" : join_labels(blocked)});
    }
    return t;
}

TextTable head_cost_table(arma::uword seq_len, arma::uword d_model, arma::uword fixed_d_k) {
    TextTable t{{"h", "d_k", "h·d_k", "Q,K,V projections", "scores + weights·V", "Wo", "total", "× h=1"}, {}};
    const std::uint64_t base =
        multi_head_attention_cost(seq_len, d_model, 1, fixed_d_k ? fixed_d_k : d_model).total();
    for (arma::uword h : {1u, 2u, 4u, 8u, 16u}) {
        const arma::uword d_k = fixed_d_k ? fixed_d_k : d_model / h;
        const AttentionCost cost = multi_head_attention_cost(seq_len, d_model, h, d_k);
        t.rows.push_back({std::to_string(h), std::to_string(d_k), std::to_string(h * d_k),
                          format_count(cost.projections), format_count(cost.scores + cost.mixing),
                          format_count(cost.output), format_count(cost.total()),
                          format_number(static_cast<double>(cost.total()) / static_cast<double>(base), 2)});
    }
    return t;
}

TextTable head_split_table(const MultiHeadAttention& mha, const arma::mat& x) {
    TextTable t{{"projection", "h separate products", "max |small − block of big|"}, {}};
    const arma::uword h = mha.num_heads;
    const std::pair<const char*, const Linear*> projections[] = {{"Q", &mha.wq}, {"K", &mha.wk}, {"V", &mha.wv}};
    const arma::mat* full[] = {&mha.q_, &mha.k_, &mha.v_};
    for (int p = 0; p < 3; ++p) {
        const std::vector<arma::mat> small =
            project_per_head(x, projections[p].second->weight, projections[p].second->bias, h);
        double diff = 0.0;
        for (arma::uword j = 0; j < h; ++j) diff = std::max(diff, max_abs_diff(small[j], head_block(*full[p], j, h)));
        t.rows.push_back({projections[p].first, std::to_string(h) + " × " + shape_of(small[0]), format_diff(diff)});
    }
    return t;
}

RowAloneCheck ffn_row_alone(const FeedForward& ffn, const arma::mat& input, const arma::mat& output,
                            arma::uword row, const std::string& row_name) {
    FeedForward alone = ffn;  // forward() overwrites the caches the lesson prints
    RowAloneCheck check;
    check.row_alone = alone.forward(input.row(row));
    double worst = 0.0;
    for (arma::uword i = 0; i < input.n_rows; ++i)
        worst = std::max(worst, max_abs_diff(alone.forward(input.row(i)), output.row(i)));
    check.exact = worst == 0.0;
    check.table = {{"check", "value"},
                   {{"max |" + row_name + " − ffn_out[" + std::to_string(row) + ", :]|",
                     format_diff(max_abs_diff(check.row_alone, output.row(row)))},
                    {"max over all rows, each computed alone", format_diff(worst)}}};
    return check;
}

TextTable layer_norm_check_table(const LayerNorm& norm, const arma::mat& before, const arma::mat& after) {
    const arma::rowvec var_before = row_variances(before);
    return {{"check", "value"},
            {{"max |mean_after|", format_diff(arma::abs(row_means(after)).max())},
             {"max |var_after − var/(var + 1e-5)|",
              format_diff(max_abs_diff(row_variances(after), var_before / (var_before + norm.eps)))}}};
}

namespace {

std::string num(double x, const char* format) { return printf_number(x, format); }

// The fitted slope, or why there is none.
std::string slope_text(const arma::vec& norms) {
    const std::optional<LineFit> fit = far_decay_fit(norms);
    return fit ? num(fit->slope, "%+.4f") : "out of range";
}

}  // namespace

arma::mat eigenvalue_columns(const arma::cx_vec& lambda) {
    return arma::join_rows(arma::real(lambda), arma::imag(lambda), arma::abs(lambda));
}

TextTable rescale_table(const std::vector<RnnRun>& runs, const std::vector<arma::cx_vec>& eigenvalues_after) {
    TextTable t{{"rho asked", "rho(W_hh) after", "|error|", "largest lambda after"}, {}};
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::complex<double> largest = eigenvalues_after[i](0);
        t.rows.push_back({num(runs[i].rho, "%g"), num(runs[i].measured_rho, "%.12f"),
                          num(std::abs(runs[i].measured_rho - runs[i].rho), "%.1e"),
                          num(largest.real(), "%.4f") + (largest.imag() < 0 ? " - " : " + ") +
                              num(std::abs(largest.imag()), "%.4f") + "i"});
    }
    return t;
}

TextTable decay_slope_table(const VanillaRnn& rnn, const arma::mat& w_base, const std::vector<RnnRun>& runs,
                            const arma::mat& x, const arma::rowvec& g, bool with_tanh) {
    VanillaRnn linear = rnn;
    linear.activation = RnnActivation::linear;
    TextTable t{{"rho", "ln rho", "slope (linear RNN)", "r^2"}, {}};
    if (with_tanh) t.header.push_back("slope (tanh RNN)");
    for (const RnnRun& run : runs) {
        const arma::vec lin = run_rnn_at_rho(linear, w_base, run.rho, x, g).norms;
        const std::optional<LineFit> lin_fit = far_decay_fit(lin);
        std::vector<std::string> row{num(run.rho, "%g"), num(std::log(run.rho), "%+.4f"), slope_text(lin),
                                     lin_fit ? num(lin_fit->r2, "%.4f") : "-"};
        if (with_tanh) row.push_back(slope_text(run.norms));
        t.rows.push_back(row);
    }
    return t;
}

std::string decades_over_distance(const arma::vec& norms) {
    const arma::uword T = norms.n_elem;
    const std::optional<LineFit> fit = try_decay_fit(norms.head(T - 1), 0.0);
    return fit ? num(fit->slope * static_cast<double>(T - 2) / std::log(10.0), "%+.2f") : std::string("n/a");
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
    TextTable t{{"rho", "mean tanh'", "|h| > 0.9", "rho x geo-mean tanh'", "measured e^slope"}, {}};
    for (const RnnRun& r : runs) {
        const std::optional<LineFit> fit = far_decay_fit(r.norms);
        t.rows.push_back({num(r.rho, "%g"), num(r.mean_derivative, "%.3f"), num(100.0 * r.saturated_fraction, "%.1f%%"),
                          num(r.rho * r.geo_mean_derivative, "%.3f"), fit ? num(std::exp(fit->slope), "%.3f") : "-"});
    }
    return t;
}

TextTable score_scale_table(const std::vector<ScoreScaleRow>& rows) {
    TextTable t{{"score scale", "top weight (last query)", "min ||dL/dx_t||", "median", "max", "log10(max/min)"}, {}};
    for (const ScoreScaleRow& r : rows)
        t.rows.push_back({"x" + num(r.scale, "%g"), num(r.max_weight, "%.3f"), num(r.norms.min(), "%.3e"),
                          num(arma::median(r.norms), "%.3e"), num(r.norms.max(), "%.3e"), num(r.log10_spread, "%.2f")});
    return t;
}

std::string gmacs_per_second(std::uint64_t macs, double seconds) {
    return num(1e-9 * static_cast<double>(macs) / seconds, "%.2f");
}

TextTable speed_table(const std::vector<SpeedRow>& rows, bool timed) {
    TextTable t{{"T", "RNN steps", "attn steps", "RNN MACs", "attn MACs"}, {}};
    if (timed)
        for (const char* h : {"threads", "RNN ms", "attn ms", "RNN GMAC/s", "attn GMAC/s"}) t.header.push_back(h);
    for (const SpeedRow& r : rows) {
        std::vector<std::string> row{std::to_string(r.seq_len), std::to_string(r.rnn_steps),
                                     std::to_string(r.attention_steps), num(static_cast<double>(r.rnn_macs), "%.3g"),
                                     num(static_cast<double>(r.attention_macs), "%.3g")};
        if (timed)
            for (const std::string& cell : {std::to_string(r.threads), num(1e3 * r.rnn_seconds, "%.3f"),
                                            num(1e3 * r.attention_seconds, "%.3f"),
                                            gmacs_per_second(r.rnn_macs, r.rnn_seconds),
                                            gmacs_per_second(r.attention_macs, r.attention_seconds)})
                row.push_back(cell);
        t.rows.push_back(row);
    }
    return t;
}

std::vector<SpeedRow> counted_speed_rows(const std::vector<arma::uword>& seq_lens, arma::uword d_model) {
    std::vector<SpeedRow> rows;
    for (arma::uword n : seq_lens)
        rows.push_back({n, 0, rnn_dependent_steps(n), kAttentionDependentSteps, rnn_macs(n, d_model, d_model),
                        self_attention_macs(n, d_model), 0.0, 0.0});
    return rows;
}

arma::mat series_columns(const std::vector<Series>& series) {
    arma::mat columns(series.front().y.n_elem, series.size());
    for (std::size_t m = 0; m < series.size(); ++m) columns.col(m) = series[m].y;
    return columns;
}

Labels series_labels(const std::vector<Series>& series) {
    Labels labels;
    for (const Series& s : series) labels.cols.push_back(s.name);
    const arma::uword T = series.front().y.n_elem;
    for (arma::uword t = 0; t < T; ++t) labels.rows.push_back("x_" + std::to_string(t) + " d=" + std::to_string(T - 1 - t));
    return labels;
}

GradientFiles write_gradient_files(const std::string& dir, const std::vector<Series>& series,
                                   const std::vector<Series>& log_series, const PlotOptions& plot,
                                   const std::vector<RnnRun>& runs) {
    const arma::uword T = series.front().y.n_elem;
    const arma::vec t = arma::regspace<arma::vec>(0.0, T - 1.0);
    std::vector<std::string> header{"t", "distance"};
    for (const Series& s : series) header.push_back(s.name);
    std::vector<std::string> jac_names{"k"};
    for (const RnnRun& r : runs) jac_names.push_back("rho=" + num(r.rho, "%g"));

    const std::filesystem::path folder(dir);
    const GradientFiles files{(folder / "gradient_norms.csv").string(), (folder / "jacobian_products.csv").string(),
                              (folder / "gradient_norms.svg").string()};
    write_text_file(files.norms_csv, csv(header, arma::join_rows(t, distances(T), series_columns(series))));
    write_text_file(files.plot_svg, svg_plot(log_series, plot));
    write_text_file(files.jacobians_csv, csv(jac_names, arma::join_rows(t, jacobian_columns(runs))));
    return files;
}

}  // namespace tfm::cli
