// Lesson 13 — positions: where a token is.
//
// Self-attention alone cannot see order: shuffle the tokens and the outputs shuffle the
// same way (measured). Five answers side by side — none, sinusoidal, learned, RoPE,
// ALiBi — with the facts that make each work (a rotation, a dot product that depends on
// m − n only, a distance penalty), then the same small encoder trained with each on
// reversing digit strings of lengths ≤ 12, and tested on held-out strings up to 24 long.
//
//   build/lessons/13_positions --pe alibi --digits 12345678901234567
//   build/lessons/13_positions --train --save-dir my_models
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "course/lesson_13.hpp"
#include "io/files.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/alibi.hpp"

namespace {

using namespace tfm;
using namespace tfm::course;

struct Settings {
    cli::Common common;
    PositionKind pe = PositionKind::rope;
    std::string digits;
    bool train = false;
    PositionTraining training;
    std::string save_dir;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("13_positions", tr("Lesson 13: positions — none, sinusoidal, learned, "
                                            "RoPE, ALiBi; which learns and which extrapolates"));
    const cli::Common defaults;
    cli::add_common(options, 0, defaults);
    auto add = options.add_options(tr("Lesson 13"));
    add("pe", tr("the encoding of the last section: {1}", position_kind_names()),
        cli::value<std::string>()->default_value("rope"), "KIND");
    add("digits", tr("a string of 1 to 24 digits for the models to reverse"),
        cli::value<std::string>()->default_value("31415926535897932384"), "DIGITS");
    add("train", tr("train the five models here (about a minute each), then use them"));
    add("steps", tr("training steps per model (with --train)"),
        cli::value<long>()->default_value("3000")->range(1, 20000), "N");
    add("save-dir", tr("with --train: write the five checkpoints into DIR"),
        cli::value<std::string>()->default_value(""), "DIR");
    options.examples({"build/lessons/13_positions --pe alibi --digits 12345678901234567",
                      "build/lessons/13_positions --train --save-dir my_models"},
                     "docs/13-positions.md");
    const cli::ParseResult r = cli::parse(options, argc, argv);
    Settings s;
    s.common = cli::read_common(r, 0, defaults);
    s.pe = position_kind(r["pe"].as<std::string>());
    s.digits = r["digits"].as<std::string>();
    reverse_example(s.digits);  // digits only
    require(!s.digits.empty() && s.digits.size() <= kTestMaxLength,
            tr("--digits has {1} digits; give 1 to {2}", s.digits.size(), kTestMaxLength));
    s.train = r.count("train") > 0;
    s.training.steps = cli::size_of(r, "steps");
    s.training.seed = s.common.seed;
    s.save_dir = r["save-dir"].as<std::string>();
    require(r.count("save-dir") == 0 || s.train,
            tr("--save-dir writes what --train trains: give both"));
    if (r.count("save-dir") > 0) s.save_dir = cli::make_folder("--save-dir", s.save_dir);
    return s;
}

void show(Printer& out, const TextTable& t) { out.table(t.header, t.rows); }

std::vector<std::unique_ptr<PositionModel>> get_models(const Settings& s, const HeldOut& held_out,
                                                       Printer& out) {
    std::vector<std::unique_ptr<PositionModel>> models;
    if (!s.train) {
        for (PositionKind kind : position_kinds())
            models.push_back(load_position_model(data_path(checkpoint_name(kind)), kind));
        return models;
    }
    out.heading(tr("Training: the same encoder five times, one encoding each"));
    std::fflush(stdout);
    std::vector<std::string> times;
    for (PositionKind kind : position_kinds()) {
        PositionModelConfig config;
        config.kind = kind;
        models.push_back(std::make_unique<PositionModel>(config));
        draw_params(models.back()->params(), s.common.seed);
        const PositionTrainReport r = train_reverse(*models.back(), held_out, s.training, stderr);
        times.push_back(to_string(kind) + " " + printf_number(r.seconds, "%.0f") + " s");
        if (!s.save_dir.empty())
            save_position_model(s.save_dir + "/" + checkpoint_name(kind), *models.back(),
                                s.training);
    }
    if (s.save_dir.empty())
        out.say(tr("{1} steps of {2} strings each: {3}.", s.training.steps, s.training.batch,
                   join_labels(times)));
    else
        out.say(tr("{1} steps of {2} strings each: {3}. Wrote the checkpoints into {4}.",
                   s.training.steps, s.training.batch, join_labels(times), s.save_dir));
    return models;
}

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer out(s.common.print);
    const HeldOut held_out = held_out_strings(kHeldOutSeed, kHeldOutPerLength);
    std::vector<std::unique_ptr<PositionModel>> models = get_models(s, held_out, out);
    PositionModel& chosen = *models[static_cast<std::size_t>(s.pe)];

