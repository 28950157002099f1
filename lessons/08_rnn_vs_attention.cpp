// Lesson 08 — RNN against self-attention: vanishing gradients, and sequential against
// parallel cost.
//
// A loss on the last token, L = <g, y_{T-1}>, is pushed back to every input x_t. In an RNN
// the gradient crosses one Jacobian diag(act')·W_hh per step, so it shrinks or grows like
// rho(W_hh)^distance; in self-attention every token is one step from every other, so the
// distance does not matter. Then the cost: an RNN takes T steps one after another,
// attention a handful of matrix products over the whole sequence.
//
//   build/lessons/08_rnn_vs_attention
//   build/lessons/08_rnn_vs_attention --T 200 --rho 0.9,1.1 --activation linear --out out/08
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "course/lesson_08.hpp"
#include "model/config.hpp"
#include "rnn/spectral.hpp"

#include <cstdio>
#include <thread>

namespace {

using namespace tfm;

struct Settings {
    cli::Common common;
    arma::uword seq_len = 50;
    std::vector<double> rhos;
    RnnActivation activation = RnnActivation::tanh;
    bool timing = true;
    arma::uword timing_width = 64;
};

constexpr int kRepeats = 5;  // timed batches per measurement; the median is reported
constexpr unsigned kFeatures = cli::sizes | cli::heads | cli::ffn | cli::layers | cli::norm_first;

Settings read_settings(int argc, char** argv) {
    cli::Common defaults;
    cli::Options options(
        "08_rnn_vs_attention",
        tr("Lesson 08: gradients over distance in an RNN and in attention; sequential vs "
           "parallel"));
    cli::add_common(options, kFeatures, defaults);
    // Lesson 08 runs its models over many lengths and radii: wider ones take minutes.
    options.narrow_range("d-model", 1, 128);
    options.narrow_range("heads", 1, 128);
    options.add_options(tr("Lesson 08"))("T,seq-len", tr("sequence length T; --T N works too"),
                                         cli::value<long>()->default_value("50")->range(2, 2000),
                                         "N")(
        "rho", tr("spectral radii of W_hh, comma-separated, each > 0"),
        cli::value<std::string>()->default_value("0.5,0.9,1.0,1.2"),
        "LIST")("activation", tr("the RNN's activation: tanh or linear"),
                cli::value<std::string>()->default_value("tanh"), "NAME")(
        "timing", tr("time the sequential-vs-parallel table (--timing=false: counts only)"),
        cli::value<bool>()->default_value("true"))(
        "timing-width", tr("d_model of the timed models"),
        cli::value<long>()->default_value("64")->range(1, 256), "N");
    // cxxopts takes one-letter names as short options (-T) only; the course writes --T.
    const cli::ParseResult result = cli::parse(options, argc, argv, {{"T", "seq-len"}});
    Settings s;
    s.common = cli::read_common(result, kFeatures, defaults);
    s.seq_len = cli::size_of(result, "seq-len");
    // The encoder and attention of section 3 run over all T tokens at the chosen sizes.
    cli::require_budget(s.common, kFeatures, s.seq_len, s.seq_len);
    s.rhos = cli::parse_positive_list("rho", result["rho"].as<std::string>(), 6);
    require_work(tr("--rho with {1} radii at --T {2}, --d-model {3}", s.rhos.size(), s.seq_len,
                    s.common.d_model),
                 course::rnn_radii_work(s.seq_len, s.common.d_model, s.rhos.size()));
    const std::string activation = result["activation"].as<std::string>();
    require(activation == "tanh" || activation == "linear",
            tr("--activation must be tanh or linear for the RNN (got '{1}')", activation));
    s.activation = parse_rnn_activation(activation);
    s.timing = result["timing"].as<bool>();
    s.timing_width = cli::size_of(result, "timing-width");
    require(s.timing_width % s.common.num_heads == 0,
            tr("--timing-width must be divisible by --heads"));
    return s;
}

std::string num(double x, const char* format) { return cli::printf_number(x, format); }
void show(Printer& p, const TextTable& table) { p.table(table.header, table.rows); }

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer p(s.common.print);
    const arma::uword T = s.seq_len, d = s.common.d_model;
    const std::string act = to_string(s.activation);

    p.heading(tr("1. The same inputs for every model"));
    p.say(
        tr("X: T = {1} tokens of width d_model = {2}, drawn from N(0, 1). The loss reads only the "
           "last output, L = <g, y_{T-1}>, so dL/dY is zero except its last row, which is g.",
           T, d));
    const arma::mat x = normal(T, d);
    const arma::rowvec g = normal(1, d);
    p.tensor("X", x);
    p.vector("g", g);

    p.heading(tr("2. The RNN's recurrent matrix and its spectral radius"));
    p.say(
        tr("h_t = {1}(W_hh h_{t-1} + W_xh x_t + b). W_hh is drawn once; its eigenvalues come "
           "from LAPACK (dgeev), complex ones in conjugate pairs. rho(W_hh) = max |lambda|.",
           act));
    VanillaRnn rnn(d, d, s.activation);
    const arma::mat w_base = rnn.w_hh;
    p.tensor("eigenvalues_w_hh", course::eigenvalue_columns(eigenvalues(w_base)),
             {{}, {tr("real"), tr("imag"), "|lambda|"}},
             "rho(W_hh) = " + num(spectral_radius(w_base), "%.6f"));
    p.say(
        tr("Rescaled to each rho: W_hh * rho / rho(W_hh) multiplies every eigenvalue by the same "
           "factor. Measured again after rescaling:"));
    std::vector<arma::cx_vec> after;
    const std::vector<course::RnnRun> runs =
        course::runs_at_radii(rnn, w_base, s.rhos, x, g, after);
    show(p, course::rescale_table(runs, after));

