// Lesson 03 — Scaled dot-product attention.
//
// Every query is compared with every key (scores = Q·Kᵀ), the scores are divided by √d_k,
// a mask can block some pairs (−∞ before softmax), and a row-wise softmax turns each
// row into weights that sum to 1. Each token's output is the weighted average of the
// values: output = weights·V. The lesson also measures why the √d_k is there.
//
//   build/lessons/03_attention --text "the cat sat on the mat" --mask causal
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/budget.hpp"
#include "core/i18n.hpp"
#include "course/lesson_03.hpp"
#include "io/printer.hpp"
#include "nn/linear.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"

#include <cmath>

namespace {

using namespace tfm;
constexpr unsigned kFeatures = cli::sizes | cli::mask | cli::text | cli::input | cli::weights;

struct Settings {
    cli::Common common;
    arma::uword trials = 2000;  // random queries per d_k in the √d_k measurement
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("03_attention",
                         tr("Lesson 03: scores = Q·Kᵀ / √d_k, masks, softmax, weights·V"));
    const cli::Common defaults;
    cli::add_common(options, kFeatures, defaults);
    options.add_options()("trials", tr("random queries per d_k when measuring why √d_k"),
                          cli::value<long>()->default_value("2000")->range(1, 20000), "N");
    const cli::ParseResult result = cli::parse(options, argc, argv);
    Settings s{cli::read_common(result, kFeatures, defaults)};
    s.trials = cli::size_of(result, "trials");
    return s;
}

std::string fmt(double x) { return format_number(x, 4); }

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
    cli::apply_weight_files(c, params, "03_attention", kFeatures);

    const bool padding = c.mask == "padding";
    const cli::LessonInput in = cli::lesson_input(c);
    const std::vector<std::string>& tokens = in.labels;
    const arma::uword n = in.x.n_rows, d_k = c.d_model;
    require_work(tr("--trials {1} over {2} keys", std::to_string(settings.trials), n),
                 course::score_scaling_work(settings.trials, n, d_k));

    out.heading(tr("1. Q, K, V"));
    out.say(
        tr("Lesson 02's Q, K and V: the same X, the same wq, wk, wv (the encoder's layer-0 "
           "self-attention, drawn by name), so the same numbers. Q = X·Wqᵀ + bq, K = X·Wkᵀ + bk, "
           "V = X·Wvᵀ + bv, each {1}. With one head, d_k = d_model = {2}.",
           cli::shape_of(in.x), d_k));
    out.say(cli::unknown_note(in.unknown, n));
    if (padding)
        out.say(
            in.from_file
                ? tr("--mask padding: the last {1} rows of --input are treated as padding.", c.pad)
                : tr("--mask padding: the sentence is padded with {1} <pad> tokens, as a "
                     "batch pads its shorter sentences to the longest one.",
                     c.pad));
    const arma::mat q = wq.forward(in.x), k = wk.forward(in.x), v = wv.forward(in.x);
    out.dump("X", in.x);  // lesson 02's X, not printed again
    out.tensor("Q", q, {tokens, {}}, tr("queries"), Shade::signed_values);
    out.tensor("K", k, {tokens, {}}, tr("keys"), Shade::signed_values);
    out.tensor("V", v, {tokens, {}}, tr("values"), Shade::signed_values);

    const Mask mask = make_mask(c.mask, n, n, in.is_pad);
    const AttentionResult att = scaled_dot_product_attention(q, k, v, mask);

    out.heading(tr("2. Scores: every query against every key"));
    out.say(
        tr("Article §3.3, step two: scores = Q·Kᵀ, {1} · {2} → {3}. Entry (i, j) is the dot "
           "product of token i's query with token j's key: how well j matches what i looks "
           "for. Rows are queries, columns are keys.",
           cli::shape_of(q), cli::shape_of(k.t()), cli::shape_of(att.scores)));
    out.tensor("scores", att.scores, {tokens, tokens}, "Q·Kᵀ", Shade::signed_values);

