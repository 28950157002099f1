#include "course/lesson_10.hpp"

#include "analysis/cost.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "core/shape.hpp"
#include "decode/step_cost.hpp"
#include "io/printer.hpp"
#include "ops/softmax.hpp"
#include "train/dates.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace tfm::course {

namespace {

std::string fixed(double x, int precision) { return format_number(x, precision); }
std::string bracket(arma::uword r, arma::uword c) { return "[" + shape_string(r, c) + "]"; }

// Two sentences, one after the other: a space after an English one, none after a sentence
// that ends in a full-width mark (a translation's 。).
std::string then(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return a + b;
    return a + (static_cast<unsigned char>(a.back()) < 0x80 ? " " : "") + b;
}

}  // namespace

namespace {

// The logits of step t (0-based) along greedy's path: the next token after <bos> and its
// first t tokens.
arma::rowvec step_logits(LessonModel& m, const Encoded& encoded, const Hypothesis& greedy,
                         std::size_t t, const DecodeOptions& options) {
    Prefixes p(m.model, encoded, 1, {0}, options.bos, options.use_cache, t + 1);
    for (std::size_t i = 0; i < t; ++i) {
        p.next_logits();
        p.append({greedy.tokens.at(i)});
    }
    return p.next_logits();
}

}  // namespace

std::string answer_text(const Vocab& vocab, const TokenIds& tokens) {
    TokenIds body;
    for (arma::uword t : tokens)
        if (t != Vocab::eos) body.push_back(t);
    return detokenize(vocab, body);
}

// ---- Readings of the inputs ------------------------------------------------------------

bool is_iso_date(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    const Date d{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)),
                 std::stoi(text.substr(8, 2))};
    return is_valid_date(d);
}

std::optional<IntendedDate> intended_date(const std::string& text) {
    if (const std::optional<TrainedDate> d = trained_date(text)) return IntendedDate{*d, false};
    // Every run of exactly one digit gets a leading 0.
    std::string padded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool digit = std::isdigit(static_cast<unsigned char>(text[i]));
        const bool before = i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]));
        const bool after =
            i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]));
        if (digit && !before && !after) padded += '0';
        padded += text[i];
    }
    if (padded == text) return std::nullopt;
    if (const std::optional<TrainedDate> d = trained_date(padded)) return IntendedDate{*d, true};
    return std::nullopt;
}

// ---- 1. Greedy against beam search -----------------------------------------------------

std::size_t DecoderComparison::expected_rank(const Vocab& vocab) const {
    for (std::size_t i = 0; i < beam.n_best.size(); ++i)
        if (beam.n_best[i].finished && answer_text(vocab, beam.n_best[i].tokens) == expected)
            return i + 1;
    return 0;
}

DecoderComparison compare_decoders(LessonModel& m, const std::string& input,
                                   const BeamOptions& beam, const DecodeOptions& options) {
    DecoderComparison c;
    c.input = input;
    if (const std::optional<IntendedDate> d = intended_date(input)) c.expected = d->date.iso;
    const Encoded encoded = m.model.encode(m.task.from_source(input).src);
    c.greedy = greedy_search(m.model, encoded, options);
    c.beam = beam_search(m.model, encoded, beam, options);
    if (c.expected.empty()) return c;
    TokenIds tokens = m.task.from_source(c.expected).src;  // the ISO text as target tokens
    tokens.push_back(Vocab::eos);
    for (double lp : rescore(m.model, m.task.from_source(input).src, tokens))
        c.expected_log_prob += lp;
    if (c.expected_rank(m.vocab) > 0) return c;
    for (arma::uword width = 2 * beam.beam; width <= 64; width *= 2) {
        BeamOptions wider = beam;
        wider.beam = width;
        DecoderComparison w = c;
        w.beam = beam_search(m.model, encoded, wider, options);
        if (const std::size_t rank = w.expected_rank(m.vocab)) {
            c.wider_beam = width;
            c.wider_rank = rank;
            break;
        }
    }
    return c;
}

std::string lesson_09_sentence(LessonModel& m, const std::string& input,
                               const DecodeOptions& options) {
    const Encoded encoded = m.model.encode(m.task.from_source(input).src);
    DecodeOptions cached = options;
    cached.use_cache = true;
    const Hypothesis greedy = greedy_search(m.model, encoded, cached);
    const Decoding d = decode_greedily(m.model, encoded, greedy.tokens.size());
    bool same = d.steps.size() == greedy.tokens.size();
    double worst = 0.0;
    for (std::size_t i = 0; same && i < d.steps.size(); ++i) {
        same = d.steps[i].token == greedy.tokens[i];
        worst = std::max(worst, std::abs(d.steps[i].probability - std::exp(greedy.log_probs[i])));
    }
    if (!same) return tr("Lesson 09's greedy decoder wrote other tokens here (a bug: report it).");
    return tr(
        "Lesson 09 decoded this input greedily without a cache; its decode_greedily writes "
        "the same {1} tokens as greedy through the cache (largest probability difference "
        "{2}).",
        greedy.tokens.size(), format_diff(worst));
}