    p.heading(tr("3. How much of the loss reaches each earlier token"));
    MultiHeadAttention attention(d, s.common.num_heads);
    Encoder encoder(layer_config(d, s.common.num_heads, s.common.d_ff, s.common.layers,
                                 s.common.norm_first, s.common.activation),
                    s.common.layers);
    const std::vector<Series> series = course::gradient_series(runs, attention, encoder, x, g);
    p.say(
        tr("log10 ||dL/dx_t|| for token t at distance d = T-1-t ({1} RNN at each rho, one "
           "self-attention layer, a stack of {2} encoder layers):",
           act, s.common.layers));
    p.tensor("log10_grad_norms", arma::log10(course::series_columns(series)),
             course::series_labels(series));
    p.dump("output", course::series_columns(series));
    const PlotOptions plot = course::gradient_plot(act, s.common.print.color);
    const std::vector<Series> log_series = course::log10_series(series);
    p.plot("gradient_norms", log_series, plot);

    p.heading(tr("4. Why the RNN forgets: a product of Jacobians"));
    p.say(
        tr("dL/dx_t = g J_{T-1} ... J_{t+1} diag(act'(a_t)) W_xh, with one Jacobian J_k = "
           "diag(act'(a_k)) W_hh per step. In a linear RNN every J_k is W_hh and ||W_hh^k|| grows "
           "like rho^k, so ln||dL/dx_t|| should fall on a line of slope ln rho. The fit uses "
           "distances from T/4 to T-1 (to where double overflows or underflows, if sooner): "
           "nearer ones still carry the smaller eigenvalues, which die out faster."));
    show(p,
         course::decay_slope_table(rnn, w_base, runs, x, g, s.activation == RnnActivation::tanh));
    p.say("\n" + tr("||J_{T-1} ... J_{T-k}|| (2-norm) of the {1} RNN over the distance k, "
                    "beside rho^k:",
                    act));
    show(p, course::jacobian_table(runs));
    p.dump("jacobian_product_norms", course::jacobian_columns(runs));
    if (s.activation == RnnActivation::tanh) {
        p.say("\n" + tr("Tanh saturation: tanh'(a) = 1 - h^2 multiplies every Jacobian, and it "
                        "is < 1 everywhere and near 0 where a unit sits at +-1. So the tanh RNN "
                        "decays faster than rho alone predicts:"));
        show(p, course::tanh_saturation_table(runs));
        p.say(
            tr("The per-step factor is rho only for the linear RNN; with tanh it is closer to rho "
               "times the typical tanh' (geometric mean over all steps and units), so even rho > 1 "
               "can vanish."));
    }

    p.heading(tr("5. Attention: one step from every token, unless the softmax saturates"));
    p.say(course::attention_reach_sentence(series, runs));
    p.say(
        tr("But a peaked softmax passes little gradient to the tokens it ignores. Multiplying the "
           "scores by s (scaling W_q and b_q by s) sharpens it:"));
    show(p,
         course::score_scale_table(course::score_scale_sweep(attention, x, g, {1.0, 4.0, 16.0})));

    p.heading(tr("6. Sequential against parallel"));
    const std::vector<arma::uword> lengths{64, 256, 1024};
    const arma::uword w = s.timing_width, h = s.common.num_heads;
    const std::vector<course::SpeedRow> speed =
        s.timing ? course::measure_sequential_vs_parallel(lengths, w, h, {1, 2}, kRepeats)
                 : course::counted_speed_rows(lengths, w, h);
    p.say(
        tr("Dependent steps: the RNN's step t needs h_{t-1}, so T of them; attention's are "
           "projections -> Q K^T -> softmax -> weights V -> output projection, 5 per layer for any "
           "T. Multiply-adds at d_model = {1}: RNN T*2d^2, attention 4Td^2 + 2T^2 d. The path is "
           "the longest chain that must run in order even on unlimited hardware, each dot product "
           "counted as its length: RNN d + T*d, attention 2d + d_k + 2T. It depends on the sizes, "
           "not on the machine.",
           w));
    show(p, course::speed_count_table(speed));
    if (s.timing) {
        show(p, course::speed_time_table(speed));
        p.say(course::timing_sentence(speed, std::thread::hardware_concurrency(), h, kRepeats));
    }

    if (s.common.print.outputs && !s.common.print.outputs->picture_dir.empty()) {
        const course::GradientFiles f =
            course::write_gradient_files(s.common.print.outputs->picture_dir, series, runs);
        p.say(
            tr("Wrote {1} (||dL/dx_t|| per model) and {2} (||J_{T-1} ... J_{T-k}|| per rho), "
               "beside the plot.",
               f.norms_csv, f.jacobians_csv));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
