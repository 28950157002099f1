#include "nn/layer_config.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <string>

namespace tfm {

void LayerConfig::validate() const {
    require(d_model >= 1, [&] { return tr("d_model must be at least 1"); });
    require(num_heads >= 1, [&] { return tr("the number of heads must be at least 1"); });
    require(d_model % num_heads == 0,
            [&] { return tr("d_model {1} is not divisible by {2} heads", d_model, num_heads); });
    require(d_ff >= 1, [&] { return tr("d_ff must be at least 1"); });
}

}  // namespace tfm