arma::mat n_best_matrix(const BeamResult& beam) {
    arma::mat m(beam.n_best.size(), 2);
    for (std::size_t i = 0; i < beam.n_best.size(); ++i) {
        m(i, 0) = beam.n_best[i].log_prob;
        m(i, 1) = beam.n_best[i].score;
    }
    return m;
}

TextTable n_best_table(const Vocab& vocab, const DecoderComparison& c) {
    TextTable t{
        {tr("rank"), tr("answer"), tr("ISO date"), tr("intended"), "ln P", "P", tr("score")}, {}};
    for (std::size_t i = 0; i < c.beam.n_best.size(); ++i) {
        const Hypothesis& h = c.beam.n_best[i];
        const std::string text = answer_text(vocab, h.tokens) + (h.finished ? "" : " …");
        const std::string bare = answer_text(vocab, h.tokens);
        t.rows.push_back({std::to_string(i + 1), text, is_iso_date(bare) ? tr("yes") : tr("no"),
                          c.expected.empty() ? "?" : (bare == c.expected ? tr("yes") : tr("no")),
                          fixed(h.log_prob, 3), format_probability(std::exp(h.log_prob)),
                          fixed(h.score, 3)});
    }
    return t;
}

std::size_t beam_places(const BeamResult& beam) {
    std::size_t width = 0;
    for (const std::vector<BeamNode>& step : beam.steps) width = std::max(width, step.size());
    return width;
}

TextTable beam_steps_table(const Vocab& vocab, const BeamResult& beam, std::size_t first,
                           std::size_t count) {
    const std::size_t width = beam_places(beam);
    const std::size_t last = std::min(width, first + std::min(count, width));
    TextTable t{{tr("step")}, {}};
    for (std::size_t b = first; b < last; ++b) t.header.push_back(tr("kept {1}", b + 1));
    for (std::size_t s = 0; s < beam.steps.size(); ++s) {
        std::vector<std::string> row{std::to_string(s + 1)};
        for (std::size_t b = first; b < last && b < beam.steps[s].size(); ++b) {
            const BeamNode& node = beam.steps[s][b];
            row.push_back(answer_text(vocab, node.tokens) + (node.finished ? "✓" : "") + " (" +
                          fixed(node.log_prob, 2) + ")");
        }
        row.resize(last - std::min(first, last) + 1);
        t.rows.push_back(row);
    }
    return t;
}

std::string comparison_sentence(const Vocab& vocab, const DecoderComparison& c) {
    const std::string greedy = answer_text(vocab, c.greedy.tokens);
    const std::string p = format_probability(std::exp(c.greedy.log_prob));
    const bool iso = is_iso_date(greedy);
    if (c.expected.empty())
        return iso ? tr("Greedy wrote {1} (P = {2}, an ISO date); the input has no reading the "
                        "task knows.",
                        greedy, p)
                   : tr("Greedy wrote {1} (P = {2}, not an ISO date); the input has no reading "
                        "the task knows.",
                        greedy, p);
    std::string s;
    if (greedy == c.expected)
        s = iso ? tr("Greedy wrote {1} (P = {2}, an ISO date), the intended reading.", greedy, p)
                : tr("Greedy wrote {1} (P = {2}, not an ISO date), the intended reading.", greedy,
                     p);
    else
        s = iso ? tr("Greedy wrote {1} (P = {2}, an ISO date); the intended reading is {3}.",
                     greedy, p, c.expected)
                : tr("Greedy wrote {1} (P = {2}, not an ISO date); the intended reading is {3}.",
                     greedy, p, c.expected);
    const std::size_t rank = c.expected_rank(vocab);
    if (rank == 0) {
        s = then(s, tr("It is not among the beam's {1} hypotheses: a full forward pass gives it "
                       "P = {2}, below the last one's {3}.",
                       c.beam.n_best.size(), format_probability(std::exp(c.expected_log_prob)),
                       format_probability(std::exp(c.beam.n_best.back().log_prob))));
        if (c.wider_beam == 0) return then(s, tr("No beam up to 64 wide finds it."));
        return then(s, tr("A beam of {1} ranks it {2} of {1}.", c.wider_beam, c.wider_rank));
    }
    const Hypothesis& h = c.beam.n_best[rank - 1];
    const std::string p_h = format_probability(std::exp(h.log_prob));
    const std::size_t n = c.beam.n_best.size();
    if (greedy != c.expected && rank == 1)
        return then(s, tr("The beam ranks it {1} of {2} (P = {3}): beam search repairs greedy's "
                          "mistake.",
                          rank, n, p_h));
    if (greedy != c.expected)
        return then(s, tr("The beam ranks it {1} of {2} (P = {3}): found, but not preferred.", rank,
                          n, p_h));
    return then(s, tr("The beam ranks it {1} of {2} (P = {3}).", rank, n, p_h));
}

