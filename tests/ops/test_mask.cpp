#include "core/error.hpp"
#include "ops/mask.hpp"

#include "support/catch.hpp"

using namespace tfm;

namespace {

bool same(const Mask& a, const Mask& b) {
    return a.n_rows == b.n_rows && a.n_cols == b.n_cols && arma::all(arma::vectorise(a == b));
}

}  // namespace

TEST_CASE("causal mask blocks exactly the keys after each query", "[mask]") {
    const Mask expected = {{0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 0}};
    const Mask m = causal_mask(4);
    INFO("causal\n" << m);
    CHECK(same(m, expected));
}

TEST_CASE("padding mask blocks the padded keys for every query", "[mask]") {
    const Mask expected = {{0, 0, 1, 0, 1}, {0, 0, 1, 0, 1}};
    const Mask m = padding_mask(2, {false, false, true, false, true});
    INFO("padding\n" << m);
    CHECK(same(m, expected));
}

TEST_CASE("combined masks block what either blocks; empty blocks nothing", "[mask]") {
    const Mask causal = causal_mask(3);
    const Mask pad = padding_mask(3, {false, true, false});
    const Mask expected = {{0, 1, 1}, {0, 1, 1}, {0, 1, 0}};
    CHECK(same(combine_masks(causal, pad), expected));
    CHECK(same(combine_masks(Mask(), pad), pad));
    CHECK(same(combine_masks(causal, Mask()), causal));
    CHECK_THROWS_AS(combine_masks(causal_mask(3), causal_mask(4)), InputError);
}

TEST_CASE("make_mask builds the lessons' masks by name", "[mask]") {
    CHECK(make_mask("none", 3, 4).is_empty());
    // Rectangular causal (cross-shapes): still blocks j > i.
    const Mask rect = {{0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}};
    CHECK(same(make_mask("causal", 3, 4), rect));
    CHECK(same(make_mask("padding", 2, 3, {false, false, true}),
               padding_mask(2, {false, false, true})));
    CHECK(same(make_mask("padding", 2, 3), Mask(2, 3, arma::fill::zeros)));
    CHECK_THROWS_AS(make_mask("padding", 2, 3, {true, false}), InputError);
    CHECK_THROWS_AS(make_mask("future", 2, 2), InputError);
}

TEST_CASE("a batch's key padding is one row per sequence, stretched to every query of it",
          "[mask][batch]") {
    // Two sequences of three keys: the second ends in one <pad>.
    const Mask rows = padding_rows({false, false, false, false, false, true}, 2);
    CHECK(same(rows, Mask{{0, 0, 0}, {0, 0, 1}}));
    const Mask stacked = key_padding_mask(rows, 2);  // two queries per sequence
    CHECK(same(stacked, Mask{{0, 0, 0}, {0, 0, 0}, {0, 0, 1}, {0, 0, 1}}));
    CHECK(same(stacked.rows(2, 3), padding_mask(2, {false, false, true})));

    CHECK(padding_rows({false, false, false, false}, 2).is_empty());  // nothing is padding
    CHECK(key_padding_mask(Mask(), 5).is_empty());
    CHECK_THROWS_AS(padding_rows({false, false, true}, 2), InputError);  // 3 keys, 2 sequences
}
