// Reference solutions for lesson 11: the course's causal-LM loss (src/train/lm.hpp) and
// one sampling step (src/decode/sampling.hpp).
#include "exercises.hpp"

#include "decode/sampling.hpp"
#include "train/lm.hpp"

namespace ex {

double causal_lm_loss(const arma::mat& logits, const tfm::TokenIds& window) {
    const tfm::LmExample e = tfm::shift_for_lm(window);
    const tfm::CrossEntropy ce = tfm::cross_entropy(logits, e.target, tfm::Vocab::pad);
    return ce.count > 0 ? ce.total / static_cast<double>(ce.count) : 0.0;
}

arma::uword generation_step(tfm::Gpt& model, const tfm::TokenIds& ids, double temperature,
                            double u) {
    tfm::SamplingOptions options;
    options.temperature = temperature;
    const arma::mat logits = model.forward(ids);
    return tfm::draw_token(tfm::sampling_distribution(logits.tail_rows(1), options), u);
}

}  // namespace ex
