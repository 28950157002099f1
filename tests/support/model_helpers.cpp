#include "support/model_helpers.hpp"

#include "model/bert.hpp"
#include "model/gpt.hpp"
#include "ops/softmax.hpp"
#include "train/trainer.hpp"

#include <cmath>

namespace tfm::test {

ModelConfig tiny_transformer_config(bool norm_first, bool share_embeddings, bool tie_output) {
    ModelConfig c;
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.encoder_layers = 2;
    c.decoder_layers = 2;
    c.src_vocab_size = 9;
    c.tgt_vocab_size = share_embeddings ? 9 : 7;
    c.norm_first = norm_first;
    c.share_embeddings = share_embeddings;
    c.tie_output = tie_output;
    return c;
}

ModelConfig tiny_gpt_config() {
    ModelConfig c = gpt_lesson_config(9);
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.decoder_layers = 2;
    c.max_positions = 6;
    return c;
}

ModelConfig tiny_bert_config() {
    ModelConfig c = bert_lesson_config(9);
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.encoder_layers = 2;
    c.max_positions = 6;
    return c;
}

ModelConfig tiny_task_config(const Task& task) {
    ModelConfig c = task_model_config(task);
    c.d_model = 16;
    c.num_heads = 2;
    c.d_ff = 32;
    c.encoder_layers = 1;
    c.decoder_layers = 1;
    return c;
}

std::vector<Example> sample_examples(const Task& task, std::uint64_t seed, std::size_t n) {
    TaskRng rng(seed);
    std::vector<Example> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(task.sample(rng));
    return out;
}

TargetLoss target_loss(const arma::mat& logits, const TokenIds& targets, arma::mat* dlogits) {
    const arma::mat probs = softmax_rows(logits);
    TargetLoss loss;
    if (dlogits) dlogits->zeros(arma::size(logits));
    for (arma::uword i = 0; i < targets.size(); ++i) {
        if (targets[i] == 0) continue;
        loss.count += 1.0;
        loss.sum -= std::log(probs(i, targets[i]));
        if (dlogits) {
            dlogits->row(i) = probs.row(i);
            (*dlogits)(i, targets[i]) -= 1.0;
        }
    }
    return loss;
}

std::vector<arma::mat> gradient_copies(const ParamList& params) {
    std::vector<arma::mat> out;
    for (const Param& p : params) out.push_back(*p.grad);
    return out;
}

}  // namespace tfm::test
