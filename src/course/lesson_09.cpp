#include "course/lesson_09.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "io/files.hpp"
#include "io/printer.hpp"
#include "io/safetensors.hpp"
#include "ops/softmax.hpp"
#include "train/checkpoint.hpp"
#include "train/dates.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <set>

namespace tfm::course {

namespace {
std::string fixed(double x, int precision) { return format_number(x, precision); }
}  // namespace

// ---- The model ------------------------------------------------------------------------

namespace {

// A size option given next to --weights must say what the file holds: a model of
// other sizes cannot be loaded into, so the disagreement is the learner's to resolve.
void check_sizes_agree(const ModelRequest& request, const ModelConfig& file) {
    // What the option sets, as the message shows it: two configurations differ in what an
    // option sets exactly when these texts differ.
    const auto value = [](const std::string& option, const ModelConfig& c) {
        if (option == "--d-model") return "d_model " + std::to_string(c.d_model);
        if (option == "--heads") return tr("heads {1}", c.num_heads);
        if (option == "--d-ff") return "d_ff " + std::to_string(c.d_ff);
        if (option == "--layers") return tr("layers {1} + {2}", c.encoder_layers, c.decoder_layers);
        if (option == "--activation") return tr("activation {1}", to_string(c.activation));
        return std::string(c.norm_first ? "pre-LN" : "post-LN");
    };
    for (const std::string& option : request.sizes_given) {
        const std::string asked = value(option, request.config), held = value(option, file);
        require(asked == held,
                tr("{1} asks for {2}, but {3} holds {4} (drop {1}, or train with --train)", option,
                   asked, request.weights, held));
    }
}

}  // namespace

LessonModel load_lesson_model(const ModelRequest& request) {
    std::string weights = request.weights;
    if (weights.empty() && !request.train && !request.random_weights && request.task == "dates") {
        try {
            weights = data_path("dates.safetensors");
        } catch (const InputError&) {
            weights.clear();  // not shipped here: the model stays random, and the lesson says so
        }
    }
    std::string task_name = Task(request.task).name();
    ModelConfig config = request.config;
    Metadata metadata;
    if (!weights.empty()) {
        const CheckpointInfo info = read_checkpoint_info(weights, config);
        if (!info.task.empty()) task_name = Task(info.task).name();
        if (!request.weights.empty()) check_sizes_agree(request, info.config);
        config = info.config;
        metadata = info.metadata;
    }
    const Task task(task_name);
    const Vocab vocab =
        weights.empty() ? task.vocab() : read_checkpoint_vocab(weights, metadata, task.vocab());
    config.src_vocab_size = config.tgt_vocab_size = vocab.size();
    if (!weights.empty()) check_checkpoint_tensors(weights, config);  // before allocating
    LessonModel m{weights, task, vocab, config, Transformer(config)};
    if (weights.empty())
        draw_params(m.model.params(), request.seed);  // by canonical name, as every lesson
    else
        load_params(weights, m.model.params());
    return m;
}

TextTable model_table(LessonModel& m, bool trained_here) {
    const ModelConfig& c = m.config;
    return {{"d_model", tr("heads"), "d_ff", tr("layers (enc + dec)"), tr("vocabulary"),
             tr("parameters"), tr("weights")},
            {{std::to_string(c.d_model), std::to_string(c.num_heads), std::to_string(c.d_ff),
              std::to_string(c.encoder_layers) + " + " + std::to_string(c.decoder_layers),
              std::to_string(m.vocab.size()), std::to_string(count_params(m.model.params())),
              m.weights.empty() ? (trained_here ? tr("trained now") : tr("random")) : m.weights}}};
}

TextTable training_table(const TrainReport& r, arma::uword steps, arma::uword vocab_size) {
    const double ln_v = std::log(static_cast<double>(vocab_size));
    return {{"", tr("held-out loss"), tr("ln(vocabulary size)"), tr("exact match"), tr("time")},
            {{tr("before training"), fixed(r.initial_loss, 4), fixed(ln_v, 4), "", ""},
             {tr("after {1} steps", steps), fixed(r.final_loss, 4), "",
              tr("{1}% of {2}", fixed(100.0 * r.accuracy, 1), r.eval_size),
              tr("{1} s", fixed(r.seconds, 1))}}};
}

std::string ignored_sizes_note(const LessonModel& m, const ModelRequest& request) {
    const std::vector<std::string>& given = request.sizes_given;
    if (m.weights.empty() || !request.weights.empty() || given.empty()) return "";
    std::string list;
    for (const std::string& g : given) list += (list.empty() ? "" : ", ") + g;
    return tr(
        "Ignored {1}: {2} fixes the sizes (the table above). They size a model that is "
        "random (--random-weights) or trained here (--train).",
        list, m.weights);
}

// ---- Text → tokens, greedy decoding ----------------------------------------------------

std::optional<TrainedDate> trained_date(const std::string& text) {
    // Only years whose four or two digits appear in the text can be the answer, so a few
    // hundred dates are written out, not all 36,524.
    for (int year = kFirstYear; year <= kLastYear; ++year) {
        const std::string yyyy = std::to_string(year), yy = yyyy.substr(2);
        if (text.find(yy) == std::string::npos) continue;
        for (int month = 1; month <= 12; ++month)
            for (int day = 1; day <= days_in_month(year, month); ++day)
                for (std::size_t f = 0; f < date_formats().size(); ++f)
                    if (format_date({year, month, day}, f) == text)
                        return TrainedDate{iso({year, month, day}), date_formats()[f].name};
    }
    return std::nullopt;
}

std::string input_note(const Task& task, const Example& input) {
    std::size_t unknown = 0;
    for (arma::uword id : input.src) unknown += id == Vocab::unk;
    std::string note;
    if (unknown > 0)
        // The trailing space separates the next sentence; a translation may leave it out.
        note =
            tr("{1} of {2} characters are unknown to the vocabulary (<unk>): the model never "
               "saw them. ",
               unknown, input.src.size());
    if (task.name() == "dates") {
        if (!trained_date(input.source))
            note +=
                tr("This is not a date in one of the {1} formats the model was trained on "
                   "(years {2}–{3}, docs/09-full-model.md lists them): it will still "
                   "answer, but nothing taught it this input.",
                   date_formats().size(), kFirstYear, kLastYear);
    } else {
        const bool digits = !input.source.empty() && input.source.size() <= 10 &&
                            std::all_of(input.source.begin(), input.source.end(), [](char c) {
                                return std::isdigit(static_cast<unsigned char>(c));
                            });
        if (!digits)
            note +=
                tr("The {1} task trains on 1 to 10 digits; this input is not that, so the "
                   "model has never seen anything like it.",
                   task.name());
    }
    while (!note.empty() && note.back() == ' ') note.pop_back();
    return note;
}

std::string token_label(const Vocab& vocab, arma::uword id) {
    const std::string& t = vocab.token(id);
    return t == " " ? std::string("␣") : t;
}

std::vector<std::string> token_labels(const Vocab& vocab, const TokenIds& ids) {
    std::vector<std::string> labels;
    for (arma::uword id : ids) labels.push_back(token_label(vocab, id));
    return labels;
}

std::vector<std::string> vocabulary_labels(const Vocab& vocab) {
    std::vector<std::string> labels;
    for (arma::uword id = 0; id < vocab.size(); ++id) labels.push_back(token_label(vocab, id));
    return labels;
}

TextTable token_table(const Vocab& vocab, const TokenIds& ids) {
    TextTable t{{tr("token")}, {{"id"}}};
    for (arma::uword id : ids) {
        t.header.push_back(token_label(vocab, id));
        t.rows[0].push_back(std::to_string(id));
    }
    return t;
}

Decoding decode_greedily(Transformer& model, const Encoded& encoded, arma::uword max_len) {
    Decoding d;
    d.tgt_in = {Vocab::bos};
    for (arma::uword t = 1; t <= max_len; ++t) {
        const arma::mat h = model.decode(d.tgt_in, encoded.memory, encoded.src_padding);
        const arma::rowvec probs = softmax_rows(model.generate(h.row(h.n_rows - 1)));
        const arma::uword token = probs.index_max();
        d.steps.push_back({token, probs(token)});
        if (token == Vocab::eos) break;
        d.tgt_in.push_back(token);
        d.decoded.push_back(token);
    }
    d.logits = model.generate(model.decode(d.tgt_in, encoded.memory, encoded.src_padding));
    return d;
}

std::string answer_sentence(const Task& task, const Example& input, const std::string& written) {
    std::string target = input.target;
    if (task.name() == "dates") {
        const std::optional<TrainedDate> date = trained_date(input.source);
        target = date ? date->iso : "";
    }
    if (target.empty()) return "";
    if (written == target) return tr("The {1} task's answer: {2} (correct).", task.name(), target);
    return tr("The {1} task's answer: {2} (not what the model wrote).", task.name(), target);
}

std::string logits_sentence(const arma::mat& generator_weight, const arma::mat& logits) {
    const auto shape = [](arma::uword r, arma::uword c) { return "[" + shape_string(r, c) + "]"; };
    return tr(
        "logits = h · generator.weightᵀ + generator.bias: h {1} · {2} → logits {3}, one row "
        "per target position, one column per token.",
        shape(logits.n_rows, generator_weight.n_cols),
        shape(generator_weight.n_cols, generator_weight.n_rows),
        shape(logits.n_rows, logits.n_cols));
}

TextTable decoding_table(const Vocab& vocab, const Decoding& d) {
    TextTable t{{tr("step"), tr("prefix after <bos>"), tr("chosen"), tr("probability")}, {}};
    for (std::size_t i = 0; i < d.steps.size(); ++i) {
        const TokenIds prefix(d.tgt_in.begin(),
                              d.tgt_in.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        t.rows.push_back({std::to_string(i + 1), detokenize(vocab, prefix),
                          token_label(vocab, d.steps[i].token), fixed(d.steps[i].probability, 4)});
    }
    return t;
}

// ---- What the model predicted, where it looked ----------------------------------------

std::string format_probability(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, p >= 0.001 || p == 0.0 ? "%.3f" : "%.1e", p);
    return buf;
}

std::vector<TokenProbability> top_k(const arma::rowvec& probabilities, arma::uword k) {
    std::vector<arma::uword> order(probabilities.n_elem);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](arma::uword a, arma::uword b) {
        return probabilities(a) > probabilities(b);
    });
    std::vector<TokenProbability> out;
    for (arma::uword i = 0; i < std::min<arma::uword>(k, order.size()); ++i)
        out.push_back({order[i], probabilities(order[i])});
    return out;
}

