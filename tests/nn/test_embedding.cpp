#include "core/error.hpp"
#include "nn/embedding.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("embedding looks up rows of E, worked by hand", "[embedding]") {
    Embedding embed(4, 3);
    embed.weight = {{0.0, 0.1, 0.2}, {1.0, 1.1, 1.2}, {2.0, 2.1, 2.2}, {3.0, 3.1, 3.2}};
    const arma::mat expected = {{2.0, 2.1, 2.2}, {0.0, 0.1, 0.2}, {2.0, 2.1, 2.2}};
    const arma::mat x = embed.forward({2, 0, 2});
    INFO("x\n" << x);
    CHECK(arma::approx_equal(x, expected, "absdiff", 0.0));
}

TEST_CASE("one_hot(ids) times E equals the lookup", "[embedding]") {
    Embedding embed(7, 5);
    const TokenIds ids = {3, 0, 6, 3};
    const arma::mat hot = one_hot(ids, 7);
    CHECK(arma::size(hot) == arma::size(4, 7));
    CHECK(arma::approx_equal(arma::sum(hot, 1), arma::colvec(4, arma::fill::ones), "absdiff", 0.0));
    CHECK(hot(2, 6) == 1.0);
    const arma::mat product = hot * embed.weight;
    const arma::mat lookup = embed.forward(ids);
    INFO("one_hot · E\n" << product << "lookup\n" << lookup);
    CHECK(arma::approx_equal(product, lookup, "absdiff", 0.0));
}

TEST_CASE("embedding rejects an id outside the vocabulary", "[embedding]") {
    Embedding embed(4, 3);
    CHECK_THROWS_AS(embed.forward({1, 4}), InputError);
    CHECK_THROWS_AS(one_hot({5}, 4), InputError);
}

TEST_CASE("embedding params and shapes agree", "[embedding][params]") {
    Embedding embed(6, 4);
    ParamList params;
    embed.params("src_embed.", params);
    ShapeList shapes;
    Embedding::shapes("src_embed.", 6, 4, shapes);
    test::check_shapes_match(params, shapes);
    CHECK(params[0].name == "src_embed.weight");
}

TEST_CASE("embedding backward touches only the looked-up rows", "[embedding][backward]") {
    Embedding embed(6, 3);
    embed.forward({4, 1, 4});
    const arma::mat dy = {{1.0, 2.0, 3.0}, {10.0, 20.0, 30.0}, {100.0, 200.0, 300.0}};
    embed.backward(dy);
    // Row 4 was looked up twice: it collects rows 0 and 2 of dy.
    arma::mat expected(6, 3, arma::fill::zeros);
    expected.row(4) = arma::rowvec{101.0, 202.0, 303.0};
    expected.row(1) = arma::rowvec{10.0, 20.0, 30.0};
    INFO("weight_grad\n" << embed.weight_grad);
    CHECK(arma::approx_equal(embed.weight_grad, expected, "absdiff", 0.0));
}

TEST_CASE("embedding backward matches central differences", "[embedding][backward][gradcheck]") {
    Embedding embed(6, 3);
    const TokenIds ids = {5, 2, 5, 0};
    const arma::mat g = arma::randn(4, 3);
    const auto loss = [&] { return arma::accu(embed.forward(ids) % g); };
    embed.forward(ids);
    embed.backward(g);
    embed.backward(g);  // accumulates: the gradient is now 2·dL/dE
    embed.weight_grad /= 2.0;
    ParamList params;
    embed.params("", params);
    test::check_param_grads(params, loss);
}
