// The two layers a ViT adds to the course's encoder: the patch embedding (a Linear, the
// [CLS] row, the position rows) and the classifier on the [CLS] row. Gradient checks hold
// to 1e-7 (the course's kGradTolerance is 1e-6).
#include "core/error.hpp"
#include "nn/class_head.hpp"
#include "nn/param_gradcheck.hpp"
#include "nn/patch_embedding.hpp"

#include "support/catch.hpp"

#include <algorithm>

using namespace tfm;

namespace {

constexpr double kTight = 1e-7;

void check_tight(const std::string& what, const arma::mat& analytic, const arma::mat& numeric) {
    const test::GradError e = test::gradient_error(analytic, numeric);
    INFO(what << ": " << e.kind << " error " << e.error);
    CHECK(e.error <= std::min(e.limit, kTight));
}

}  // namespace

TEST_CASE("patch embedding: [CLS] first, then patches · Wᵀ + b, plus one position row each",
          "[patch_embedding]") {
    PatchEmbedding embed(4, 3, 5);                // patches of 4 pixels, 3 per image, d_model 5
    const arma::mat patches = arma::randu(6, 4);  // two images
    const arma::mat x = embed.forward(patches, 2);
    REQUIRE(x.n_rows == 8);
    REQUIRE(x.n_cols == 5);
    for (arma::uword b = 0; b < 2; ++b) {
        const arma::mat e = patches.rows(3 * b, 3 * b + 2) * embed.proj.weight.t();
        arma::mat want(4, 5);
        want.row(0) = embed.cls_token;
        want.rows(1, 3) = e.each_row() + embed.proj.bias;
        want += embed.pos_embed;
        CHECK(arma::approx_equal(x.rows(4 * b, 4 * b + 3), want, "absdiff", 1e-15));
    }
    CHECK_THROWS_AS(embed.forward(arma::randu(5, 4), 2), InputError);
    ParamList params;
    embed.params("patch_embed.", params);
    ShapeList shapes;
    PatchEmbedding::shapes("patch_embed.", 4, 3, 5, shapes);
    test::check_shapes_match(params, shapes);
    CHECK(params[2].name == "patch_embed.cls_token");
    CHECK(params[3].name == "patch_embed.pos_embed");
}

TEST_CASE("patch embedding backward matches central differences, [CLS] and positions included",
          "[patch_embedding][gradcheck]") {
    PatchEmbedding embed(4, 3, 5);
    arma::mat patches = arma::randn(6, 4);
    const arma::mat g = arma::randn(8, 5);
    const auto loss = [&] { return arma::accu(embed.forward(patches, 2) % g); };
    embed.forward(patches, 2);
    embed.zero_grad();
    const arma::mat dpatches = embed.backward(g);
    ParamList params;
    embed.params("", params);
    for (const Param& p : params) check_tight(p.name, *p.grad, test::numeric_grad(loss, *p.value));
    check_tight("dpatches", dpatches, test::numeric_grad(loss, patches));
}

TEST_CASE("the class head reads row 0 of each sequence only", "[class_head]") {
    ClassHead head(5, 3);
    const arma::mat h = arma::randn(8, 5);  // two sequences of 4 rows
    const arma::mat logits = head.forward(h, 2);
    REQUIRE(logits.n_rows == 2);
    const arma::mat want = arma::join_cols(h.row(0), h.row(4)) * head.linear.weight.t();
    CHECK(arma::approx_equal(logits, want.each_row() + head.linear.bias, "absdiff", 1e-15));
    arma::mat other = h;
    other.rows(1, 3).randn();
    CHECK(arma::approx_equal(head.forward(other, 2), logits, "absdiff", 0.0));
    ParamList params;
    head.params("head.", params);
    ShapeList shapes;
    ClassHead::shapes("head.", 5, 3, shapes);
    test::check_shapes_match(params, shapes);
}

TEST_CASE("class head backward matches central differences and leaves the other rows 0",
          "[class_head][gradcheck]") {
    ClassHead head(5, 3);
    arma::mat h = arma::randn(8, 5);
    const arma::mat g = arma::randn(2, 3);
    const auto loss = [&] { return arma::accu(head.forward(h, 2) % g); };
    head.forward(h, 2);
    head.zero_grad();
    const arma::mat dh = head.backward(g);
    ParamList params;
    head.params("", params);
    for (const Param& p : params) check_tight(p.name, *p.grad, test::numeric_grad(loss, *p.value));
    check_tight("dh", dh, test::numeric_grad(loss, h));
    CHECK(arma::accu(arma::abs(dh.rows(1, 3))) == 0.0);
}