TextTable top_k_table(const Vocab& vocab, const TokenIds& tgt_in, const arma::mat& probs,
                      arma::uword k) {
    TextTable t{{tr("position"), tr("input")}, {}};
    for (arma::uword j = 1; j <= k; ++j) t.header.push_back(tr("top {1}", j));
    for (arma::uword i = 0; i < probs.n_rows; ++i) {
        std::vector<std::string> row{std::to_string(i), token_label(vocab, tgt_in[i])};
        for (const TokenProbability& p : top_k(probs.row(i), k))
            row.push_back(token_label(vocab, p.id) + " " + format_probability(p.probability));
        t.rows.push_back(row);
    }
    return t;
}

std::vector<std::string> next_token_labels(const Vocab& vocab, const TokenIds& tgt_in) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < tgt_in.size(); ++i)
        labels.push_back("→" +
                         token_label(vocab, i + 1 < tgt_in.size() ? tgt_in[i + 1] : Vocab::eos));
    return labels;
}

arma::mat cross_attention_map(const Transformer& model, std::size_t layer) {
    const MultiHeadAttention& attn = model.decoder.layers.at(layer).cross_attn;
    // The first sequence's heads are heads_[0 … num_heads − 1].
    arma::mat sum = attn.heads_.at(0).weights;
    for (std::size_t h = 1; h < attn.num_heads; ++h) sum += attn.heads_.at(h).weights;
    return sum / static_cast<double>(attn.num_heads);
}

