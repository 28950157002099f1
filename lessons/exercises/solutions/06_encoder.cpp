// Reference solution for lesson 06: the course's EncoderLayer (src/nn/encoder_layer.hpp).
#include "exercises.hpp"

#include "nn/encoder_layer.hpp"

namespace ex {

arma::mat encoder_layer(tfm::EncoderLayer& layer, const arma::mat& x, const tfm::Mask& mask) {
    return layer.forward(x, mask);
}

}  // namespace ex
