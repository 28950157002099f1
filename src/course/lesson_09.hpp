// Lesson 09's own work around the full model: where the model comes from (trained here,
// a weights file, the shipped dates model, or random), one encoder pass and greedy
// decoding from its memory, the most likely tokens, where the decoder looked in the
// source, and which embedding rows one training step changed. The tables are rows of
// strings for Printer::table; the lesson keeps the narration around them.
#pragma once
#include "draw/plot.hpp"
#include "io/table.hpp"
#include "model/config.hpp"
#include "model/transformer.hpp"
#include "text/tokenizer.hpp"
#include "train/tasks.hpp"
#include "train/trainer.hpp"

#include <armadillo>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace tfm::course {

// ---- The model ------------------------------------------------------------------------

// What the learner asked for.
struct ModelRequest {
    std::string weights;  // --weights FILE; empty: none given
    std::string task;     // --task
    ModelConfig config;   // the sizes of the options, used unless a weights file fixes them
    bool train = false;   // --train: random weights now, trained before decoding
    bool random_weights = false;
    std::uint64_t seed = 42;  // --seed: random weights are drawn by name from it
    // "--d-model", … given on the command line: an explicit --weights file whose sizes
    // disagree with one of them is an InputError naming both values.
    std::vector<std::string> sizes_given;
};

// The model the lesson runs, and where its weights came from.
struct LessonModel {
    std::string weights;  // the file loaded; empty: random (or about to be trained)
    Task task;            // the weights file's own task when it names one
    Vocab vocab;          // the weights file's vocabulary when one lies beside it
    ModelConfig config;
    Transformer model;
};

// Without --weights, --train or --random-weights the dates task uses the shipped
// data/dates.safetensors when it is there; a weights file fixes the sizes and, if it says
// so, the task. InputError for an unknown task or an unreadable weights file.
LessonModel load_lesson_model(const ModelRequest& request);

// d_model | heads | d_ff | layers (enc + dec) | vocabulary | parameters | weights.
TextTable model_table(LessonModel& m, bool trained_here);

// The held-out loss before and after training beside ln(vocabulary size), exact match, time.
TextTable training_table(const TrainReport& r, arma::uword steps, arma::uword vocab_size);

// The training curves (--train with --out or --html): one row per point of r.curve, the
// columns named by curve_header() (step, train_loss, learning_rate, held_out_loss,
// held_out_exact_match), for training.csv; and the three plots of them, each a name (the
// picture's file name), its series and its axes.
std::vector<std::string> curve_header();
arma::mat curve_columns(const TrainReport& r);
struct CurvePlot {
    std::string name;
    std::vector<Series> series;
    PlotOptions options;
};
std::vector<CurvePlot> curve_plots(const TrainReport& r, const std::string& task);

// "Ignored --d-model, --heads: data/dates.safetensors fixes the sizes …" when the shipped
// model was loaded (no --weights) and the learner gave size options; "" otherwise. (With
// an explicit --weights, sizes that disagree with the file are an error instead.)
std::string ignored_sizes_note(const LessonModel& m, const ModelRequest& request);

// ---- Text → tokens, greedy decoding ----------------------------------------------------

// The ISO date ("2026-11-25") when `text` is exactly how the dates task writes some date
// of kFirstYear … kLastYear in one of its formats (src/train/dates.hpp), with the format's
// name; empty otherwise.
struct TrainedDate {
    std::string iso, format;
};
std::optional<TrainedDate> trained_date(const std::string& text);

// What the learner should know before the model answers: how many characters of the
// input are unknown to the vocabulary (<unk>), and whether the input is of the kind the
// task trains on (a date in one of its formats; 1 to 10 digits for copy and reverse).
// "" when neither applies.
std::string input_note(const Task& task, const Example& input);

// A token as a printed label: the space as "␣", specials as they are ("<eos>").
std::string token_label(const Vocab& vocab, arma::uword id);
std::vector<std::string> token_labels(const Vocab& vocab, const TokenIds& ids);
// Every token's label, in id order: the rows of an embedding table or of the generator.
std::vector<std::string> vocabulary_labels(const Vocab& vocab);

// token | each token's label, and one row: id | each id.
TextTable token_table(const Vocab& vocab, const TokenIds& ids);

// Greedy decoding from one encoder pass: start from <bos>, run the decoder over the prefix,
// append the arg-max of the last row's softmax, until <eos> or max_len new tokens.
struct Decoding {
    std::vector<DecodeStep> steps;  // every step's chosen token and its probability
    TokenIds tgt_in;                // <bos> + the decoded tokens (without <eos>)
    TokenIds decoded;               // the decoded tokens (without <eos>)
    arma::mat logits;               // the decoder over tgt_in → generator: [tgt_in × vocab]
};
// memory = model.encode(src), the encoder's last output. Afterwards the model's caches
// (cross-attention weights included) are those of the pass over tgt_in.
Decoding decode_greedily(Transformer& model, const Encoded& encoded, arma::uword max_len);

// "The dates task's answer: 2026-11-25 (correct)." — the task's own answer for the input
// (for dates: when the input is a trained_date), against what the model wrote; "" when
// the task has no answer for it.
std::string answer_sentence(const Task& task, const Example& input, const std::string& written);

// "logits = h · generator.weightᵀ + generator.bias: h [11 × 32] · [32 × 71] → logits [11 × 71] …"
std::string logits_sentence(const arma::mat& generator_weight, const arma::mat& logits);

// step | prefix after <bos> | chosen | probability.
TextTable decoding_table(const Vocab& vocab, const Decoding& d);

// ---- What the model predicted, where it looked ----------------------------------------

struct TokenProbability {
    arma::uword id;
    double probability;
};
// The k most likely tokens of one row of probabilities, most likely first (ties: lower id).
std::vector<TokenProbability> top_k(const arma::rowvec& probabilities, arma::uword k);

// "0.997", or "1.2e-06" below 0.001, so that a small probability is not shown as 0.000.
std::string format_probability(double p);

// position | input | top 1 … top k: each row of probs [tgt_in × vocab] as its k most
// likely next tokens, with format_probability.
TextTable top_k_table(const Vocab& vocab, const TokenIds& tgt_in, const arma::mat& probs,
                      arma::uword k);

// "→c" for each position: the token the decoder wrote next (<eos> after the last).
std::vector<std::string> next_token_labels(const Vocab& vocab, const TokenIds& tgt_in);

// The cross-attention weights of decoder layer `layer` from the last forward pass,
// averaged over heads: [n_tgt × n_src], row i = where target position i looked.
arma::mat cross_attention_map(const Transformer& model, std::size_t layer);

// ---- Training changes embeddings; inference does not ------------------------------------

// The rows of `after` that differ from `before` (same shapes) in any element.
std::vector<arma::uword> changed_rows(const arma::mat& before, const arma::mat& after);

// A copy of every parameter's value, in params() order.
std::vector<arma::mat> param_values(Transformer& model);

struct EmbeddingStep {
    std::size_t changed_by_inference;  // parameter tensors that differ from `before`
    std::size_t tensors;               // parameter tensors in the model
    std::size_t batch_size;            // pairs in the one training step
    TextTable
        table;  // src_embed / tgt_embed: distinct tokens in the batch, rows changed, unchanged
};
// Compares the model with `before`, then takes one training step on a copy of it (the
// model itself is not changed) and counts the embedding rows that moved.
EmbeddingStep embedding_rows_after_one_step(Transformer& model,
                                            const std::vector<arma::mat>& before, const Task& task,
                                            const Vocab& vocab, TrainOptions options);

}  // namespace tfm::course
