// Lesson 09 — the full model.
//
// Source text → tokens → source embeddings + positions → encoder stack → decoder stack
// over the target prefix (<bos> …) → generator → softmax over the vocabulary; greedy
// decoding one token at a time; the cross-attention weights show which input characters
// each output character looked at. By default the model is the one this project trained
// on the dates task (data/dates.safetensors), so "25 November 2026" decodes to
// "2026-11-25". --train trains a model here, with progress, and writes the checkpoint.
//
//   build/lessons/09_full_model --text "25 November 2026"
//   build/lessons/09_full_model --train --task copy --save-weights copy.safetensors
#include "cli/full_model_options.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "course/lesson_09.hpp"
#include "io/files.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/softmax.hpp"
#include "train/checkpoint.hpp"

#include <algorithm>
#include <cstdio>

namespace {

using namespace tfm;

struct Settings {
    cli::Common common;
    cli::FullModelOptions model;  // the model's source and task, decoding, training
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("09_full_model",
                         tr("Lesson 09: the full encoder-decoder model, decoding and training"));
    const cli::Common defaults = cli::full_model_defaults();
    cli::add_common(options, cli::kFullModelFeatures, defaults);
    cli::add_full_model_options(options);
    const cli::ParseResult result = cli::parse(options, argc, argv);
    Settings s;
    s.common = cli::read_common(result, cli::kFullModelFeatures, defaults);
    s.model = cli::read_full_model_options(result, s.common);
    return s;
}

void show(Printer& out, const TextTable& t) { out.table(t.header, t.rows); }

// ---- Training, when asked ----
void train(Printer& out, const Settings& s, course::LessonModel& m) {
    out.heading(tr("Training on the {1} task", m.task.name()));
    TrainOptions options = s.model.train;
    options.held_out_curve = out.draws();  // the curves of --out and --html
    Trainer trainer(m.model, m.task, options);
    std::fflush(stdout);
    const TrainReport r = trainer.run(stderr);  // progress is a diagnostic: tensors stay on stdout
    show(out, course::training_table(r, s.model.train.steps, m.vocab.size()));
    out.say(
        tr("An untrained model spreads its probability evenly, so its first loss sits near "
           "ln(vocabulary size): the loss of a uniform guess."));
    if (out.draws()) {
        out.say(
            tr("The curves, measured at {1} points: the training loss, the learning rate and "
               "the held-out exact match.",
               r.curve.size()));
        for (const course::CurvePlot& p : course::curve_plots(r, m.task.name()))
            out.plot(p.name, p.series, p.options);
        const std::string& dir = s.common.print.outputs->picture_dir;
        if (!dir.empty()) {
            write_file_atomically(dir + "/training.csv",
                                  csv(course::curve_header(), course::curve_columns(r)));
            out.say(tr("Wrote {1}, one row per point.", dir + "/training.csv"));
        }
    }
    if (s.common.save_weights.empty()) return;
    save_checkpoint(s.common.save_weights, m.model, m.vocab, m.task.name(),
                    {{"steps", std::to_string(s.model.train.steps)},
                     {"seed", std::to_string(s.common.seed)},
                     {"held_out_exact_match", format_number(r.accuracy, 4)}});
    out.say(
        tr("Wrote {1} (the weights, with the vocabulary in its metadata).", s.common.save_weights));
}

// ---- 4. Greedy decoding, from the one memory ----
course::Decoding decode(Printer& out, course::LessonModel& m, const Encoded& encoded,
                        const Example& input, arma::uword max_len) {
    out.heading(tr("4. Greedy decoding, one token at a time"));
    const std::string note = course::input_note(m.task, input);
    if (!note.empty()) out.say(note);
    course::Decoding d = course::decode_greedily(m.model, encoded, max_len);
    show(out, course::decoding_table(m.vocab, d));
    const std::string answer = detokenize(m.vocab, d.decoded);
    out.line(input.source + "  →  " + answer);
    const std::string verdict = course::answer_sentence(m.task, input, answer);
    if (!verdict.empty()) out.say(verdict);
    return d;
}

// ---- 5. Generator → softmax: the most likely next tokens ----
void predictions(Printer& out, const course::LessonModel& m, const course::Decoding& d,
                 arma::uword k) {
    out.heading(tr("5. Decoder over the target prefix → generator → softmax"));
    out.tensor("generator.weight", m.model.generator_weight(),
               {course::vocabulary_labels(m.vocab), {}});
    out.say(course::logits_sentence(m.model.generator_weight(), d.logits));
    const arma::mat probs = softmax_rows(d.logits);
    out.dump("logits", d.logits);
    out.dump("probs", probs);
    out.dump("output", probs);
    show(out, course::top_k_table(m.vocab, d.tgt_in, probs, k));
    out.say(
        tr("Each row is the distribution over the {1} tokens for the next character, given "
           "the source and the prefix up to that position (the full logits and "
           "probabilities are in the dump: logits.npy, probs.npy).",
           m.vocab.size()));
}

// ---- 6. Cross-attention: where each output character looked ----
void cross_attention(Printer& out, const Settings& s, const course::LessonModel& m,
                     const course::Decoding& d, const std::vector<std::string>& src_labels) {
    out.heading(tr("6. Cross-attention of the last decoder layer (mean over heads), transposed"));
    PrintOptions tall = s.common.print;
    tall.max_rows =
        std::max<int>(tall.max_rows, 40);  // every source character, so the map reads down
    tall.max_cols = std::max<int>(tall.max_cols, 11);  // an ISO date and <eos>, in 100 columns
    const arma::mat map = course::cross_attention_map(m.model, m.model.decoder.layers.size() - 1);
    Printer(tall).tensor("cross_weights.T", map.t(),
                         {src_labels, course::next_token_labels(m.vocab, d.tgt_in),
                          tr("input character (key)"), tr("output character (query)")},
                         tr("column →c: how much writing c read each input character"),
                         Shade::weights);
}

// ---- 7. The article (§3.4): training updates the embedding table, inference does not ----
void embeddings_after_training(Printer& out, const Settings& s, course::LessonModel& m,
                               const std::vector<arma::mat>& before) {
    out.heading(tr("7. Training changes embeddings; inference does not"));
    const course::EmbeddingStep e =
        course::embedding_rows_after_one_step(m.model, before, m.task, m.vocab, s.model.train);
    show(out, e.table);
    out.say(
        tr("After inference (steps 2–6 above): {1} of {2} parameter tensors changed. After "
           "one training step on a batch of {3} pairs, exactly the embedding rows of the "
           "tokens in that batch moved.",
           e.changed_by_inference, e.tensors, e.batch_size));
}

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer out(s.common.print);
    course::LessonModel m = course::load_lesson_model(s.model.request);
    require(s.model.top_k <= m.vocab.size(),
            tr("--top-k {1} is more than the {2} tokens of the vocabulary", s.model.top_k,
               m.vocab.size()));
    out.heading(tr("The model"));
    show(out, course::model_table(m, s.model.request.train));
    const std::string ignored = course::ignored_sizes_note(m, s.model.request);
    if (!ignored.empty()) out.say(ignored);
    if (s.model.request.train)
        train(out, s, m);
    else if (m.weights.empty())
        out.say(
            tr("No trained weights were given or found: the weights are RANDOM, so the output "
               "below is meaningless. Train a model with --train, or pass --weights "
               "FILE.safetensors."));

