// The full encoder–decoder model against the same model built from PyTorch's parts
// (nn.Embedding × √d_model + sinusoidal PE, nn.TransformerEncoder/Decoder with 2 layers,
// nn.Linear generator), float64: source 7 ids ending in two <pad>, target prefix 5 ids
// ending in one <pad>, vocabularies 11 and 13. Post-LN ReLU and pre-LN GELU; and post-LN
// ReLU with one shared 13-token table for source, target and generator (its gradient is
// the sum of the three uses, which PyTorch's autograd sums for a shared Parameter).
#include "model/transformer.hpp"
#include "reference/fixture.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

TEST_CASE("the full model's memory, decoder output and logits match PyTorch",
          "[reference][transformer]") {
    const std::string name = GENERATE(from_range(kTransformerFixtures));
    INFO("fixture " << name);
    Fixture f(name);
    Transformer model(f.model_config());
    load_fixture_model(f, model);
    const arma::mat logits = model.forward(f.ids("src_ids"), f.ids("tgt_ids"));
    check_close("memory", model.memory_, f.npy("memory"), kForwardTolerance);
    check_close("decoder_output", model.decoder_out_, f.npy("decoder_output"), kForwardTolerance);
    check_close("logits", logits, f.npy("logits"), kForwardTolerance);
}

TEST_CASE(
    "the full model's backward from dL/dlogits matches PyTorch for every parameter, "
    "embeddings included",
    "[reference][transformer][backward]") {
    const std::string name = GENERATE(from_range(kTransformerFixtures));
    INFO("fixture " << name);
    Fixture f(name);
    Transformer model(f.model_config());
    const ParamList params = load_fixture_model(f, model);
    model.zero_grad();
    model.forward(f.ids("src_ids"), f.ids("tgt_ids"));
    // dL/dlogits of PyTorch's mean cross-entropy (ignore_index = <pad>): this isolates the
    // model's backward from the loss, which has its own test.
    model.backward(f.npy("grad_logits"));
    check_param_grads(f, params);
}
