#include "support/stack_config.hpp"

namespace tfm::test {

ModelConfig small_stack_config(bool norm_first, Activation activation, arma::uword layers) {
    return layer_config(8, 2, 12, layers, norm_first, activation);
}

}  // namespace tfm::test
