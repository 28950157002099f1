// Small models and a reference loss shared by the Transformer, batch and training tests.
#pragma once
#include "core/params.hpp"
#include "model/config.hpp"
#include "nn/embedding.hpp"
#include "train/tasks.hpp"

#include <armadillo>
#include <vector>

namespace tfm::test {

// d_model 8, 2 heads, d_ff 12, 2 + 2 layers, source vocabulary 9 and target vocabulary 7
// (9 when the embeddings are shared): every parameter can be checked by finite differences.
ModelConfig tiny_transformer_config(bool norm_first, bool share_embeddings, bool tie_output);

// Lesson 11's GPT shrunk to d_model 8, 2 heads, d_ff 12, 2 blocks, 6 positions, over a
// vocabulary of 9: every parameter can be checked by finite differences.
ModelConfig tiny_gpt_config();
// Lesson 12's BERT shrunk the same way (d_model 8, 2 heads, d_ff 12, 2 layers, 6
// positions, vocabulary 9).
ModelConfig tiny_bert_config();

// Lesson 09's model for `task`, shrunk to d_model 16, 2 heads, d_ff 32, 1 + 1 layers.
ModelConfig tiny_task_config(const Task& task);

// n examples of `task` from a generator seeded with `seed` (repeats allowed).
std::vector<Example> sample_examples(const Task& task, std::uint64_t seed, std::size_t n);

// −Σ log softmax(logits)[i, targets[i]] over the rows whose target is not <pad> (id 0),
// and how many rows that was; dlogits (when given) = softmax − one-hot on those rows, 0
// elsewhere, not divided by the count. Written here so that the model tests do not
// depend on the training code.
struct TargetLoss {
    double sum = 0.0;
    double count = 0.0;
};
TargetLoss target_loss(const arma::mat& logits, const TokenIds& targets, arma::mat* dlogits);

// A copy of every parameter's gradient, in ParamList order.
std::vector<arma::mat> gradient_copies(const ParamList& params);

}  // namespace tfm::test
