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
#include "cli/options.hpp"
#include "core/error.hpp"
#include "course/lesson_09.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/softmax.hpp"
#include "train/checkpoint.hpp"

#include <algorithm>
#include <cstdio>

namespace {

using namespace tfm;

struct Settings {
    cli::Common common;
    course::ModelRequest request;
    bool text_given = false;
    arma::uword top_k = 5, max_len = 0;
    TrainOptions train_options;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("09_full_model", "Lesson 09: the full encoder-decoder model, decoding and training");
    const unsigned features = cli::sizes | cli::heads | cli::ffn | cli::layers | cli::activation | cli::norm_first |
                              cli::text | cli::weights;
    cli::Common defaults;
    defaults.d_model = 32;
    defaults.num_heads = 4;
    defaults.d_ff = 64;
    defaults.layers = 2;
    defaults.text = "25 November 2026";
    cli::add_common(options, features, defaults);
    options.add_options("full model")
        ("top-k", "tokens shown per target position", cli::value<arma::uword>()->default_value("5"), "N")
        ("max-len", "greedy decoding stops after this many tokens (0: the task's longest + 1)",
         cli::value<arma::uword>()->default_value("0"), "N")
        ("task", "copy | reverse | dates (the task to train, or of a weights file without one)",
         cli::value<std::string>()->default_value("dates"), "NAME")
        ("random-weights", "ignore the shipped trained model: random weights")
        ("train", "train a model on --task, then decode --text with it")
        ("steps", "training steps (default: dates 4000; copy, reverse 3000)", cli::value<arma::uword>(), "N")
        ("batch-size", "pairs per step (default: 32)", cli::value<arma::uword>(), "N")
        ("warmup", "warm-up steps of the schedule (default: dates 200; copy, reverse 400)", cli::value<arma::uword>(), "N")
        ("lr-scale", "multiplies the schedule (default: dates 0.3; copy, reverse 1.0)", cli::value<double>(), "X")
        ("clip", "gradient clipping by global norm, 0: off (default: 1)", cli::value<double>(), "X")
        ("label-smoothing", "epsilon of the loss (default: 0)", cli::value<double>(), "X")
        ("eval-size", "held-out examples (default: dates 1000; copy, reverse 200)", cli::value<arma::uword>(), "N")
        ("parts", "each batch is cut into N parts, run side by side on the cores; any machine, the same weights (default: 2)",
         cli::value<arma::uword>(), "N");
    const cli::ParseResult result = cli::parse(options, argc, argv);

    Settings s;
    s.common = cli::read_common(result, features, defaults);
    course::ModelRequest& r = s.request;
    r.weights = s.common.weights;
    r.task = result["task"].as<std::string>();
    r.train = result.count("train") > 0;
    r.random_weights = result.count("random-weights") > 0;
    const Task task(r.task);  // validates the name
    r.config = task_model_config(task);
    r.config.d_model = s.common.d_model;
    r.config.num_heads = s.common.num_heads;
    r.config.d_ff = s.common.d_ff;
    r.config.encoder_layers = r.config.decoder_layers = s.common.layers;
    r.config.norm_first = s.common.norm_first;
    r.config.activation = s.common.activation;
    r.config.validate();
    s.text_given = result.count("text") > 0;
    s.top_k = result["top-k"].as<arma::uword>();
    s.max_len = result["max-len"].as<arma::uword>();
    require(s.top_k >= 1, "--top-k must be at least 1");
    require(!(r.train && !r.weights.empty()), "--train starts from random weights; drop --weights");

