// The training loss against PyTorch's F.cross_entropy(logits, targets, ignore_index=<pad>)
// — mean over the targets that are not <pad> — plain and with label_smoothing = 0.1, on
// the full model's fixture logits; then the whole chain: our model's logits → our loss →
// our backward gives PyTorch's gradient for every parameter.
#include "model/transformer.hpp"
#include "reference/fixture.hpp"
#include "train/cross_entropy.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

TEST_CASE(
    "cross-entropy ignoring <pad> matches PyTorch's mean loss and dL/dlogits, with and "
    "without label smoothing",
    "[reference][loss]") {
    const std::string name = GENERATE(from_range(kTransformerFixtures));
    INFO("fixture " << name);
    Fixture f(name);
    const arma::mat logits = f.npy("logits");
    const TokenIds targets = f.ids("targets");
    const arma::uword pad = f.integer("pad_id");

    const CrossEntropy plain = cross_entropy(logits, targets, pad, 0.0);
    CHECK(plain.count == 4);  // five targets, the last is <pad>
    check_close("loss", arma::mat{plain.mean()}, arma::mat{f.scalar("loss")}, kForwardTolerance);
    // The mean divides by the count: so does its gradient.
    check_close("grad_logits", plain.dlogits / double(plain.count), f.npy("grad_logits"),
                kGradientTolerance);

    const double eps = f.number("label_smoothing");
    const CrossEntropy smoothed = cross_entropy(logits, targets, pad, eps);
    check_close("loss_smoothed", arma::mat{smoothed.mean()}, arma::mat{f.scalar("loss_smoothed")},
                kForwardTolerance);
    check_close("grad_logits_smoothed", smoothed.dlogits / double(smoothed.count),
                f.npy("grad_logits_smoothed"), kGradientTolerance);
}

TEST_CASE("the full model's loss and its gradient for every parameter match PyTorch end to end",
          "[reference][loss][transformer][backward]") {
    const std::string name = GENERATE(from_range(kTransformerFixtures));
    INFO("fixture " << name);
    Fixture f(name);
    Transformer model(f.model_config());
    const ParamList params = load_fixture_model(f, model);
    model.zero_grad();
    const arma::mat logits = model.forward(f.ids("src_ids"), f.ids("tgt_ids"));
    const CrossEntropy loss = cross_entropy(logits, f.ids("targets"), model.pad_id, 0.0);
    check_close("loss", arma::mat{loss.mean()}, arma::mat{f.scalar("loss")}, kForwardTolerance);
    model.backward(loss.dlogits / double(loss.count));
    check_param_grads(f, params);
}
