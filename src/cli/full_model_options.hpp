// Lesson 09's own options: the model's source and task, decoding, and training. Defined
// here, beside the shared ones, so that the lesson fills its Settings with two calls.
#pragma once
#include "cli/options.hpp"
#include "course/lesson_09.hpp"
#include "train/trainer.hpp"

#include <string>
#include <vector>

namespace tfm::cli {

// The shared options lesson 09 has, and their defaults: the shipped dates model's sizes
// (d_model 32, 4 heads, d_ff 64, 2 + 2 layers) and the text "25 November 2026".
constexpr unsigned kFullModelFeatures =
    sizes | heads | ffn | layers | activation | norm_first | text | weights;
Common full_model_defaults();

struct FullModelOptions {
    course::ModelRequest request;  // --task, --train, --random-weights, --weights, the sizes
    TrainOptions train;            // the task's defaults, then --steps … (validated), --seed
    arma::uword top_k = 5;         // --top-k (≥ 1; the lesson checks it against the vocabulary)
    arma::uword max_len = 0;       // --max-len, 0: the task's longest target + 1
    bool text_given = false;       // --text was given (copy and reverse have their own default)
};

// --top-k, --max-len, --task, --random-weights, --train, --steps, --batch-size, --warmup,
// --lr-scale, --clip, --label-smoothing, --eval-size, --parts.
void add_full_model_options(Options& options);

// Reads them after read_common; InputError for an unknown task, sizes that do not fit
// together, --train with --weights, or a training option out of range.
FullModelOptions read_full_model_options(const ParseResult& result, const Common& common);

}  // namespace tfm::cli