// ---- Training changes embeddings; inference does not ------------------------------------

std::vector<arma::uword> changed_rows(const arma::mat& before, const arma::mat& after) {
    std::vector<arma::uword> rows;
    for (arma::uword r = 0; r < before.n_rows; ++r) {
        if (arma::any(before.row(r) != after.row(r))) rows.push_back(r);
    }
    return rows;
}

std::vector<arma::mat> param_values(Transformer& model) {
    std::vector<arma::mat> values;
    for (const Param& p : model.params()) values.push_back(*p.value);
    return values;
}

EmbeddingStep embedding_rows_after_one_step(Transformer& model,
                                            const std::vector<arma::mat>& before, const Task& task,
                                            const Vocab& vocab, TrainOptions options) {
    EmbeddingStep e{0, 0, 0, {}};
    const ParamList params = model.params();
    e.tensors = params.size();
    for (std::size_t i = 0; i < params.size(); ++i)
        e.changed_by_inference += arma::any(arma::vectorise(*params[i].value != before[i]));
    Transformer copy = model;
    options.eval_size = 1;
    Trainer trainer(copy, task, options);
    const Batch batch = trainer.next_batch();
    trainer.step(batch);
    e.batch_size = batch.size();
    const auto row = [&](const char* name, const std::vector<TokenIds>& ids, const arma::mat& a,
                         const arma::mat& b) {
        std::set<arma::uword> used;
        for (const TokenIds& seq : ids)
            for (arma::uword id : seq)
                if (id != Vocab::pad) used.insert(id);
        const std::size_t changed = changed_rows(a, b).size();
        e.table.rows.push_back({name, std::to_string(used.size()), std::to_string(changed),
                                std::to_string(vocab.size() - changed)});
    };
    e.table.header = {"", tr("distinct tokens in the batch"), tr("embedding rows changed"),
                      tr("rows unchanged")};
    row("src_embed", batch.src, model.src_embed.weight, copy.src_embed.weight);
    if (!model.tgt_embed.weight.is_empty())  // empty when shared: src_embed's row is the table
        row("tgt_embed", batch.tgt_in, model.tgt_embed.weight, copy.tgt_embed.weight);
    return e;
}

