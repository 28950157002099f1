#include "core/error.hpp"
#include "ops/patchify.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("patchify of a 4 × 4 image into 2 × 2 patches, worked by hand", "[patchify]") {
    // Pixel (y, x) holds 10·y + x:            patches, row by row:
    //    0  1 |  2  3                          p0 = ( 0,  1, 10, 11)
    //   10 11 | 12 13                          p1 = ( 2,  3, 12, 13)
    //   ------+------                          p2 = (20, 21, 30, 31)
    //   20 21 | 22 23                          p3 = (22, 23, 32, 33)
    //   30 31 | 32 33
    arma::mat image(4, 4);
    for (arma::uword y = 0; y < 4; ++y)
        for (arma::uword x = 0; x < 4; ++x) image(y, x) = 10.0 * y + x;
    const arma::mat want = {{0, 1, 10, 11}, {2, 3, 12, 13}, {20, 21, 30, 31}, {22, 23, 32, 33}};
    const arma::mat got = patchify(image, 2);
    INFO("got\n" << got);
    CHECK(arma::approx_equal(got, want, "absdiff", 0.0));
}

TEST_CASE(
    "patchify: N = (H/p)·(W/p) rows of p² pixels, and unpatchify reassembles the image "
    "exactly",
    "[patchify]") {
    for (arma::uword p : {1, 2, 3, 6}) {
        const arma::mat image = arma::randu(12, 18);  // not square: rows and columns differ
        const arma::mat patches = patchify(image, p);
        INFO("p = " << p);
        CHECK(patches.n_rows == (12 / p) * (18 / p));
        CHECK(patches.n_cols == p * p);
        CHECK(arma::approx_equal(unpatchify(patches, 12, 18, p), image, "absdiff", 0.0));
        // The patches tile the image: together they hold every pixel once.
        CHECK(arma::accu(patches) == Approx(arma::accu(image)).epsilon(1e-14));
    }
    // p = the image: one patch, the image read row by row.
    const arma::mat image = arma::randu(4, 4);
    CHECK(arma::approx_equal(patchify(image, 4), arma::mat(arma::vectorise(image.t()).t()),
                             "absdiff", 0.0));
}

TEST_CASE("patchify refuses patches that do not tile the image", "[patchify]") {
    CHECK_THROWS_AS(patchify(arma::mat(16, 16), 5), InputError);
    CHECK_THROWS_AS(patchify(arma::mat(16, 16), 0), InputError);
    CHECK_THROWS_AS(unpatchify(arma::mat(15, 16), 16, 16, 4), InputError);
}
