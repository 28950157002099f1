// Parameters drawn by name (draw_params): the course's one running example rests on a
// tensor's values depending only on --seed, its canonical name and its shape.
#include "core/params.hpp"
#include "core/random.hpp"
#include "nn/embedding.hpp"
#include "nn/layer_norm.hpp"
#include "nn/linear.hpp"

#include <cmath>
#include "support/catch.hpp"

namespace {

tfm::ParamList linear_params(tfm::Linear& layer, const std::string& prefix) {
    tfm::ParamList params;
    layer.params(prefix, params);
    return params;
}

}  // namespace

TEST_CASE("draw_params matches an independent SplitMix64 + FNV-1a computation", "[params]") {
    // The six entries of a [2 × 3] weight drawn under seed 42 by name, computed by hand in
    // Python from the same definitions: state = FNV-1a("42/NAME/2x3"), SplitMix64 steps,
    // u = (bits >> 11)·2⁻⁵³, w = (2u − 1)·√(6/(3 + 2)) (Xavier for in 3, out 2).
    tfm::Linear layer(3, 2);
    draw_params(linear_params(layer, "encoder.layers.0.self_attn.wq."), 42);
    const arma::mat expected = {{-1.0878918754758178, -0.9217793297844863, 0.6633563507245376},
                                {0.9116723681001767, -0.05209486298201121, -0.681574697611878}};
    INFO(layer.weight);
    CHECK(arma::approx_equal(layer.weight, expected, "absdiff", 1e-15));
}

TEST_CASE("a parameter's values depend on seed, name and shape only, not on what was drawn before",
          "[params]") {
    tfm::set_seed(1);
    tfm::Linear first(8, 8), other(5, 7);
    tfm::ParamList a = linear_params(first, "wq.");
    tfm::set_seed(999);  // the global generator's state must not matter
    tfm::Linear second(8, 8);
    tfm::ParamList b = linear_params(second, "layers.0.self_attn.wq.");
    draw_params(linear_params(other, "x."), 42);  // something else drawn in between
    draw_params(a, 42, {{"", "encoder.layers.0.self_attn."}});
    draw_params(b, 42, {{"", "encoder."}});
    CHECK(arma::approx_equal(first.weight, second.weight, "absdiff", 0.0));
    CHECK(arma::approx_equal(first.bias, second.bias, "absdiff", 0.0));

    tfm::Linear key(8, 8), reseeded(8, 8);
    draw_params(linear_params(key, "encoder.layers.0.self_attn.wk."), 42);
    draw_params(linear_params(reseeded, "encoder.layers.0.self_attn.wq."), 7);
    CHECK(arma::abs(key.weight - first.weight).max() > 0.1);       // another name
    CHECK(arma::abs(reseeded.weight - first.weight).max() > 0.1);  // another seed
}

TEST_CASE(
    "each module states its initialisation: Xavier weights, nn.Linear biases, N(0, 1/d) "
    "embeddings, LayerNorm 1 and 0",
    "[params]") {
    tfm::Linear layer(200, 300);
    draw_params(linear_params(layer, "l."), 3);
    const double xavier = std::sqrt(6.0 / 500.0), bias = 1.0 / std::sqrt(200.0);
    CHECK(arma::abs(layer.weight).max() <= xavier);
    CHECK(arma::abs(layer.bias).max() <= bias);
    // Uniform on ±b has variance b²/3; 60,000 entries pin it to about 1%.
    CHECK(arma::var(arma::vectorise(layer.weight), 1) ==
          Approx(xavier * xavier / 3.0).epsilon(0.03));
    CHECK(std::fabs(arma::mean(arma::vectorise(layer.weight))) < 0.01 * xavier);

    tfm::Embedding embed(1000, 64);
    tfm::ParamList e;
    embed.params("src_embed.", e);
    draw_params(e, 3);
    CHECK(arma::var(arma::vectorise(embed.weight), 1) == Approx(1.0 / 64.0).epsilon(0.03));
    CHECK(std::fabs(arma::mean(arma::vectorise(embed.weight))) < 0.005);

    tfm::LayerNorm norm(6);
    norm.weight.fill(3.0);
    norm.bias.fill(-2.0);
    tfm::ParamList n;
    norm.params("norm.", n);
    draw_params(n, 3);
    CHECK(arma::all(arma::vectorise(norm.weight) == 1.0));
    CHECK(arma::all(arma::vectorise(norm.bias) == 0.0));
}

TEST_CASE("canonical_name replaces the first matching prefix", "[params]") {
    const tfm::NameMap ffn = {{"norm.", "encoder.layers.0.norm2."}, {"", "encoder.layers.0.ffn."}};
    CHECK(tfm::canonical_name("norm.weight", ffn) == "encoder.layers.0.norm2.weight");
    CHECK(tfm::canonical_name("linear1.bias", ffn) == "encoder.layers.0.ffn.linear1.bias");
    CHECK(tfm::canonical_name("wq.weight", {}) == "wq.weight");
}

TEST_CASE("the named generator's normals have mean 0 and variance 1", "[params]") {
    tfm::NamedGenerator gen(5, "n", 1, 1);
    double sum = 0, sum_sq = 0;
    const int count = 200000;
    for (int i = 0; i < count; ++i) {
        const double x = gen.normal();
        sum += x;
        sum_sq += x * x;
    }
    CHECK(std::fabs(sum / count) < 0.01);
    CHECK(sum_sq / count == Approx(1.0).epsilon(0.01));
}