    TrainOptions& o = s.train_options;
    o = task_train_options(task);
    o.seed = s.common.seed;
    for (auto [name, field] : {std::pair{"steps", &o.steps}, {"batch-size", &o.batch_size}, {"warmup", &o.warmup},
                               {"eval-size", &o.eval_size}, {"parts", &o.parts}})
        if (result.count(name)) *field = result[name].as<arma::uword>();
    for (auto [name, field] : {std::pair{"lr-scale", &o.lr_scale}, {"clip", &o.clip_norm},
                               {"label-smoothing", &o.label_smoothing}})
        if (result.count(name)) *field = result[name].as<double>();
    o.validate();
    return s;
}

std::string fixed(double x, int precision) { return format_number(x, precision); }
void show(Printer& out, const TextTable& t) { out.table(t.header, t.rows); }

// ---- Training, when asked ----
void train(Printer& out, const Settings& s, course::LessonModel& m) {
    out.heading("Training on the " + m.task.name() + " task");
    scale_embeddings_for_training(m.model);
    Trainer trainer(m.model, m.task, s.train_options);
    std::fflush(stdout);
    const TrainReport r = trainer.run(stderr);  // progress is a diagnostic: tensors stay on stdout
    show(out, course::training_table(r, s.train_options.steps, m.vocab.size()));
    out.say("An untrained model spreads its probability evenly, so its first loss sits near "
            "ln(vocabulary size): the loss of a uniform guess.");
    if (s.common.save_weights.empty()) return;
    save_checkpoint(s.common.save_weights, m.model, m.vocab, m.task.name(),
                    {{"steps", std::to_string(s.train_options.steps)},
                     {"seed", std::to_string(s.common.seed)},
                     {"held_out_exact_match", fixed(r.accuracy, 4)}});
    out.say("Wrote " + s.common.save_weights + " and " + vocab_path_for(s.common.save_weights) + ".");
}

// ---- 4. Greedy decoding ----
course::Decoding decode(Printer& out, course::LessonModel& m, const arma::mat& memory, const Example& input,
                        const std::string& text, arma::uword max_len) {
    out.heading("4. Greedy decoding, one token at a time");
    course::Decoding d = course::decode_greedily(m.model, memory, max_len);
    show(out, course::decoding_table(m.vocab, d));
    const std::string answer = detokenize(m.vocab, d.decoded);
    std::printf("%s  →  %s\n\n", text.c_str(), answer.c_str());
    if (!input.target.empty())
        out.say("The " + m.task.name() + " task's answer: " + input.target +
                (answer == input.target ? " (correct)." : " (not what the model wrote)."));
    return d;
}

// ---- 5. Generator → softmax: the most likely next tokens ----
void predictions(Printer& out, const course::LessonModel& m, const course::Decoding& d, arma::uword k) {
    out.heading("5. Decoder over the target prefix → generator → softmax");
    const arma::mat probs = softmax_rows(d.logits);
    out.dump("logits", d.logits);
    out.dump("probs", probs);
    out.dump("output", probs);
    show(out, course::top_k_table(m.vocab, d.tgt_in, probs, k));
    out.say("Each row is the distribution over the " + std::to_string(m.vocab.size()) +
            " tokens for the next character, given the source and the prefix up to that position "
            "(the full logits and probabilities are in the dump: logits.npy, probs.npy).");
}

// ---- 6. Cross-attention: where each output character looked ----
void cross_attention(const Settings& s, const course::LessonModel& m, const course::Decoding& d,
                     const std::vector<std::string>& src_labels, Printer& out) {
    out.heading("6. Cross-attention of the last decoder layer (mean over heads)");
    PrintOptions wide = s.common.print;
    wide.max_cols = std::max<int>(wide.max_cols, 40);  // every source character, so the map reads left to right
    Printer(wide).tensor("cross_weights", course::cross_attention_map(m.model, m.model.decoder.layers.size() - 1),
                         {course::next_token_labels(m.vocab, d.tgt_in), src_labels},
                         "row →c: while writing c, how much it read each input character", Shade::heat);
}

// ---- 7. The article (§3.4): training updates the embedding table, inference does not ----
void embeddings_after_training(Printer& out, const Settings& s, course::LessonModel& m,
                               const std::vector<arma::mat>& before) {
    out.heading("7. Training changes embeddings; inference does not");
    const course::EmbeddingStep e =
        course::embedding_rows_after_one_step(m.model, before, m.task, m.vocab, s.train_options);
    show(out, e.table);
    out.say("After inference (steps 2–6 above): " + std::to_string(e.changed_by_inference) + " of " +
            std::to_string(e.tensors) + " parameter tensors changed. After one training step on a batch of " +
            std::to_string(e.batch_size) + " pairs, exactly the embedding rows of the tokens in that batch moved.");
}

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer out(s.common.print);
    course::LessonModel m = course::load_lesson_model(s.request);
    out.heading("The model");
    show(out, course::model_table(m, s.request.train));
    if (s.request.train)
        train(out, s, m);
    else if (m.weights.empty())
        out.say("No trained weights were given or found: the weights are RANDOM, so the output below is "
                "meaningless. Train a model with --train, or pass --weights FILE.safetensors.");

    // 1. Text → tokens → ids.
    const std::string text = s.text_given || m.task.name() == "dates" ? s.common.text : std::string("31415");
    const Example input = m.task.from_source(text);
    require(!input.src.empty(), "--text is empty");
    const std::vector<std::string> src_labels = course::token_labels(m.vocab, input.src);
    out.heading("1. Text → tokens → ids");
    show(out, course::token_table(m.vocab, input.src));
    const std::vector<arma::mat> before = course::param_values(m.model);

    // 2–3. Embeddings + positions, then the encoder, run once: its memory serves every step.
    out.heading("2. Source embeddings · √d_model + positional encoding");
    out.tensor("X_src", add_positions(m.model.src_embed.forward(input.src)), {src_labels, {}});
    out.heading("3. Encoder stack: the memory every decoder layer reads");
    const arma::mat memory = m.model.encode(input.src);
    out.tensor("memory", memory, {src_labels, {}});

    const course::Decoding d = decode(out, m, memory, input, text, s.max_len ? s.max_len : m.task.max_target_len() + 1);
    predictions(out, m, d, s.top_k);
    cross_attention(s, m, d, src_labels, out);
    embeddings_after_training(out, s, m, before);

    if (!s.request.train && !s.common.save_weights.empty()) {
        save_checkpoint(s.common.save_weights, m.model, m.vocab, m.task.name());
        out.say("Wrote " + s.common.save_weights + ".");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
