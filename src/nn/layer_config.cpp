#include "nn/layer_config.hpp"

#include "core/error.hpp"

#include <string>

namespace tfm {

void LayerConfig::validate() const {
    require(d_model >= 1, "d_model must be at least 1");
    require(num_heads >= 1, "the number of heads must be at least 1");
    require(d_model % num_heads == 0, "d_model " + std::to_string(d_model) +
                                          " is not divisible by " + std::to_string(num_heads) +
                                          " heads");
    require(d_ff >= 1, "d_ff must be at least 1");
}

}  // namespace tfm
