// Lesson 10 — decoding: greedy, sampling, beam search and the KV cache.
//
// A trained model gives a distribution over the next token; a decoder decides what to do
// with it. Greedy takes the arg-max and cannot go back; beam search keeps the N most
// likely prefixes; sampling draws from the softmax, reshaped by temperature, top-k and
// top-p. The KV cache makes each new token cost O(n) instead of O(n²), with the same logits.
//
//   build/lessons/10_decoding
//   build/lessons/10_decoding --text "3/4/2021" --beam 8 --temperature 0.7 --top-p 0.9
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "course/lesson_10.hpp"
#include "io/files.hpp"
#include "text/tokenizer.hpp"
#include "train/checkpoint.hpp"

#include <sstream>

namespace {

using namespace tfm;

struct Settings {
    cli::Common common;
    std::vector<std::string> inputs;
    BeamOptions beam;
    SamplingOptions sampling;
    bool own_sampling = false;  // --temperature, --top-k or --top-p given
    arma::uword samples = 1000, max_len = 0;
    bool use_cache = true, timing = true, all_answers = false;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("10_decoding",
                         tr("Lesson 10: greedy, sampling, beam search, the KV cache"));
    cli::Common defaults;
    defaults.text = "25 November 2026";
    cli::add_common(options, cli::text | cli::weights, defaults);
    auto add = options.add_options(tr("decoding"));
    add("text-file", tr("a file of inputs, one per line (instead of --text)"),
        cli::value<std::string>(), "FILE");
    add("beam", tr("beam width N"), cli::value<long>()->default_value("4")->range(1, 64), "N");
    add("alpha", tr("length normalisation: score = ln P / ((5 + |y|) / 6)^alpha"),
        cli::value<double>()->default_value("0.6"), "A");
    add("temperature", tr("your sampling setting: T ≥ 0 (0: greedy)"),
        cli::value<double>()->default_value("1"), "T");
    add("top-k", tr("keep the K most likely tokens (0: all)"),
        cli::value<long>()->default_value("0")->range(0, 100000), "K");
    add("top-p", tr("keep the smallest set of mass ≥ P, in (0, 1]"),
        cli::value<double>()->default_value("1"), "P");
    add("samples", tr("answers drawn per sampling setting"),
        cli::value<long>()->default_value("1000")->range(1, 2000), "N");
    add("max-len", tr("new tokens at most (0: the task's longest answer + 1)"),
        cli::value<long>()->default_value("0")->range(0, 1000), "N");
    add("all-answers", tr("list every distinct sampled answer of each setting with its count"));
    add("no-cache", tr("decode sections 1 and 2 without the KV cache (same answers, slower)"));
    add("timing", tr("time the cost table (--timing=false: counts only)"),
        cli::value<bool>()->default_value("true"));
    options.examples({"build/lessons/10_decoding --text \"3/4/2021\" --beam 8",
                      "build/lessons/10_decoding --temperature 0.7 --top-p 0.9 --samples 200"},
                     "docs/10-decoding.md");
    const cli::ParseResult r = cli::parse(options, argc, argv);
    Settings s;
    s.common = cli::read_common(r, cli::text | cli::weights, defaults);
    s.beam.beam = cli::size_of(r, "beam");
    s.beam.alpha = r["alpha"].as<double>();
    require(s.beam.alpha >= 0, tr("--alpha must be ≥ 0, got {1}", std::to_string(s.beam.alpha)));
    s.sampling.temperature = r["temperature"].as<double>();
    s.sampling.top_k = cli::size_of(r, "top-k");
    s.sampling.top_p = r["top-p"].as<double>();
    s.own_sampling = r.count("temperature") || r.count("top-k") || r.count("top-p");
    s.samples = cli::size_of(r, "samples");
    s.max_len = cli::size_of(r, "max-len");
    s.use_cache = !r.count("no-cache");
    s.all_answers = r.count("all-answers") > 0;
    s.timing = r["timing"].as<bool>();
    if (r.count("text-file")) {
        const std::string path = r["text-file"].as<std::string>(), bytes = read_file_bytes(path);
        require_utf8("--text-file " + path, bytes);
        std::istringstream lines(bytes);
        for (std::string line; std::getline(lines, line);)
            if (!line.empty()) s.inputs.push_back(line);
        require(!s.inputs.empty(), tr("--text-file: {1} is empty", path));
    } else if (r.count("text")) {
        s.inputs = {s.common.text};
    } else {  // a date in a trained format, and trained formats written without their 0s
        s.inputs = {defaults.text, "3/4/2021", "7.5.1999"};
    }
    return s;
}

void show(Printer& out, const TextTable& t) { out.table(t.header, t.rows); }

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer out(s.common.print);
    course::ModelRequest request;
    request.task = "dates";
    request.weights = s.common.weights;
    course::LessonModel m = course::load_lesson_model(request);
    s.sampling.validate(m.vocab.size());
    DecodeOptions options;
    options.max_len = s.max_len ? s.max_len : m.task.max_target_len() + 1;
    options.use_cache = s.use_cache;
    out.heading(tr("The model (lesson 09's)"));
    show(out, course::model_table(m, false));
    if (m.weights.empty()) out.say(tr("No trained weights found: the model is RANDOM."));

