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
#include "io/files.hpp"
#include "io/safetensors.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/softmax.hpp"
#include "train/checkpoint.hpp"
#include "train/inspect.hpp"
#include "train/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <fstream>
#include <set>

using namespace tfm;

namespace {

struct Settings {
    cli::Common common;
    std::string task = "dates";
    bool train = false, random_weights = false, text_given = false;
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
    s.task = result["task"].as<std::string>();
    const Task task(s.task);  // validates the name
    s.train = result.count("train") > 0;
    s.text_given = result.count("text") > 0;
    s.random_weights = result.count("random-weights") > 0;
    s.top_k = result["top-k"].as<arma::uword>();
    s.max_len = result["max-len"].as<arma::uword>();
    require(s.top_k >= 1, "--top-k must be at least 1");
    require(!(s.train && !s.common.weights.empty()), "--train starts from random weights; drop --weights");

    TrainOptions& o = s.train_options;
    o = task_train_options(task);
    o.seed = s.common.seed;
    const auto set = [&](const char* name, auto& field) {
        if (result.count(name)) field = result[name].as<std::decay_t<decltype(field)>>();
    };
    set("steps", o.steps);
    set("batch-size", o.batch_size);
    set("warmup", o.warmup);
    set("lr-scale", o.lr_scale);
    set("clip", o.clip_norm);
    set("label-smoothing", o.label_smoothing);
    set("eval-size", o.eval_size);
    set("parts", o.parts);
    require(o.steps >= 1 && o.eval_size >= 1, "--steps and --eval-size must be at least 1");
    require(o.batch_size >= 1 && o.warmup >= 1, "--batch-size and --warmup must be at least 1");
    require(o.parts >= 1 && o.parts <= 64, "--parts must be from 1 to 64");
    require(o.lr_scale > 0 && o.clip_norm >= 0, "--lr-scale must be positive and --clip not negative");
    require(o.label_smoothing >= 0 && o.label_smoothing < 1, "--label-smoothing must be in [0, 1)");
    return s;
}

ModelConfig config_from(const Settings& s, const Task& task) {
    ModelConfig c = task_model_config(task);
    c.d_model = s.common.d_model;
    c.num_heads = s.common.num_heads;
    c.d_ff = s.common.d_ff;
    c.encoder_layers = c.decoder_layers = s.common.layers;
    c.norm_first = s.common.norm_first;
    c.activation = s.common.activation;
    c.validate();
    return c;
}

std::string fixed(double x, int precision) { return format_number(x, precision); }

}  // namespace

