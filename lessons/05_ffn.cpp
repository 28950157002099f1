// Lesson 05 — The feed-forward network, the residual connection and LayerNorm.
//
// After attention mixes the tokens, every row goes on its own through the same small
// two-layer network, FFN(x) = act(x·W1ᵀ + b1)·W2ᵀ + b2, which adds non-linearity. The
// input is added back (residual) and each row is normalised to mean 0, variance 1
// (LayerNorm): output = LN(X + FFN(X)), or X + FFN(LN(X)) with --norm-first.
//
//   build/lessons/05_ffn --d-model 8 --d-ff 32 --activation relu
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/i18n.hpp"
#include "course/lesson_05.hpp"
#include "io/printer.hpp"
#include "nn/ffn_block.hpp"

namespace {

using namespace tfm;
constexpr unsigned kFeatures = cli::sizes | cli::heads | cli::ffn | cli::activation |
                               cli::norm_first | cli::text | cli::input | cli::weights |
                               cli::grad_output;

struct Settings {
    cli::Common common;
    arma::uword row = 1;
    bool row_given = false;  // the token pushed through the FFN on its own
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("05_ffn", tr("Lesson 05: position-wise FFN, residual, LayerNorm"));
    const cli::Common defaults;
    cli::add_common(options, kFeatures, defaults);
    options.add_options()("row", tr("the token (row of X) pushed through the FFN on its own"),
                          cli::value<long>()->default_value("1")->range(0, 1000000), "I");
    const cli::ParseResult result = cli::parse(options, argc, argv);
    Settings s{cli::read_common(result, kFeatures, defaults)};
    s.row = cli::size_of(result, "row");
    s.row_given = result.count("row") > 0;
    return s;
}

std::string fmt(double x) { return format_number(x, 4); }

// norm.weight and norm.bias: printed when they come from --weights; at their initial 1
// and 0 they are one sentence, unless the narration has said it already (and still dumped).
void print_norm_params(Printer& out, const LayerNorm& norm, const cli::Common& c,
                       bool said = false) {
    if (!c.weights.empty() || c.print.quiet) {
        out.vector("norm.weight", norm.weight);
        out.vector("norm.bias", norm.bias);
        return;
    }
    out.dump_vector("norm.weight", norm.weight);
    out.dump_vector("norm.bias", norm.bias);
    if (!said)
        out.say(
            tr("norm.weight [{1}] is all 1 and norm.bias all 0 until trained (both in "
               "--dump-dir).",
               norm.weight.n_elem));
}

int lesson(int argc, char** argv) {
    const Settings settings = read_settings(argc, argv);
    const cli::Common& c = settings.common;
    Printer out(c.print);

    FfnBlock block(c.d_model, c.d_ff, c.activation, c.norm_first);
    ParamList params;
    block.params("", params);
    draw_params(params, c.seed, cli::course::encoder_ffn());
    cli::apply_weight_files(c, params, "05_ffn", kFeatures);

    // X is what encoder layer 0 feeds its FFN: lesson 04's attention sublayer applied to
    // lesson 01's X (or the learner's --input as it is).
    const cli::LessonInput in = cli::lesson_input(c);
    const std::vector<std::string>& tokens = in.labels;
    const arma::mat x = in.from_file
                            ? in.x
                            : cli::encoder_layer0_by_lessons(in.x, c.d_model, c.num_heads, c.d_ff,
                                                             c.activation, c.norm_first, c.seed)
                                  .ffn_input;
    const arma::uword r = cli::pick_row(settings.row, settings.row_given, x);
    const arma::mat grad_output = cli::read_grad_output(c, x.n_rows);

    const arma::mat output = block.forward(x);
    const std::string act = to_string(c.activation);

    out.heading(tr("1. The input X"));
    // Three sentences in one paragraph: English puts a space between them, Chinese none.
    const std::string gap = current_language() == Language::zh ? "" : " ";
    out.say((in.from_file ? tr("X comes from --input {1}, one row per token.", c.input)
             : c.norm_first
                 ? tr("X is what encoder layer 0 (pre-LN) feeds its FFN: lesson 01's X plus "
                      "lesson 04's multi-head attention of LN1(X), X₀₁ + MultiHead(LN1(X₀₁)).")
                 : tr("X is what encoder layer 0 feeds its FFN: LN1(X₀₁ + MultiHead(X₀₁)), "
                      "lesson 01's X plus lesson 04's output, normalised.")) +
            gap +
            tr("Article §3.1: each encoder layer is self-attention, then the feed-forward "
               "layer.") +
            gap +
            (c.norm_first ? tr("--norm-first: pre-LN, output = X + FFN(LN(X)).")
                          : tr("Post-LN, as the 2017 paper: output = LN(X + FFN(X)).")));
    out.say(cli::unknown_note(in.unknown, tokens.size()));
    out.tensor("X", x, {tokens, {}});

    // Pre-LN normalises first, so its FFN reads LN(X); post-LN's FFN reads X itself.
    arma::mat ffn_in = x;
    if (c.norm_first) {
        out.heading(tr("2. LayerNorm first (pre-LN)"));
        LayerNorm norm = block.norm;
        ffn_in = norm.forward(x);
        out.say(
            tr("Each row is normalised on its own: subtract the row's mean, divide by "
               "√(variance + 1e-5), then multiply by norm.weight and add norm.bias (1 and 0 "
               "until trained)."));
        out.vector("mean_before", row_means(x), tokens, tr("per token, of X"));
        out.vector("var_before", row_variances(x), tokens, tr("per token, of X (÷ d_model)"));
        print_norm_params(out, block.norm, c);
        out.tensor("normed", ffn_in, {tokens, {}}, tr("LN(X): what the FFN reads"));
        out.vector("mean_after", row_means(ffn_in), tokens, tr("per token, of LN(X)"));
        out.vector("var_after", row_variances(ffn_in), tokens, tr("per token, of LN(X)"));
    }

    out.heading(tr("{1}. The feed-forward network", c.norm_first ? "3" : "2"));
    const Linear& l1 = block.ffn.linear1;
    const Linear& l2 = block.ffn.linear2;
    out.say(
        tr("Article §3.1: the feed-forward layer brings in non-linearity. First a widening "
           "layer: {1} · linear1.weightᵀ {2} + linear1.bias → {3}, d_ff = {4} hidden units "
           "per token.",
           cli::shape_of(ffn_in), cli::shape_of(l1.weight.t()),
           cli::shape_of(block.ffn.hidden_pre_), c.d_ff));
    out.tensor("linear1.weight", l1.weight, {}, "W1 [d_ff × d_model]");
    out.vector("linear1.bias", l1.bias);
    out.tensor("hidden_pre", block.ffn.hidden_pre_, {tokens, {}}, "x · W1ᵀ + b1",
               Shade::signed_values);
    out.say(c.activation == Activation::relu
                ? tr("ReLU keeps the positive entries and sets the negative ones to exactly 0.")
                : tr("GELU, x · Φ(x), keeps large positive entries, damps negative ones towards 0 "
                     "without making them exactly 0."));
    out.tensor("hidden", block.ffn.hidden_, {tokens, {}}, act + "(hidden_pre)",
               Shade::signed_values);
    out.table(
        {tr("measure"), tr("value")},
        {{tr("fraction of hidden_pre below 0"), fmt(fraction_negative(block.ffn.hidden_pre_))},
         {tr("fraction of hidden exactly 0 ({1})", act), fmt(fraction_zero(block.ffn.hidden_))}});
    out.say(tr("Then back down to d_model: hidden · linear2.weightᵀ {1} + linear2.bias → {2}.",
               cli::shape_of(l2.weight.t()), cli::shape_of(block.ffn_out_)));
    out.tensor("linear2.weight", l2.weight, {}, "W2 [d_model × d_ff]");
    out.vector("linear2.bias", l2.bias);
    out.tensor("ffn_out", block.ffn_out_, {tokens, {}}, c.norm_first ? "FFN(LN(X))" : "FFN(X)");

    const std::string row_name = "ffn_row" + std::to_string(r);
    const course::RowAloneCheck alone =
        course::ffn_row_alone(block.ffn, ffn_in, block.ffn_out_, r, row_name);
    out.say(
        tr("Position-wise means row by row: token {1} (\"{2}\") pushed through the FFN by "
           "itself gives the same row. Unlike attention, no token sees another here.",
           r, tokens[r]));
    out.tensor(row_name, alone.row_alone, {{tokens[r]}, {}}, tr("FFN of one row alone"));
    out.table(alone.table.header, alone.table.rows);
    if (!alone.exact)
        out.say(tr(
            "Differences of order 1e-16 are rounding: alone, a row's sums run in another order."));

    if (c.norm_first) {
        out.heading(tr("4. Residual: output = X + FFN(LN(X))"));
        out.say(
            tr("The input is added back untouched. Pre-LN leaves the sum unnormalised, so a "
               "stack of such layers ends with one final LayerNorm."));
        out.tensor("output", output, {tokens, {}}, "X + ffn_out");
    } else {
        out.heading(tr("3. Residual, then LayerNorm: output = LN(X + FFN(X))"));
        out.say(
            tr("The residual adds the input back, so the layer only has to learn a correction "
               "and gradients have a direct path through the stack."));
        out.tensor("residual", block.residual_, {tokens, {}}, "X + ffn_out");
        out.say(
            tr("LayerNorm then normalises each row on its own: subtract the row's mean, divide "
               "by √(variance + 1e-5), then multiply by norm.weight and add norm.bias (1 and 0 "
               "until trained; both in --dump-dir). Here are each token's mean and variance "
               "before:"));
        out.vector("mean_before", row_means(block.residual_), tokens, tr("per token, of residual"));
        out.vector("var_before", row_variances(block.residual_), tokens,
                   tr("per token (÷ d_model)"));
        print_norm_params(out, block.norm, c, c.weights.empty());
        out.tensor("output", output, {tokens, {}}, "LN(residual)");
        out.dump_vector("mean_after", row_means(output));
        out.dump_vector("var_after", row_variances(output));
        const TextTable checks =
            course::layer_norm_check_table(block.norm, block.residual_, output);
        out.table(checks.header, checks.rows);
        out.say(
            tr("With norm.weight 1 and norm.bias 0 every row ends with mean 0 and variance "
               "var/(var + 1e-5), a hair under 1: the next layer sees rows of the same scale "
               "whatever happened before."));
    }

    if (!c.grad_output.empty()) {
        out.heading(tr("Backward"));
        block.zero_grad();
        const arma::mat grad_input = block.backward(grad_output);
        out.say(
            tr("With dL/d(output) from --grad-output, back through the norm, the residual and "
               "the FFN to dL/dX."));
        out.tensor("grad_input", grad_input, {tokens, {}}, "dL/dX");
        cli::finish_grad_output(out, c, params);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