    out.heading(tr("1. Greedy against beam search (N = {1})", s.beam.beam));
    out.say(
        tr("Each hypothesis' ln P is the sum of its tokens' ln p; the n-best list is ranked by "
           "score = ln P / ((5 + |y|)/6)^{1} (GNMT's length normalisation, |y| counting <eos>).",
           printf_number(s.beam.alpha, "%g")));
    std::vector<course::DecoderComparison> runs;
    for (const std::string& input : s.inputs) {
        runs.push_back(course::compare_decoders(m, input, s.beam, options));
        out.say(tr("\"{1}\": {2}", input, course::comparison_sentence(m.vocab, runs.back())));
        show(out, course::n_best_table(m.vocab, runs.back()));
        if (runs.size() == 1) out.say(course::lesson_09_sentence(m, input, options));
    }
    // The first input greedy gets wrong (or the first one) is followed in detail.
    std::size_t focus = 0;
    for (std::size_t i = 0; i < runs.size(); ++i)
        if (!runs[i].expected.empty() &&
            course::answer_text(m.vocab, runs[i].greedy.tokens) != runs[i].expected) {
            focus = i;
            break;
        }
    const course::DecoderComparison& f = runs[focus];
    out.say(
        tr("What the beam kept at each step for \"{1}\" (prefix, ln P; ✓ = wrote <eos> and "
           "left the beam):",
           f.input));
    // Four places to a table: eight would run past the screen's 100 columns.
    for (std::size_t first = 0; first < course::beam_places(f.beam); first += 4)
        show(out, course::beam_steps_table(m.vocab, f.beam, first, 4));
    out.dump("nbest", course::n_best_matrix(f.beam));  // [N × 2]: ln P, score
    out.dump("output", course::n_best_matrix(f.beam));

    out.heading(tr("2. Sampling {1} answers for \"{2}\"", s.samples, f.input));
    const Encoded encoded = m.model.encode(m.task.from_source(f.input).src);
    std::vector<course::SamplingSetting> settings = course::default_sampling_settings();
    if (s.own_sampling)
        settings.push_back({tr("{1} (yours)", course::setting_name(s.sampling)), s.sampling});
    std::vector<course::SamplingSummary> rows;
    const std::size_t step = course::most_uncertain_step(m, encoded, f.greedy, options);
    for (const course::SamplingSetting& setting : settings)
        rows.push_back(course::summarise_samples(m, encoded, setting, s.samples, s.common.seed,
                                                 options, f.expected, f.greedy, step));
    out.say(
        tr("H(1st), H({1}): entropy in nats of the first token's distribution after the "
           "filter, and of token {1}'s on greedy's path, where the model is least sure.",
           step + 1));
    show(out, course::sampling_table(rows, step));
    arma::mat first(rows.size(), m.vocab.size());  // each setting's first-token distribution
    for (std::size_t i = 0; i < rows.size(); ++i) first.row(i) = rows[i].first_distribution;
    out.dump("first_token_probs", first);
    out.say(course::sampling_sentence(rows, step));
    for (const course::SamplingSummary& row : rows)
        if (s.all_answers) {
            out.say(tr("Every answer drawn under {1}:", row.setting));
            show(out, course::answer_counts_table(row));
        }

    out.heading(tr("3. The KV cache, step by step (\"{1}\", greedy)", f.input));
    out.say(
        tr("Greedy decoding again, one token per step through the cache: after each step, the "
           "K and V each decoder layer keeps, and the multiply-adds of the step with the cache "
           "and without it (the whole prefix again)."));
    show(out, course::cache_growth_table(m.model, encoded, m.vocab, f.greedy));
    out.say(course::cache_sentence(m.model, encoded, options));
    const std::vector<course::StepCostRow> costs =
        course::measure_step_costs(m.config, {16, 64, 256, 1024}, encoded.memory.n_rows, s.timing);
    out.say(
        tr("The cost of the n-th new token on a random model of the same sizes (the same "
           "{1}-token source), for long outputs:",
           encoded.memory.n_rows));
    show(out, course::step_cost_table(costs, s.timing));
    out.say(course::cost_sentence(costs, s.timing));
    if (out.draws())  // every n from 1 to 1024, as a picture: linear against quadratic
        out.plot("step_cost", course::step_cost_series(m.config, encoded.memory.n_rows, 1024),
                 course::step_cost_plot());
    if (!s.common.save_weights.empty()) {
        save_checkpoint(s.common.save_weights, m.model, m.vocab, m.task.name());
        out.say(tr("Wrote {1}.", s.common.save_weights));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
