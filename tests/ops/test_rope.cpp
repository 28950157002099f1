#include "core/error.hpp"
#include "ops/rope.hpp"
#include "support/gradcheck.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("RoPE rotates each pair by position times its frequency, worked by hand", "[rope]") {
    // d_k = 4: θ = [1, 1/100]. Row 0 is at position 0 (no rotation), row 1 at position 1.
    const arma::mat x = {{1.0, 2.0, 3.0, 4.0}, {1.0, 2.0, 3.0, 4.0}};
    const double c1 = std::cos(1.0), s1 = std::sin(1.0), c2 = std::cos(0.01), s2 = std::sin(0.01);
    // Interleaved pairs (0,1), (2,3); half-split pairs (0,2), (1,3).
    const arma::mat interleaved = {
        {1.0, 2.0, 3.0, 4.0}, {1 * c1 - 2 * s1, 1 * s1 + 2 * c1, 3 * c2 - 4 * s2, 3 * s2 + 4 * c2}};
    const arma::mat half_split = {
        {1.0, 2.0, 3.0, 4.0}, {1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 1 * s1 + 3 * c1, 2 * s2 + 4 * c2}};
    CHECK(
        arma::approx_equal(rope_rotate(x, RopeLayout::interleaved), interleaved, "absdiff", 1e-15));
    CHECK(arma::approx_equal(rope_rotate(x, RopeLayout::half_split), half_split, "absdiff", 1e-15));
    // first_position shifts every row.
    CHECK(arma::approx_equal(rope_rotate(x.row(0), RopeLayout::interleaved, 1), interleaved.row(1),
                             "absdiff", 1e-15));
}

TEST_CASE("RoPE keeps lengths, and its inverse undoes it", "[rope]") {
    const arma::mat x = arma::randn(9, 8);
    for (RopeLayout layout : {RopeLayout::interleaved, RopeLayout::half_split}) {
        const arma::mat y = rope_rotate(x, layout, 3);
        CHECK(arma::approx_equal(arma::sqrt(arma::sum(arma::square(y), 1)),
                                 arma::sqrt(arma::sum(arma::square(x), 1)), "absdiff", 1e-13));
        CHECK(arma::approx_equal(rope_rotate(y, layout, 3, true), x, "absdiff", 1e-14));
    }
}

TEST_CASE("RoPE: q_m · k_n depends only on m − n, to 1e-12", "[rope]") {
    const arma::uword d_k = 8, positions = 24;
    const arma::rowvec q = arma::randn<arma::rowvec>(d_k), k = arma::randn<arma::rowvec>(d_k);
    for (RopeLayout layout : {RopeLayout::interleaved, RopeLayout::half_split}) {
        // Row m of Q is q at position m, row n of K is k at position n.
        const arma::mat qs = rope_rotate(arma::repmat(q, positions, 1), layout);
        const arma::mat ks = rope_rotate(arma::repmat(k, positions, 1), layout);
        const arma::mat dots = qs * ks.t();
        double deviation = 0.0;
        for (arma::uword m = 0; m < positions; ++m)
            for (arma::uword n = 0; n < positions; ++n) {
                // The same offset m − n with the key at position 0 (or the query at 0).
                const double reference = m >= n ? dots(m - n, 0) : dots(0, n - m);
                deviation = std::max(deviation, std::abs(dots(m, n) - reference));
            }
        INFO(to_string(layout) << ": max deviation along diagonals " << deviation);
        CHECK(deviation <= 1e-12);
        // The dot products do change with the offset: the property is not vacuous.
        CHECK(std::abs(dots(0, 0) - dots(5, 0)) > 1e-3);
    }
}

TEST_CASE("RoPE's backward is the inverse rotation (central differences)",
          "[rope][backward][gradcheck]") {
    for (RopeLayout layout : {RopeLayout::interleaved, RopeLayout::half_split}) {
        arma::mat x = arma::randn(6, 8);
        const arma::mat g = arma::randn(6, 8);
        const auto loss = [&] { return arma::accu(rope_rotate(x, layout, 2) % g); };
        const arma::mat analytic = rope_rotate(g, layout, 2, true);
        const double error = test::relative_error(analytic, test::numeric_grad(loss, x));
        INFO(to_string(layout) << ": relative error " << error);
        CHECK(error <= 1e-7);
    }
}

TEST_CASE("the layout permutation takes interleaved pairs to half-split pairs", "[rope]") {
    const std::vector<arma::uword> expected = {0, 2, 4, 6, 1, 3, 5, 7};
    CHECK(rope_layout_permutation(8) == expected);
    // Permuting the columns of an interleaved rotation gives the half-split rotation.
    const arma::mat x = arma::randn(7, 8);
    const arma::uvec p = arma::conv_to<arma::uvec>::from(expected);
    const arma::mat a = rope_rotate(x, RopeLayout::interleaved, 1);
    const arma::mat b = rope_rotate(arma::mat(x.cols(p)), RopeLayout::half_split, 1);
    CHECK(arma::approx_equal(arma::mat(a.cols(p)), b, "absdiff", 1e-15));
    // Without it the two layouts differ.
    CHECK(arma::abs(a - rope_rotate(x, RopeLayout::half_split, 1)).max() > 1e-2);
}

TEST_CASE("RoPE refuses an odd width and an unknown layout", "[rope]") {
    CHECK_THROWS_AS(rope_rotate(arma::mat(2, 3, arma::fill::ones), RopeLayout::interleaved),
                    InputError);
    CHECK_THROWS_AS(rope_layout("rotate-half"), InputError);
    CHECK(rope_layout("half-split") == RopeLayout::half_split);
    CHECK(to_string(RopeLayout::interleaved) == "interleaved");
}