    out.heading(tr("3. The mask, then the scaled scores it applies to"));
    const arma::mat mask_shown =
        mask.is_empty() ? arma::mat(n, n, arma::fill::zeros) : arma::conv_to<arma::mat>::from(mask);
    if (c.mask == "none")
        out.say(
            tr("--mask none: every query may look at every key (the encoder's self-attention)."));
    else if (c.mask == "causal")
        out.say(
            tr("--mask causal: token i may look at itself and the tokens before it, never at "
               "later ones (the decoder's self-attention, which must not peek at the words it has "
               "yet to produce). The mask blocks everything above the diagonal."));
    else
        out.say(
            tr("--mask padding: every query is blocked from the <pad> keys, which are there only "
               "to fill the batch. The <pad> rows still get an output of their own, which later "
               "layers ignore."));
    out.integers("mask", mask_shown, {tokens, tokens},
                 tr("1 = blocked (score becomes −inf), 0 = kept"), Shade::weights);
    const TextTable kept = course::kept_and_blocked_table(mask, tokens);
    out.table(kept.header, kept.rows);
    out.say(tr("scaled = scores / √d_k = scores / {1}, with −inf wherever the mask above has a 1.",
               fmt(std::sqrt(static_cast<double>(d_k)))));
    out.tensor("scaled", att.scaled, {tokens, tokens}, tr("scores / √d_k, −inf where blocked"),
               Shade::signed_values);

    out.heading(tr("4. Softmax: each row becomes weights"));
    out.say(
        tr("weights = softmax over each row of scaled: exp(s − row max) / Σ exp(…). −inf becomes "
           "weight 0; every row sums to 1, so each token's output is an average of values."));
    out.tensor("weights", att.weights, {tokens, tokens}, tr("rows sum to 1"), Shade::weights);
    const arma::colvec row_sums = arma::sum(att.weights, 1);
    out.vector("weights_row_sums", row_sums.t(), tokens, "Σ_j weights[i, j]");
    const double spread = finite_variance(att.scaled), peak = mean_row_max(att.weights);
    out.table({tr("on this screen"), tr("value")},
              {{tr("var(scaled), the kept entries"), fmt(spread)},
               {tr("mean largest weight per row"), fmt(peak)},
               {tr("uniform rows would give"), fmt(1.0 / static_cast<double>(n))}});
    out.say(peak > 0.9
                ? tr("These weights are saturated: almost every row puts nearly all its weight on "
                     "one key (the scores spread too widely, var {1}), so softmax passes almost "
                     "no gradient. Smaller inputs or the √d_k division soften it.",
                     fmt(spread))
                : tr("The softmax is soft: the scaled scores have variance {1}, of order 1 (not "
                     "d_k, as unscaled scores would; section 6), so each row shares its weight "
                     "among several keys.",
                     fmt(spread)));

    out.heading(tr("5. Output = weights · V"));
    out.say(
        tr("output = weights {1} · V {2} → {3}: row i mixes the values of the keys token i "
           "attends to, in those proportions. Each token's new row now carries context from "
           "the whole sentence (article §1: any word can connect to any other word directly).",
           cli::shape_of(att.weights), cli::shape_of(v), cli::shape_of(att.output)));
    out.tensor("output", att.output, {tokens, {}}, "weights · V");

    out.heading(tr("6. Why divide by √d_k? Measured"));
    out.say(
        tr("Draw random queries and keys with independent N(0, 1) entries, {1} queries with "
           "{2} keys each, and look at the scores with and without the division. A dot "
           "product of d_k such terms has variance d_k, and softmax of wide-spread scores "
           "gives almost all weight to one key (uniform weights would give a largest weight "
           "of 1/{2} = {3}).",
           std::to_string(settings.trials), n, fmt(1.0 / static_cast<double>(n))));
    std::vector<std::vector<std::string>> rows;
    std::vector<arma::uword> widths = {d_k};
    if (d_k != 64) widths.push_back(64);
    for (arma::uword width : widths) {
        const course::ScalingMeasurement m =
            course::measure_score_scaling(width, n, settings.trials);
        rows.push_back({std::to_string(width), fmt(m.raw.variance), fmt(m.scaled.variance),
                        fmt(m.raw.mean_max_weight), fmt(m.scaled.mean_max_weight)});
    }
    out.table({"d_k", "var(q·k)", "var(q·k/√d_k)", tr("mean max weight, unscaled"),
               tr("mean max weight, scaled")},
              rows);
    out.say(
        tr("Without the division the spread grows with d_k and softmax saturates: one weight near "
           "1, the rest near 0, and gradients through softmax nearly vanish. With it, the scores "
           "keep variance about 1 for any head width."));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
