// Lesson 04 — Multi-head attention.
//
// Instead of one attention over d_model columns, h heads each attend over their own
// d_k = d_model / h columns of Q, K and V, with their own weights; their outputs are
// concatenated and mixed by Wo. One big projection split into h blocks is the same as h
// small projections, and the cost table shows when more heads cost more — and when not.
//
//   build/lessons/04_multi_head --d-model 8 --heads 2 --mask none
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "course/lesson_04.hpp"
#include "io/printer.hpp"
#include "nn/linear.hpp"
#include "nn/multi_head_attention.hpp"
#include "ops/mask.hpp"

#include <algorithm>

namespace {

using namespace tfm;
constexpr unsigned kFeatures =
    cli::sizes | cli::heads | cli::mask | cli::text | cli::input | cli::weights | cli::grad_output;

struct Settings {
    cli::Common common;
    arma::uword cost_d_model = 512;  // the cost table's sizes (the 2017 paper's base model)
    arma::uword cost_seq_len = 128;
    arma::uword cost_d_k = 64;
    bool all_heads = false;  // print every head in full, not head 0 and a summary
};

Settings read_settings(int argc, char** argv) {
    cli::Options options(
        "04_multi_head",
        tr("Lesson 04: h heads, concat, Wo; one big projection = h small ones; cost"));
    const cli::Common defaults;
    cli::add_common(options, kFeatures, defaults);
    options.add_options()("cost-d-model", tr("d_model of the cost table"),
                          cli::value<long>()->default_value("512")->range(16, 65536),
                          "N")("cost-seq-len", tr("sequence length of the cost table"),
                               cli::value<long>()->default_value("128")->range(1, 1000000),
                               "N")("cost-d-k", tr("head width of the cost table's fixed-d_k half"),
                                    cli::value<long>()->default_value("64")->range(1, 65536), "N")(
        "all-heads", tr("print every head's Q, K, V, weights and output, not only head 0's"),
        cli::value<bool>()->default_value("false"));
    const cli::ParseResult result = cli::parse(options, argc, argv);
    Settings s{cli::read_common(result, kFeatures, defaults)};
    s.cost_d_model = cli::size_of(result, "cost-d-model");
    require(s.cost_d_model % 16 == 0,
            tr("--cost-d-model must be divisible by 16 (the table goes up to 16 heads; got {1})",
               s.cost_d_model));
    s.cost_seq_len = cli::size_of(result, "cost-seq-len");
    s.cost_d_k = cli::size_of(result, "cost-d-k");
    s.all_heads = result["all-heads"].as<bool>();
    return s;
}

int lesson(int argc, char** argv) {
    const Settings settings = read_settings(argc, argv);
    const cli::Common& c = settings.common;
    Printer out(c.print);

    MultiHeadAttention mha(c.d_model, c.num_heads);
    ParamList params;
    mha.params("", params);
    draw_params(params, c.seed, cli::course::encoder_self_attention());
    cli::apply_weight_files(c, params, "04_multi_head", kFeatures);

    const cli::LessonInput in = cli::lesson_input(c);
    const std::vector<std::string>& tokens = in.labels;
    const arma::uword n = in.x.n_rows, h = mha.num_heads, d_k = mha.d_k;
    const arma::mat grad_output = cli::read_grad_output(c, n);

    const Mask mask = make_mask(c.mask, n, n, in.is_pad);
    const arma::mat output = mha.forward(in.x, in.x, mask);

    // Lesson 03's Q, K, V, recomputed with its own Linear layers drawn by the same names.
    Linear wq(c.d_model, c.d_model), wk(c.d_model, c.d_model), wv(c.d_model, c.d_model);
    ParamList lesson03;
    wq.params("wq.", lesson03);
    wk.params("wk.", lesson03);
    wv.params("wv.", lesson03);
    draw_params(lesson03, c.seed, cli::course::encoder_self_attention());
    const double from_03 =
        std::max({max_abs_diff(mha.q_, wq.forward(in.x)), max_abs_diff(mha.k_, wk.forward(in.x)),
                  max_abs_diff(mha.v_, wv.forward(in.x))});
    out.heading(tr("1. One projection, then split into heads"));
    out.say(c.weights.empty()
                ? tr("Article §4: instead of one attention, h = {1} heads each attend in their own "
                     "subspace, so one head can follow, say, the main content and another the "
                     "background. Q = X·Wqᵀ + bq is computed once, {2}; head j takes its own d_k = "
                     "d_model / h = {3} columns (j·d_k … (j+1)·d_k − 1), and the same for K and "
                     "V. X, Q, K and V are lesson 03's (max |difference| to lesson 03's Q, K, V: "
                     "{4}), so they are not printed again: here the Q of lesson 03 is split into "
                     "{1} heads of width {3}.",
                     h, cli::shape_of(mha.q_), d_k, cli::format_diff(from_03))
                : tr("Article §4: instead of one attention, h = {1} heads each attend in their own "
                     "subspace, so one head can follow, say, the main content and another the "
                     "background. Q = X·Wqᵀ + bq is computed once, {2}; head j takes its own d_k = "
                     "d_model / h = {3} columns (j·d_k … (j+1)·d_k − 1), and the same for K and "
                     "V. Q, K and V come from the weights in --weights {4}.",
                     h, cli::shape_of(mha.q_), d_k, c.weights));
    out.dump("X", in.x);
    if (!c.weights.empty() || c.print.quiet) {
        out.tensor("Q", mha.q_, {tokens, {}}, tr("all heads side by side"));
        out.tensor("K", mha.k_, {tokens, {}});
        out.tensor("V", mha.v_, {tokens, {}});
    } else {
        out.dump("Q", mha.q_);
        out.dump("K", mha.k_);
        out.dump("V", mha.v_);
    }

    out.heading(tr("2. Each head is lesson 03's attention on its own columns"));
    out.say(
        tr("Every head has its own scores and its own weights (the mask, --mask {1}, is the "
           "same for all): the same tokens, seen through different projections, attend "
           "differently.",
           c.mask));
    for (arma::uword j = 0; j < h; ++j) {
        const std::string head = "head" + std::to_string(j);
        if (j > 0 && !settings.all_heads) {
            out.tensor(head + ".weights", mha.heads_[j].weights, {tokens, tokens},
                       tr("head {1} attends differently", j), Shade::weights);
            out.dump(head + ".Q", course::head_block(mha.q_, j, h));
            out.dump(head + ".K", course::head_block(mha.k_, j, h));
            out.dump(head + ".V", course::head_block(mha.v_, j, h));
            out.dump(head + ".output", mha.heads_[j].output);
            continue;
        }
        const arma::uword first = j * d_k, last = (j + 1) * d_k - 1;
        out.tensor(head + ".Q", course::head_block(mha.q_, j, h), {tokens, {}},
                   tr("columns {1}–{2} of {3}", first, last, "Q"));
        out.tensor(head + ".K", course::head_block(mha.k_, j, h), {tokens, {}},
                   tr("columns {1}–{2} of {3}", first, last, "K"));
        out.tensor(head + ".V", course::head_block(mha.v_, j, h), {tokens, {}},
                   tr("columns {1}–{2} of {3}", first, last, "V"));
        out.tensor(head + ".weights", mha.heads_[j].weights, {tokens, tokens},
                   tr("softmax(Q_j·K_jᵀ / √d_k), rows sum to 1"), Shade::weights);
        out.tensor(head + ".output", mha.heads_[j].output, {tokens, {}}, "weights · V_j");
    }

    if (h > 1 && !settings.all_heads)
        out.say(h == 2 ? tr("Head 1: weights only; --all-heads prints every head in full.")
                       : tr("Heads 1 … {1}: weights only; --all-heads prints every head in full.",
                            h - 1));

    out.heading(tr("3. Concatenate, then mix with Wo"));
    out.say(
        tr("The heads' outputs, each {1}, are put side by side in head order → concat {2}. "
           "Wo, [d_model × d_model], lets every output column draw on every head.",
           cli::shape_of(mha.heads_[0].output), cli::shape_of(mha.concat_)));
    out.tensor("concat", mha.concat_, {tokens, {}}, "[head0.output | head1.output | …]");
    out.tensor("wo.weight", mha.wo.weight, {}, tr("[out × in]"));
    out.vector("wo.bias", mha.wo.bias);
    out.tensor("output", output, {tokens, {}}, "concat · wo.weightᵀ + wo.bias");

    out.heading(tr("4. One big projection = h small ones"));
    out.say(
        tr("Head j's block of Q could come from its own [d_k × d_model] matrix — rows j·d_k … "
           "of wq.weight — applied to X. Computing all heads in one product is the same "
           "arithmetic, done at once:"));
    const TextTable split = course::head_split_table(mha, in.x);
    out.table(split.header, split.rows);

    out.heading(tr("5. Does cost grow with the number of heads?"));
    out.say(
        tr("Article §4 says more heads means linearly more computation. Count the multiply-adds "
           "of each product from its shapes (an [r × m]·[m × c] product costs r·m·c), for n = {1} "
           "tokens and d_model = {2} (the 2017 base model). First the standard design, d_k = "
           "d_model / h:",
           settings.cost_seq_len, settings.cost_d_model));
    const TextTable flat = course::head_cost_table(settings.cost_seq_len, settings.cost_d_model, 0);
    out.table(flat.header, flat.rows);
    out.say(
        tr("The multiply-adds do not move (narrower heads: h · d_k stays d_model); what grows is "
           "the last column, h·n² weights, each a softmax evaluation to store. Now keep every "
           "head {1} wide, so adding heads widens Q, K and V:",
           settings.cost_d_k));
    const TextTable fixed =
        course::head_cost_table(settings.cost_seq_len, settings.cost_d_model, settings.cost_d_k);
    out.table(fixed.header, fixed.rows);
    out.say(
        tr("Only then do the multiply-adds grow like h: the article's claim holds at a fixed "
           "head width, not in the Transformer as published (d_k = d_model / h)."));

    if (!c.grad_output.empty()) {
        out.heading(tr("6. Backward"));
        mha.zero_grad();
        const MultiHeadAttention::Grads grads = mha.backward(grad_output);
        out.say(
            tr("With dL/d(output) from --grad-output: in self-attention X feeds Q, K and V, so "
               "dL/dX adds the gradient through the query path and the key/value path."));
        out.tensor("grad_input", grads.dquery_in + grads.dkv_in, {tokens, {}}, "dL/dX");
        cli::finish_grad_output(out, c, params);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
