// Lesson 02 — Q, K, V: three projections of the same X.
//
// Self-attention first maps every token's row of X three ways: to a query (what the token
// is looking for), a key (what it offers to be found by) and a value (what it hands over
// when found). Each is a linear layer, Q = X·Wqᵀ + bq and the same for K and V, so a row
// of Q depends on that token's row of X alone.
//
//   build/lessons/02_qkv --text "the cat sat on the mat" --d-model 8 --row 1
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/printer.hpp"
#include "nn/linear.hpp"

namespace {

using namespace tfm;
constexpr unsigned kFeatures = cli::sizes | cli::text | cli::input | cli::weights;

struct Settings {
    cli::Common common;
    arma::uword row = 1;
    bool row_given = false;  // the token whose projection is shown on its own
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("02_qkv", tr("Lesson 02: Q = X·Wqᵀ + bq, K = X·Wkᵀ + bk, V = X·Wvᵀ + bv"));
    const cli::Common defaults;
    cli::add_common(options, kFeatures, defaults);
    options.add_options()("row", tr("the token (row of X) whose projection is computed on its own"),
                          cli::value<long>()->default_value("1")->range(0, 1000000), "I");
    const cli::ParseResult result = cli::parse(options, argc, argv);
    Settings s{cli::read_common(result, kFeatures, defaults)};
    s.row = cli::size_of(result, "row");
    s.row_given = result.count("row") > 0;
    return s;
}

int lesson(int argc, char** argv) {
    const Settings settings = read_settings(argc, argv);
    const cli::Common& c = settings.common;
    Printer out(c.print);

    Linear wq(c.d_model, c.d_model), wk(c.d_model, c.d_model), wv(c.d_model, c.d_model);
    ParamList params;
    wq.params("wq.", params);
    wk.params("wk.", params);
    wv.params("wv.", params);
    draw_params(params, c.seed, cli::course::encoder_self_attention());
    cli::apply_weight_files(c, params, "02_qkv", kFeatures);

    const cli::LessonInput in = cli::lesson_input(c);
    const arma::mat& x = in.x;
    const arma::uword r = cli::pick_row(settings.row, settings.row_given, x);

    out.heading(tr("1. The input X"));
    if (in.from_file)
        out.say(tr("X comes from --input {1}: one row per token.", c.input));
    else
        out.say(
            tr("X is lesson 01's output for \"{1}\": the same E (src_embed.weight, drawn by "
               "name from seed {2}) · √d_model + positional encoding, one row per token.",
               c.text, c.seed));
    out.say(cli::unknown_note(in.unknown, in.labels.size()));
    out.tensor("X", x, {in.labels, {}}, "", Shade::signed_values);

    out.heading(tr("2. Three weight matrices"));
    if (c.weights.empty())
        out.say(
            tr("Article §3.3, step one: X is mapped to the query matrix Q, the key matrix K and "
               "the value matrix V by Wq, Wk and Wv, parameters learned in training (here drawn "
               "with the seed as nn.Transformer initialises them: weights Xavier-uniform, "
               "U(±√(6/(in + out))), biases U(±1/√in); they are the encoder's layer-0 "
               "self-attention weights, the same in lessons 03, 04 and 06). They are stored the "
               "PyTorch way, [out × in], with a bias, so the layer computes X·Wᵀ + b."));
    else
        out.say(
            tr("Article §3.3, step one: X is mapped to the query matrix Q, the key matrix K and "
               "the value matrix V by Wq, Wk and Wv, parameters learned in training (here from "
               "--weights {1}). They are stored the PyTorch way, [out × in], with a bias, so the "
               "layer computes X·Wᵀ + b.",
               c.weights));
    const arma::mat q = wq.forward(x), k = wk.forward(x), v = wv.forward(x);
    struct Projection {
        const char* name;
        const char* weight;
        const char* bias;
        const Linear& layer;
        const arma::mat& result;
        const char* role;
    };
    const Projection projections[] = {
        {"Q", "wq.weight", "wq.bias", wq, q, N_("queries: what each token is looking for")},
        {"K", "wk.weight", "wk.bias", wk, k, N_("keys: what each token can be found by")},
        {"V", "wv.weight", "wv.bias", wv, v, N_("values: what each token hands over")},
    };
    for (const Projection& p : projections) {
        out.tensor(p.weight, p.layer.weight, {}, "[out × in]");
        out.vector(p.bias, p.layer.bias);
        if (p.result.memptr() == q.memptr())
            out.say(
                tr("{1} = X {2} · {3}ᵀ {4} + {5} [{6}] → {7}: the inner sizes (d_model) "
                   "meet, the rows stay tokens, the bias is added to every row.",
                   p.name, cli::shape_of(x), p.weight, cli::shape_of(p.layer.weight.t()), p.bias,
                   p.layer.bias.n_elem, cli::shape_of(p.result)));
        else
            out.say(tr("{1} = X {2} · {3}ᵀ {4} + {5} [{6}] → {7}.", p.name, cli::shape_of(x),
                       p.weight, cli::shape_of(p.layer.weight.t()), p.bias, p.layer.bias.n_elem,
                       cli::shape_of(p.result)));
        out.tensor(p.name, p.result, {in.labels, {}}, tr(p.role), Shade::signed_values);
    }

    out.heading(tr("3. One row of Q is one token's projection"));
    Linear alone = wq;
    const arma::mat q_row = alone.forward(x.row(r));
    out.say(
        tr("Row {1} (\"{2}\") of Q, computed from that token's row of X alone: x_{1} "
           "[1 × {3}] · wq.weightᵀ + wq.bias. No other token takes part; tokens only meet "
           "in the next lesson, through the scores Q·Kᵀ.",
           r, in.labels[r], c.d_model));
    const std::string row_name = "Q_row" + std::to_string(r);
    out.tensor(row_name, q_row, {{in.labels[r]}, {}},
               "x_" + std::to_string(r) + " · wq.weightᵀ + wq.bias");
    const double diff = max_abs_diff(q_row, q.row(r));
    out.table(
        {tr("check"), tr("value")},
        {{"max |" + row_name + " − Q[" + std::to_string(r) + ", :]|", cli::format_diff(diff)}});
    if (diff != 0.0)
        out.say(
            tr("(A difference of order 1e-16 is rounding: a one-row product adds the same "
               "terms in another order.)"));

    const arma::mat output = arma::join_rows(q, k, v);
    out.dump("output", output);
    out.say(
        tr("output.npy (with --dump-dir) holds [Q | K | V] side by side, {1}: what one "
           "fused projection with the three weights stacked computes.",
           cli::shape_of(output)));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
