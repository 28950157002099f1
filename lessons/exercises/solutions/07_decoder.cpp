// Reference solution for lesson 07: the course's DecoderLayer (src/nn/decoder_layer.hpp).
#include "exercises.hpp"

#include "nn/decoder_layer.hpp"

namespace ex {

arma::mat decoder_layer(tfm::DecoderLayer& layer, const arma::mat& y, const arma::mat& memory,
                        const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask) {
    return layer.forward(y, memory, tgt_mask, memory_mask);
}

}  // namespace ex