// ---- 2. Sampling, as numbers -------------------------------------------------------------

std::string setting_name(const SamplingOptions& o) {
    std::string name = "T " + printf_number(o.temperature, "%g");
    if (o.top_k > 0) name += ", top-k " + std::to_string(o.top_k);
    if (o.top_p < 1.0) name += ", top-p " + printf_number(o.top_p, "%g");
    return name;
}

std::vector<SamplingSetting> default_sampling_settings() {
    std::vector<SamplingSetting> out;
    const auto add = [&](double t, arma::uword k, double p) {
        SamplingOptions o;
        o.temperature = t;
        o.top_k = k;
        o.top_p = p;
        out.push_back({setting_name(o), o});
    };
    add(0.0, 0, 1.0);
    add(1.0, 1, 1.0);
    add(0.5, 0, 1.0);
    add(1.0, 0, 1.0);
    add(2.0, 0, 1.0);
    add(2.0, 3, 1.0);
    add(2.0, 0, 0.9);
    return out;
}

SamplingSummary summarise_samples(LessonModel& m, const Encoded& encoded,
                                  const SamplingSetting& setting, arma::uword samples,
                                  std::uint64_t seed, const DecodeOptions& options,
                                  const std::string& expected, const Hypothesis& greedy_path,
                                  std::size_t uncertain_step) {
    const std::string greedy = answer_text(m.vocab, greedy_path.tokens);
    SamplingSummary s;
    s.setting = setting.name;
    s.samples = samples;
    const std::vector<Hypothesis> answers =
        sample_answers(m.model, encoded, samples, setting.options, seed, options);
    std::map<std::string, arma::uword> counts;
    for (const Hypothesis& h : answers) {
        const std::string text = answer_text(m.vocab, h.tokens) + (h.finished ? "" : "…");
        ++counts[text];
        s.iso += is_iso_date(text);
        s.expected += !expected.empty() && text == expected;
        s.greedy += text == greedy;
    }
    s.distinct = counts.size();
    s.most_frequent.assign(counts.begin(), counts.end());
    std::stable_sort(s.most_frequent.begin(), s.most_frequent.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    const arma::rowvec first =
        Prefixes(m.model, encoded, 1, {0}, options.bos, options.use_cache).next_logits();
    s.first_distribution = sampling_distribution(first, setting.options);
    s.first_entropy = entropy(s.first_distribution);
    s.step_entropy = entropy(sampling_distribution(
        step_logits(m, encoded, greedy_path, uncertain_step, options), setting.options));
    return s;
}

std::size_t most_uncertain_step(LessonModel& m, const Encoded& encoded, const Hypothesis& greedy,
                                const DecodeOptions& options) {
    std::size_t best = 0;
    double highest = -1.0;
    for (std::size_t t = 0; t < greedy.tokens.size(); ++t) {
        const double h = entropy(softmax_rows(step_logits(m, encoded, greedy, t, options)));
        if (h > highest) {
            highest = h;
            best = t;
        }
    }
    return best;
}

TextTable sampling_table(const std::vector<SamplingSummary>& rows, std::size_t uncertain_step) {
    TextTable t{{tr("setting"), tr("H(1st)"), "H(" + std::to_string(uncertain_step + 1) + ")",
                 tr("distinct"), "ISO", tr("intended"), tr("greedy"), tr("most frequent ×count")},
                {}};
    const auto share = [](arma::uword k, arma::uword n) {
        return fixed(100.0 * static_cast<double>(k) / static_cast<double>(n), 1) + "%";
    };
    for (const SamplingSummary& s : rows) {
        std::string top;
        for (std::size_t i = 0; i < std::min<std::size_t>(2, s.most_frequent.size()); ++i)
            top += (i ? ", " : "") + s.most_frequent[i].first + " ×" +
                   std::to_string(s.most_frequent[i].second);
        t.rows.push_back({s.setting, fixed(s.first_entropy, 3), fixed(s.step_entropy, 3),
                          std::to_string(s.distinct), share(s.iso, s.samples),
                          share(s.expected, s.samples), share(s.greedy, s.samples), top});
    }
    return t;
}

TextTable answer_counts_table(const SamplingSummary& summary) {
    TextTable t{{tr("answer"), tr("count"), tr("share"), tr("ISO date")}, {}};
    for (const auto& [answer, count] : summary.most_frequent)
        t.rows.push_back(
            {answer, std::to_string(count),
             fixed(100.0 * static_cast<double>(count) / static_cast<double>(summary.samples), 1) +
                 "%",
             is_iso_date(answer) ? tr("yes") : tr("no")});
    return t;
}

std::string sampling_sentence(const std::vector<SamplingSummary>& rows,
                              std::size_t uncertain_step) {
    const auto find = [&](const std::string& name) -> const SamplingSummary* {
        for (const SamplingSummary& r : rows)
            if (r.setting == name) return &r;
        return nullptr;
    };
    const auto pct = [](arma::uword k, arma::uword n) {
        return fixed(100.0 * static_cast<double>(k) / static_cast<double>(n), 1) + "%";
    };
    std::string s;
    const SamplingSummary *t0 = find("T 0"), *k1 = find("T 1, top-k 1");
    if (t0 && k1)
        s =
            tr("T 0 and top-k 1 wrote greedy's answer in {1} and {2} of the draws: both leave one "
               "token to choose.",
               pct(t0->greedy, t0->samples), pct(k1->greedy, k1->samples));
    const SamplingSummary *cold = find("T 0.5"), *hot = find("T 2");
    if (cold && hot)
        s = then(s,
                 tr("Token {1} is where greedy's path is least sure; from T 0.5 to T 2 its "
                    "entropy went from {2} to {3} nats and the share of ISO dates from {4} to "
                    "{5}; top-k and top-p at T 2 cut the unlikely tail before drawing.",
                    uncertain_step + 1, fixed(cold->step_entropy, 3), fixed(hot->step_entropy, 3),
                    pct(cold->iso, cold->samples), pct(hot->iso, hot->samples)));
    else if (!s.empty() && static_cast<unsigned char>(s.back()) < 0x80)
        s += " ";  // as it always was: the first sentence alone kept its space
    return s;
}

// ---- 3. The KV cache -------------------------------------------------------------------

TextTable cache_growth_table(Transformer& model, const Encoded& encoded, const Vocab& vocab,
                             const Hypothesis& greedy) {
    const arma::uword n_src = encoded.memory.n_rows;
    DecoderCache cache = model.start_decoding(encoded, 1, {0}, greedy.tokens.size());
    TextTable t{{tr("step"), tr("token in"), tr("self K, V (each layer)"),
                 tr("cross K, V (each layer)"), tr("multiply-adds: cached"), tr("uncached")},
                {}};
    TokenIds in{Vocab::bos};
    in.insert(in.end(), greedy.tokens.begin(), greedy.tokens.end());
    for (std::size_t step = 0; step < greedy.tokens.size(); ++step) {
        model.decode_step({in[step]}, cache);
        const arma::uword n = step + 1;
        t.rows.push_back({std::to_string(n), token_label(vocab, in[step]),
                          bracket(cache.self.front().length(), cache.self.front().d_model()),
                          bracket(cache.cross.front().length(), cache.cross.front().d_model()),
                          format_count(step_multiply_adds(model.config, n, n_src, true)),
                          format_count(step_multiply_adds(model.config, n, n_src, false))});
    }
    return t;
}

std::vector<StepCostRow> measure_step_costs(const ModelConfig& config,
                                            const std::vector<arma::uword>& lengths,
                                            arma::uword n_src, bool timing) {
    std::vector<StepCostRow> rows;
    Transformer model(config);
    TokenIds src(n_src);
    // Random tokens after the four specials: no <pad> among them.
    NamedGenerator rng(1, "lesson_10.tokens", 1, 1);
    const auto token = [&] { return 4 + rng.next() % (config.tgt_vocab_size - 4); };
    for (arma::uword& id : src) id = 4 + rng.next() % (config.src_vocab_size - 4);
    const Encoded encoded = model.encode(src);
    for (arma::uword n : lengths) {
        StepCostRow r{n, step_multiply_adds(config, n, n_src, true),
                      step_multiply_adds(config, n, n_src, false)};
        if (timing) {
            TokenIds prefix{Vocab::bos};
            while (prefix.size() < n) prefix.push_back(token());
            DecoderCache cache = model.start_decoding(encoded, 1, {0}, n);
            for (arma::uword i = 0; i + 1 < n; ++i) model.decode_step({prefix[i]}, cache);
            r.cached_s = median_seconds([&] {
                model.generate(model.decode_step({prefix.back()}, cache));
                cache.truncate(n - 1);
            });
            r.uncached_s = median_seconds(
                [&] {
                    const arma::mat h = model.decode(prefix, encoded.memory, encoded.src_padding);
                    model.generate(h.row(h.n_rows - 1));
                },
                3);
        }
        rows.push_back(r);
    }
    return rows;
}

TextTable step_cost_table(const std::vector<StepCostRow>& rows, bool timing) {
    TextTable t{{"n", tr("multiply-adds: cached"), tr("uncached"), tr("ratio")}, {}};
    if (timing)
        for (const char* h : {N_("µs: cached"), N_("uncached"), N_("ratio")})
            t.header.push_back(tr(h));
    for (const StepCostRow& r : rows) {
        std::vector<std::string> row{
            std::to_string(r.n), format_count(r.cached), format_count(r.uncached),
            fixed(static_cast<double>(r.uncached) / static_cast<double>(r.cached), 1) + "×"};
        if (timing) {
            row.push_back(fixed(1e6 * r.cached_s, 1));
            row.push_back(fixed(1e6 * r.uncached_s, 1));
            row.push_back(fixed(r.uncached_s / r.cached_s, 1) + "×");
        }
        t.rows.push_back(row);
    }
    return t;
}

double cache_difference(Transformer& model, const Encoded& encoded, const DecodeOptions& options) {
    DecodeOptions o = options;
    std::vector<arma::mat> with, without;
    o.use_cache = true;
    greedy_search(model, encoded, o, &with);
    o.use_cache = false;
    greedy_search(model, encoded, o, &without);
    double worst = 0.0;
    for (std::size_t t = 0; t < std::min(with.size(), without.size()); ++t)
        worst = std::max(worst, arma::abs(with[t] - without[t]).max());
    return worst;
}

std::string cache_sentence(Transformer& model, const Encoded& encoded,
                           const DecodeOptions& options) {
    return tr(
        "Each step appends one K row and one V row to every layer's self-attention cache; "
        "the cross-attention K and V {1} per layer were computed once, from the memory, "
        "before the first token. The logits of every step with and without the cache "
        "differ by at most {2} (the tests allow 1e-12).",
        shape_of(encoded.memory), format_diff(cache_difference(model, encoded, options)));
}

std::string cost_sentence(const std::vector<StepCostRow>& rows, bool timing) {
    if (rows.size() < 2) return "";
    const StepCostRow &a = rows.front(), &b = rows.back();
    const auto grew = [](double x, double y) { return fixed(y / x, 1) + "×"; };
    if (!timing)
        return tr(
            "From n = {1} to {2} ({3} longer) a token's multiply-adds grew {4} with the cache "
            "and {5} without: linear in n against quadratic. These counts hold on any "
            "machine.",
            a.n, b.n, grew(a.n, b.n), grew(a.cached, b.cached), grew(a.uncached, b.uncached));
    return tr(
        "From n = {1} to {2} ({3} longer) a token's multiply-adds grew {4} with the cache "
        "and {5} without: linear in n against quadratic. These counts hold on any machine; "
        "the times were measured here, now (median of repeated runs, {6} BLAS thread(s)), "
        "and grew {7} and {8}.",
        a.n, b.n, grew(a.n, b.n), grew(a.cached, b.cached), grew(a.uncached, b.uncached),
        blas_threads(), grew(a.cached_s, b.cached_s), grew(a.uncached_s, b.uncached_s));
}

std::vector<Series> step_cost_series(const ModelConfig& config, arma::uword n_src,
                                     arma::uword max_n) {
    Series cached{tr("with the KV cache"), 'o', arma::vec(max_n), arma::vec(max_n)};
    Series uncached{tr("without (the whole prefix again)"), 'x', arma::vec(max_n),
                    arma::vec(max_n)};
    for (arma::uword n = 1; n <= max_n; ++n) {
        cached.x(n - 1) = uncached.x(n - 1) = static_cast<double>(n);
        cached.y(n - 1) =
            std::log10(static_cast<double>(step_multiply_adds(config, n, n_src, true)));
        uncached.y(n - 1) =
            std::log10(static_cast<double>(step_multiply_adds(config, n, n_src, false)));
    }
    return {cached, uncached};
}

PlotOptions step_cost_plot() {
    PlotOptions plot;
    plot.title = tr("Multiply-adds of the n-th new token");
    plot.x_label = tr("n, the length of the target prefix");
    plot.y_label = tr("log10 multiply-adds");
    return plot;
}

}  // namespace tfm::course
