// Reference solutions for lesson 03: the course's own softmax, attention and masks
// (src/ops/softmax.hpp, src/ops/attention.hpp, src/ops/mask.hpp).
#include "exercises.hpp"

#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"

namespace ex {

arma::mat softmax_rows(const arma::mat& scores, const tfm::Mask& mask) {
    return tfm::softmax_rows(scores, mask);
}

arma::mat scaled_dot_product_attention(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                       const tfm::Mask& mask) {
    return tfm::scaled_dot_product_attention(q, k, v, mask).output;
}

tfm::Mask causal_mask(arma::uword n) { return tfm::causal_mask(n); }

tfm::Mask padding_mask(arma::uword n_q, const std::vector<bool>& key_is_pad) {
    return tfm::padding_mask(n_q, key_is_pad);
}

arma::mat softmax_rows_backward(const arma::mat& weights, const arma::mat& dweights) {
    return tfm::softmax_rows_backward(weights, dweights);
}

}  // namespace ex