std::vector<std::string> curve_header() {
    return {"step", "train_loss", "learning_rate", "held_out_loss", "held_out_exact_match"};
}

arma::mat curve_columns(const TrainReport& r) {
    arma::mat columns(r.curve.size(), 5);
    for (std::size_t i = 0; i < r.curve.size(); ++i) {
        const CurvePoint& p = r.curve[i];
        columns.row(i) = arma::rowvec{static_cast<double>(p.step), p.train_loss, p.learning_rate,
                                      p.held_out_loss, p.exact_match};
    }
    return columns;
}

std::vector<CurvePlot> curve_plots(const TrainReport& r, const std::string& task) {
    const arma::mat c = curve_columns(r);
    const arma::vec step = c.col(0);
    auto plot = [&](const std::string& title, const std::string& y_label) {
        PlotOptions o;
        o.title = title;
        o.x_label = tr("training step");
        o.y_label = y_label;
        return o;
    };
    return {
        {"training_loss",
         {{tr("training batches"), 'o', step, c.col(1)}, {tr("held-out"), 'x', step, c.col(3)}},
         plot(tr("Cross-entropy per target token ({1})", task), tr("loss"))},
        {"learning_rate",
         {{tr("learning rate"), 'o', step, c.col(2)}},
         plot(tr("Warm-up, then 1/sqrt(step) ({1})", task), tr("learning rate"))},
        {"exact_match",
         {{tr("held-out exact match"), 'o', step, c.col(4)}},
         plot(tr("Held-out answers exactly right ({1})", task), tr("fraction exact"))},
    };
}

}  // namespace tfm::course