    // 1. Text → tokens → ids.
    const bool own_text = s.model.text_given || m.task.name() == "dates";
    const Example input = m.task.from_source(own_text ? s.common.text : std::string("31415"));
    require(!input.src.empty(), tr("--text is empty"));
    const std::vector<std::string> src_labels = course::token_labels(m.vocab, input.src);
    out.heading(tr("1. Text → tokens → ids"));
    show(out, course::token_table(m.vocab, input.src));
    const std::vector<arma::mat> before = course::param_values(m.model);

    // 2–3. Embeddings + positions, then the encoder, run once: its memory serves every step.
    out.heading(tr("2. Source embeddings · √d_model + positional encoding"));
    out.tensor("X_src", add_positions(m.model.src_embed.forward(input.src)), {src_labels, {}});
    out.heading(tr("3. Encoder stack: the memory every decoder layer reads"));
    const Encoded encoded = m.model.encode(input.src);
    out.tensor("memory", encoded.memory, {src_labels, {}});

    const arma::uword max_len = s.model.max_len ? s.model.max_len : m.task.max_target_len() + 1;
    const course::Decoding d = decode(out, m, encoded, input, max_len);
    predictions(out, m, d, s.model.top_k);
    cross_attention(out, s, m, d, src_labels);
    embeddings_after_training(out, s, m, before);

    if (!s.model.request.train && !s.common.save_weights.empty()) {
        save_checkpoint(s.common.save_weights, m.model, m.vocab, m.task.name());
        out.say(tr("Wrote {1}.", s.common.save_weights));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
