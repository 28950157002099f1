// Reference solution for lesson 13: the course's RoPE (src/ops/rope.hpp) on q and k, then
// its attention (src/ops/attention.hpp).
#include "exercises.hpp"

#include "ops/attention.hpp"
#include "ops/rope.hpp"

namespace ex {

arma::mat rope_attention(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                         bool half_split) {
    const tfm::RopeLayout layout =
        half_split ? tfm::RopeLayout::half_split : tfm::RopeLayout::interleaved;
    return tfm::scaled_dot_product_attention(tfm::rope_rotate(q, layout),
                                             tfm::rope_rotate(k, layout), v)
        .output;
}

}  // namespace ex
