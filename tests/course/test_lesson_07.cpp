#include "core/random.hpp"
#include "course/lesson_07.hpp"
#include "ops/mask.hpp"
#include "support/stack_config.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::course;
using namespace tfm::test;

namespace {

constexpr arma::uword n_tgt = 5, n_src = 4;

}  // namespace

TEST_CASE(
    "measure_causality reports exactly 0 before the changed row and leaves the decoder untouched",
    "[course][decoder]") {
    const ModelConfig config = small_stack_config(false, Activation::relu, 2);
    Decoder decoder(config, config.decoder_layers);
    const arma::mat memory = normal(n_src, config.d_model);
    const arma::mat y = normal(n_tgt, config.d_model);
    decoder.forward(y, memory, causal_mask(n_tgt));
    const arma::mat cached = decoder.layers[1].output_;
    arma::mat changed = y;
    changed.row(2) += 1.0;
    const CausalityGap gap = measure_causality(decoder, y, changed, memory, 2);
    CHECK(gap.earlier_rows == 0.0);
    CHECK(gap.later_rows > 1e-3);
    CHECK(arma::approx_equal(decoder.layers[1].output_, cached, "absdiff", 0.0));
}