    out.heading(tr("1. Without positions, attention cannot see order"));
    out.say(
        tr("Five copies of one small encoder (d_model 32, 4 heads, 2 pre-LN layers, {1} "
           "parameters, and the learned table's {2}) were trained to reverse digit strings, "
           "one per encoding. Feed each the tokens of <bos> {3} <eos> in a random order, "
           "five times: without positions the output rows come out in the same shuffled "
           "order, identical, so the model gives a digit the same vector wherever it "
           "stands.",
           format_count(count_params(models[0]->params())),
           models[2]->positions.table.weight.n_elem, s.digits));
    TextTable gaps{{tr("encoding"), "max |f(P·x) − P·f(x)|"}, {}};
    for (auto& m : models)
        gaps.rows.push_back({to_string(m->config.kind),
                             format_diff(equivariance_gap(*m, s.digits, 5, s.common.seed))});
    show(out, gaps);

    out.heading(tr("2. Sinusoidal: k places further on is a fixed rotation"));
    out.say(
        tr("Each pair (sin a, cos a) of PE moves to (sin(a+b), cos(a+b)) with b = k / "
           "10000^(2i/d): a 2 × 2 rotation that does not depend on pos. So PE[pos + 1] = "
           "PE[pos] · M_1 for every pos (d_model 8 here):"));
    out.tensor("M_1", sinusoidal_shift(1, 8), {}, "PE[pos + 1] = PE[pos] · M_1",
               Shade::signed_values);
    out.say(
        tr("Its residual over positions 0 … 99 at the model's d_model 32: k = 1: {1}, "
           "k = 7: {2} (rounding).",
           format_diff(sinusoidal_shift_residual(1, 32, 100)),
           format_diff(sinusoidal_shift_residual(7, 32, 100))));

    out.heading(tr("3. RoPE: rotate q and k, and q_m · k_n depends on m − n alone"));
    const arma::uword d_k = chosen.encoder.layers.front().self_attn.d_k;
    const arma::rowvec q = arma::randn<arma::rowvec>(d_k), k = arma::randn<arma::rowvec>(d_k);
    const arma::mat dots = rope_dot_products(q, k, 8, RopeLayout::interleaved);
    out.tensor("D", dots, {}, tr("D(m, n) = R_m q · R_n k, one random q and k (d_k {1})", d_k),
               Shade::signed_values);
    out.say(
        tr("Constant along each diagonal: the largest departure is {1}. Two layouts pair "
           "the columns differently: interleaved (2i, 2i+1), half-split (i, i + d_k/2). "
           "They are the same model once the rows of wq and wk of every head are "
           "permuted: half-split row r = interleaved row {2}.",
           format_diff(diagonal_deviation(dots)), join_labels([&] {
               std::vector<std::string> p;
               for (arma::uword i : rope_layout_permutation(d_k)) p.push_back(std::to_string(i));
               return p;
           }())));
    const LayoutGaps gaps_rope =
        layout_gaps(*models[static_cast<std::size_t>(PositionKind::rope)], s.digits);
    out.say(
        tr("On the trained RoPE model's logits: max |half-split − interleaved| = {1} with "
           "the rows permuted, {2} without (the gibberish of weights moved between "
           "codebases).",
           format_diff(gaps_rope.permuted), format_diff(gaps_rope.unpermuted)));

    out.heading(tr("4. ALiBi: no position vectors, a distance penalty per head"));
    out.vector("slopes", alibi_slopes(4), {}, "m_j = 2^(−8(j+1)/h), h = 4");
    out.tensor("alibi.head0", alibi_bias(6, 6, alibi_slopes(4)(0)), {},
               tr("added to head 0's scores: −m_0 · |i − t|"), Shade::signed_values);
    out.say(
        tr("Far keys count less, by a fixed amount per step, at any length. In an encoder "
           "the penalty says how far, not on which side: only <bos> and <eos> tell the "
           "sides apart."));

    out.heading(tr("5. Which one learns, and which one extrapolates"));
    const std::vector<AccuracyRow> rows = accuracy_rows(models, held_out);
    out.say(
        tr("Trained on lengths 1–12; tested on held-out strings of every length 1–24 ({1} "
           "per length, fewer for the shortest). Digits right, and whole strings right:",
           kHeldOutPerLength));
    show(out, accuracy_table(rows));
    out.say(accuracy_sentence(rows));

    out.heading(tr("6. Your string, reversed with --pe {1}", to_string(s.pe)));
    const std::string head = s.digits.substr(0, std::min<std::size_t>(s.digits.size(), 10));
    for (const std::string& d : {head, s.digits}) {
        const std::string got = reverse_with(chosen, d), want(d.rbegin(), d.rend());
        if (got == want)
            out.line("  " + tr("{1} → {2}  right", d, got));
        else
            out.line("  " + tr("{1} → {2}  (reversed: {3})", d, got, want));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
