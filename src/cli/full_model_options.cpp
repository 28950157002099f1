#include "cli/full_model_options.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "model/footprint.hpp"

#include <utility>

namespace tfm::cli {

Common full_model_defaults() {
    Common defaults;
    defaults.d_model = 32;
    defaults.num_heads = 4;
    defaults.d_ff = 64;
    defaults.layers = 2;
    defaults.text = "25 November 2026";
    return defaults;
}

namespace {
// --top-k beyond the vocabulary is refused once the model's vocabulary is known;
// --max-len bounds greedy decoding's steps.
constexpr long kMaxTopK = 100000, kMaxLen = 1000;
}  // namespace

void add_full_model_options(Options& options) {
    auto add = options.add_options(tr("full model"));
    add("top-k", tr("tokens shown per target position"),
        value<arma::uword>()->default_value("5")->range(1, kMaxTopK), "N");
    add("max-len", tr("greedy decoding stops after this many tokens (0: the task's longest + 1)"),
        value<arma::uword>()->default_value("0")->range(0, kMaxLen), "N");
    add("task", tr("copy | reverse | dates (the task to train, or of a weights file without one)"),
        value<std::string>()->default_value("dates"), "NAME");
    add("random-weights", tr("ignore the shipped trained model: random weights"));
    add("train", tr("train a model on --task, then decode --text with it"));
    add("steps", tr("training steps (default: dates 4000; copy, reverse 3000)"),
        value<arma::uword>()->range(1, TrainOptions::kMaxSteps), "N");
    add("batch-size", tr("pairs per step (default: 32)"),
        value<arma::uword>()->range(1, TrainOptions::kMaxBatchSize), "N");
    add("warmup", tr("warm-up steps of the schedule (default: dates 200; copy, reverse 400)"),
        value<arma::uword>()->range(1, TrainOptions::kMaxSteps), "N");
    add("lr-scale", tr("multiplies the schedule (default: dates 0.3; copy, reverse 1.0)"),
        value<double>(), "X");
    add("clip", tr("gradient clipping by global norm, 0: off (default: 1)"), value<double>(), "X");
    add("label-smoothing", tr("epsilon of the loss (default: 0)"), value<double>(), "X");
    add("eval-size", tr("held-out examples (default: dates 1000; copy, reverse 200)"),
        value<arma::uword>()->range(1, TrainOptions::kMaxEvalSize), "N");
    add("parts",
        tr("each batch is cut into N parts, run side by side on the cores; any machine, the same "
           "weights (default: 2)"),
        value<arma::uword>()->range(1, TrainOptions::kMaxParts), "N");
}

FullModelOptions read_full_model_options(const ParseResult& result, const Common& common) {
    FullModelOptions f;
    course::ModelRequest& r = f.request;
    r.weights = common.weights;
    r.task = result["task"].as<std::string>();
    r.train = result.count("train") > 0;
    r.random_weights = result.count("random-weights") > 0;
    const Task task(r.task);  // validates the name
    r.config = task_model_config(task);
    r.config.d_model = common.d_model;
    r.config.num_heads = common.num_heads;
    r.config.d_ff = common.d_ff;
    r.config.encoder_layers = r.config.decoder_layers = common.layers;
    r.config.norm_first = common.norm_first;
    r.config.activation = common.activation;
    r.config.validate();
    for (const char* name : {"d-model", "heads", "d-ff", "layers", "activation", "norm-first"})
        if (result.count(name)) r.sizes_given.push_back(std::string("--") + name);
    r.seed = common.seed;
    require(!(r.train && !r.weights.empty()),
            tr("--train starts from random weights; drop --weights"));

    f.text_given = result.count("text") > 0;
    f.top_k = result["top-k"].as<arma::uword>();
    f.max_len = result["max-len"].as<arma::uword>();
    require(f.top_k >= 1, tr("--top-k must be at least 1"));

    TrainOptions& o = f.train;
    o = task_train_options(task);
    o.seed = common.seed;
    for (auto [name, field] : {std::pair{"steps", &o.steps},
                               {"batch-size", &o.batch_size},
                               {"warmup", &o.warmup},
                               {"eval-size", &o.eval_size},
                               {"parts", &o.parts}})
        if (result.count(name)) *field = result[name].as<arma::uword>();
    for (auto [name, field] : {std::pair{"lr-scale", &o.lr_scale},
                               {"clip", &o.clip_norm},
                               {"label-smoothing", &o.label_smoothing}})
        if (result.count(name)) *field = result[name].as<double>();
    o.validate();
    if (r.train) {
        // One training step: the batch through the encoder and the decoder, each
        // parameter with its gradient, Adam's two moments and one gradient per part.
        StackRun encoder;
        encoder.layer = r.config;
        encoder.layers = r.config.encoder_layers;
        encoder.sequences = o.batch_size;
        encoder.rows = mul_sat(o.batch_size, task.max_source_len() + 1);
        encoder.vocab = task.vocab().size();
        encoder.param_copies = 4 + o.parts;
        StackRun decoder = encoder;
        decoder.decoder = true;
        decoder.layers = r.config.decoder_layers;
        decoder.rows = mul_sat(o.batch_size, task.max_target_len() + 2);
        decoder.memory_rows = encoder.rows;
        const Footprint step = footprint(encoder) + footprint(decoder);
        const auto d_model = r.config.d_model, d_ff = r.config.d_ff;
        require_memory(tr("--train with --d-model {1}, --d-ff {2}, --layers {3}, --batch-size {4}, "
                          "--parts {5}",
                          d_model, d_ff, common.layers, o.batch_size, o.parts),
                       step.bytes);
        require_work(tr("--train with --d-model {1}, --d-ff {2}, --layers {3}, --batch-size {4}, "
                        "--parts {5} (one step)",
                        d_model, d_ff, common.layers, o.batch_size, o.parts),
                     step.madds);
    }
    return f;
}

}  // namespace tfm::cli
