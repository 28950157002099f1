// The ViT as a whole: patchify → patch embedding → lesson 06's encoder → [CLS] classifier.
#include "model/vit.hpp"

#include "core/error.hpp"
#include "nn/param_gradcheck.hpp"
#include "ops/patchify.hpp"
#include "ops/softmax.hpp"
#include "train/cross_entropy.hpp"

#include "support/catch.hpp"

#include <algorithm>

using namespace tfm;

namespace {

VitConfig tiny() {
    VitConfig c;
    c.image_side = 4;
    c.patch = 2;  // 4 patches of 4 pixels
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.layers = 2;
    c.classes = 3;
    return c;
}

}  // namespace

TEST_CASE("a ViT's parameters: names and shapes agree, the encoder is lesson 06's pre-LN stack",
          "[vit]") {
    Vit vit(VitConfig{});
    const ParamList params = vit.params();
    test::check_shapes_match(params, Vit::shapes(VitConfig{}));
    CHECK(params.front().name == "patch_embed.proj.weight");
    CHECK(params.back().name == "head.bias");
    CHECK(vit.encoder.has_final_norm);
    CHECK(VitConfig{}.num_patches() == 16);
    CHECK(VitConfig{}.patch_pixels() == 16);
    VitConfig bad;
    bad.patch = 5;
    CHECK_THROWS_AS(Vit(bad), InputError);
}

TEST_CASE("a batch of images gives each image's own logits", "[vit]") {
    Vit vit(tiny());
    const std::vector<arma::mat> images = {arma::randu(4, 4), arma::randu(4, 4), arma::randu(4, 4)};
    const arma::mat batch = vit.forward_images(images);
    REQUIRE(batch.n_rows == 3);
    for (std::size_t b = 0; b < images.size(); ++b)
        CHECK(arma::approx_equal(vit.forward_images({images[b]}), batch.row(b), "absdiff", 1e-12));
    // The [CLS] attention is a distribution over itself and the 4 patches.
    const arma::rowvec a = vit.cls_attention(1, 0);
    CHECK(a.n_elem == 5);
    CHECK(arma::accu(a) == Approx(1.0).epsilon(1e-12));
    CHECK_THROWS_AS(vit.forward_images({arma::randu(5, 4)}), InputError);
}

TEST_CASE("ViT backward matches central differences for every parameter and the patches",
          "[vit][gradcheck]") {
    Vit vit(tiny());
    arma::mat patches = arma::randn(2 * 4, 4);  // two images
    const TokenIds labels = {2, 0};
    // The training loss itself: cross-entropy of the [CLS] logits.
    const auto loss = [&] { return cross_entropy(vit.forward(patches, 2), labels, 3).total; };
    vit.zero_grad();
    const CrossEntropy ce = cross_entropy(vit.forward(patches, 2), labels, 3);
    const arma::mat dpatches = vit.backward(ce.dlogits);
    for (const Param& p : vit.params()) {
        const test::GradError e = test::gradient_error(*p.grad, test::numeric_grad(loss, *p.value));
        INFO(p.name << ": " << e.kind << " error " << e.error);
        CHECK(e.error <= std::min(e.limit, 1e-7));
    }
    const test::GradError e = test::gradient_error(dpatches, test::numeric_grad(loss, patches));
    INFO("dpatches: " << e.kind << " error " << e.error);
    CHECK(e.error <= std::min(e.limit, 1e-7));
}

TEST_CASE("the encoder of a ViT reads any rows of d_model numbers", "[vit]") {
    Vit vit(tiny());
    const arma::mat words = arma::randn(5, 8);
    const arma::mat h = vit.encode(words);
    CHECK(h.n_rows == 5);
    CHECK(h.n_cols == 8);
    CHECK(arma::approx_equal(h, vit.encoder.forward(words), "absdiff", 0.0));
    CHECK_THROWS_AS(vit.encode(arma::randn(5, 7)), InputError);
}