int run(int argc, char** argv) {
    Settings s = read_settings(argc, argv);
    Printer out(s.common.print);

    // The model: trained here, loaded from --weights or the shipped file, or random.
    std::string weights = s.common.weights;
    if (weights.empty() && !s.train && !s.random_weights && s.task == "dates") {
        try {
            weights = data_path("dates.safetensors");
        } catch (const InputError&) {
            weights.clear();  // not shipped here: the model stays random, and the lesson says so
        }
    }
    std::string task_name = s.task;
    ModelConfig config = config_from(s, Task(task_name));
    if (!weights.empty()) {
        const CheckpointInfo info = read_checkpoint_info(weights, config);
        if (!info.task.empty()) task_name = Task(info.task).name();
        config = info.config;
    }
    const Task task(task_name);
    Vocab vocab = task.vocab();
    if (!weights.empty() && std::ifstream(vocab_path_for(weights)).good()) vocab = Vocab::load(vocab_path_for(weights));
    config.src_vocab_size = config.tgt_vocab_size = vocab.size();
    Transformer model(config);
    if (!weights.empty()) load_params(weights, model.params());

    out.heading("The model");
    out.table({"d_model", "heads", "d_ff", "layers (enc + dec)", "vocabulary", "parameters", "weights"},
              {{std::to_string(config.d_model), std::to_string(config.num_heads), std::to_string(config.d_ff),
                std::to_string(config.encoder_layers) + " + " + std::to_string(config.decoder_layers),
                std::to_string(vocab.size()), std::to_string(count_params(model.params())),
                weights.empty() ? (s.train ? "trained now" : "random") : weights}});

    if (s.train) {
        out.heading("Training on the " + task.name() + " task");
        scale_embeddings_for_training(model);
        Trainer trainer(model, task, s.train_options);
        const double ln_v = std::log(static_cast<double>(vocab.size()));
        std::fflush(stdout);
        const TrainReport r = trainer.run(stderr);  // progress is a diagnostic: tensors stay on stdout
        out.table({"", "held-out loss", "ln(vocabulary size)", "exact match", "time"},
                  {{"before training", fixed(r.initial_loss, 4), fixed(ln_v, 4), "", ""},
                   {"after " + std::to_string(s.train_options.steps) + " steps", fixed(r.final_loss, 4), "",
                    fixed(100.0 * r.accuracy, 1) + "% of " + std::to_string(r.eval_size),
                    fixed(r.seconds, 1) + " s"}});
        out.say("An untrained model spreads its probability evenly, so its first loss sits near "
                "ln(vocabulary size): the loss of a uniform guess.");
        if (!s.common.save_weights.empty()) {
            save_checkpoint(s.common.save_weights, model, vocab, task.name(),
                            {{"steps", std::to_string(s.train_options.steps)},
                             {"seed", std::to_string(s.common.seed)},
                             {"held_out_exact_match", fixed(r.accuracy, 4)}});
            out.say("Wrote " + s.common.save_weights + " and " + vocab_path_for(s.common.save_weights) + ".");
        }
    } else if (weights.empty()) {
        out.say("No trained weights were given or found: the weights are RANDOM, so the output below is "
                "meaningless. Train a model with --train, or pass --weights FILE.safetensors.");
    }

    // 1. Text → tokens → ids.
    const std::string text = s.text_given || task.name() == "dates" ? s.common.text : std::string("31415");
    const Example input = task.from_source(text);
    require(!input.src.empty(), "--text is empty");
    const arma::uword max_len = s.max_len ? s.max_len : task.max_target_len() + 1;
    std::vector<std::string> src_labels;
    for (arma::uword id : input.src) src_labels.push_back(token_label(vocab, id));
    out.heading("1. Text → tokens → ids");
    std::vector<std::string> id_row{"id"};
    for (arma::uword id : input.src) id_row.push_back(std::to_string(id));
    std::vector<std::string> token_header{"token"};
    token_header.insert(token_header.end(), src_labels.begin(), src_labels.end());
    out.table(token_header, {id_row});

    const std::vector<arma::mat> before = [&] {
        std::vector<arma::mat> v;
        for (const Param& p : model.params()) v.push_back(*p.value);
        return v;
    }();

    // 2–3. Embeddings + positions, encoder.
    out.heading("2. Source embeddings · √d_model + positional encoding");
    out.tensor("X_src", add_positions(model.src_embed.forward(input.src)), {src_labels, {}});
    out.heading("3. Encoder stack: the memory every decoder layer reads");
    out.tensor("memory", model.encode(input.src), {src_labels, {}});

    // 4. Greedy decoding.
    out.heading("4. Greedy decoding, one token at a time");
    const std::vector<DecodeStep> steps = greedy_decode(model, input.src, Vocab::bos, Vocab::eos, max_len);
    TokenIds tgt_in{Vocab::bos}, decoded;
    std::vector<std::vector<std::string>> step_rows;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        step_rows.push_back({std::to_string(i + 1), detokenize(vocab, tgt_in), token_label(vocab, steps[i].token),
                             fixed(steps[i].probability, 4)});
        if (steps[i].token == Vocab::eos) break;
        tgt_in.push_back(steps[i].token);
        decoded.push_back(steps[i].token);
    }
    out.table({"step", "prefix after <bos>", "chosen", "probability"}, step_rows);
    std::printf("%s  →  %s\n\n", text.c_str(), detokenize(vocab, decoded).c_str());
    if (!input.target.empty())
        out.say("The " + task.name() + " task's answer: " + input.target +
                (detokenize(vocab, decoded) == input.target ? " (correct)." : " (not what the model wrote)."));

    // 5. One forward pass over <bos> + the decoded tokens: logits, softmax, top-k.
    out.heading("5. Decoder over the target prefix → generator → softmax");
    const arma::mat logits = model.forward(input.src, tgt_in);
    const arma::mat probs = softmax_rows(logits);
    out.dump("logits", logits);
    out.dump("probs", probs);
    out.dump("output", probs);
    std::vector<std::vector<std::string>> topk_rows;
    std::vector<std::string> tgt_labels;
    for (arma::uword i = 0; i < probs.n_rows; ++i) {
        std::vector<std::string> row{std::to_string(i), token_label(vocab, tgt_in[i])};
        for (const TokenProbability& t : top_k(probs.row(i), s.top_k))
            row.push_back(token_label(vocab, t.id) + " " + fixed(t.probability, 3));
        topk_rows.push_back(row);
        const arma::uword next = i + 1 < tgt_in.size() ? tgt_in[i + 1] : Vocab::eos;
        tgt_labels.push_back("→" + token_label(vocab, next));
    }
    std::vector<std::string> header{"position", "input"};
    for (arma::uword k = 1; k <= s.top_k; ++k) header.push_back("top " + std::to_string(k));
    out.table(header, topk_rows);
    out.say("Each row is the distribution over the " + std::to_string(vocab.size()) +
            " tokens for the next character, given the source and the prefix up to that position "
            "(the full logits and probabilities are in the dump: logits.npy, probs.npy).");

    // 6. Cross-attention: where each output character looked.
    out.heading("6. Cross-attention of the last decoder layer (mean over heads)");
    PrintOptions wide = s.common.print;
    wide.max_cols = std::max<int>(wide.max_cols, 40);  // every source character, so the map reads left to right
    Printer heat(wide);
    heat.tensor("cross_weights", cross_attention_map(model, model.decoder.layers.size() - 1),
               {tgt_labels, src_labels}, "row →c: while writing c, how much it read each input character",
               Shade::heat);

    // 7. The article (§3.4): training updates the embedding table, inference does not.
    out.heading("7. Training changes embeddings; inference does not");
    std::size_t changed = 0;
    const ParamList params = model.params();
    for (std::size_t i = 0; i < params.size(); ++i) changed += arma::any(arma::vectorise(*params[i].value != before[i]));
    Transformer copy = model;
    TrainOptions one = s.train_options;
    one.eval_size = 1;
    Trainer trainer(copy, task, one);
    const Batch batch = trainer.next_batch();
    trainer.step(batch);
    const std::vector<arma::uword> src_rows = changed_rows(model.src_embed.weight, copy.src_embed.weight);
    const std::vector<arma::uword> tgt_rows = changed_rows(model.tgt_embed.weight, copy.tgt_embed.weight);
    std::set<arma::uword> src_used, tgt_used;
    for (const TokenIds& ids : batch.src) for (arma::uword id : ids) if (id != Vocab::pad) src_used.insert(id);
    for (const TokenIds& ids : batch.tgt_in) for (arma::uword id : ids) if (id != Vocab::pad) tgt_used.insert(id);
    out.table({"", "distinct tokens in the batch", "embedding rows changed", "rows unchanged"},
              {{"src_embed", std::to_string(src_used.size()), std::to_string(src_rows.size()),
                std::to_string(vocab.size() - src_rows.size())},
               {"tgt_embed", std::to_string(tgt_used.size()), std::to_string(tgt_rows.size()),
                std::to_string(vocab.size() - tgt_rows.size())}});
    out.say("After inference (steps 2–6 above): " + std::to_string(changed) + " of " + std::to_string(params.size()) +
            " parameter tensors changed. After one training step on a batch of " + std::to_string(batch.size()) +
            " pairs, exactly the embedding rows of the tokens in that batch moved.");

    if (!s.train && !s.common.save_weights.empty()) {
        save_checkpoint(s.common.save_weights, model, vocab, task.name());
        out.say("Wrote " + s.common.save_weights + ".");
    }
    return 0;
}

int main(int argc, char** argv) { return cli::guarded_main(argc, argv, run); }
