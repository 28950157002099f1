#include "train/digit_images.hpp"

#include "core/error.hpp"

#include "support/catch.hpp"

#include <cmath>
#include <set>

using namespace tfm;

TEST_CASE("the font has a 7 × 5 glyph for each digit, and no two are alike", "[digits]") {
    std::set<std::vector<std::string>> seen;
    for (arma::uword d = 0; d < kDigitClasses; ++d) {
        const std::vector<std::string>& g = digit_glyph(d);
        REQUIRE(g.size() == kFontRows);
        for (const std::string& row : g) CHECK(row.size() == kFontCols);
        seen.insert(g);
    }
    CHECK(seen.size() == kDigitClasses);
    CHECK_THROWS_AS(digit_glyph(10), InputError);
}

TEST_CASE("a digit image is a function of its id: 16 × 16 in [0, 1], labelled id mod 10",
          "[digits]") {
    for (std::uint64_t id : {0ull, 7ull, 123456789ull, 0xfedcba9876543210ull}) {
        const DigitImage a = digit_image(id), b = digit_image(id);
        INFO("id " << id);
        CHECK(a.label == id % 10);
        CHECK(a.pixels.n_rows == kImageSide);
        CHECK(a.pixels.n_cols == kImageSide);
        CHECK(a.pixels.min() >= 0.0);
        CHECK(a.pixels.max() <= 1.0);
        CHECK(arma::approx_equal(a.pixels, b.pixels, "absdiff", 0.0));
        // There is ink: the strokes are brighter than the noise around them.
        CHECK(arma::accu(a.pixels > 0.6) >= 10);
    }
    // Different ids, different images (shift, stroke and noise are drawn anew).
    CHECK(arma::abs(digit_image(17).pixels - digit_image(27).pixels).max() > 0.1);
}

TEST_CASE("the glyph stays inside the image whatever the draw", "[digits]") {
    // The ink spans offset − scale·lean … offset + scale·(cells + lean) across (the slant
    // and the stroke lean it out) and offset − scale·stroke … offset + scale·(7 + stroke)
    // down: inside 0 … 16 for every draw, so no stroke is cut off.
    for (std::uint64_t id = 0; id < 500; ++id) {
        const DigitStyle s = digit_image(id).style;
        INFO("id " << id);
        const double lean = std::abs(s.shear) * kFontRows / 2.0 + s.stroke;
        CHECK(s.offset_x - s.scale_x * lean >= -1e-9);
        CHECK(s.offset_y - s.scale_y * s.stroke >= -1e-9);
        CHECK(s.offset_x + s.scale_x * (kFontCols + lean) <= kImageSide + 1e-9);
        CHECK(s.offset_y + s.scale_y * (kFontRows + s.stroke) <= kImageSide + 1e-9);
    }
}

TEST_CASE("the held-out set is deterministic per seed, balanced, and disjoint from training",
          "[digits]") {
    const DigitHeldOut a = digit_held_out(kDigitHeldOutSeed, 20),
                       b = digit_held_out(kDigitHeldOutSeed, 20), c = digit_held_out(99, 20);
    CHECK(a.ids == b.ids);
    CHECK(a.ids != c.ids);
    CHECK(a.size() == 200);
    for (arma::uword d = 0; d < kDigitClasses; ++d)
        for (std::uint64_t id : a.ids[d]) CHECK(id % 10 == d);
    // Training streams: deterministic per seed, labels all ten, never a held-out id.
    DigitStream s1(42, a), s2(42, a);
    std::set<arma::uword> labels;
    std::vector<arma::mat> held;
    for (std::uint64_t id : a.ids[3]) held.push_back(digit_image(id).pixels);
    for (int i = 0; i < 500; ++i) {
        const std::uint64_t id = s1.next();
        CHECK(id == s2.next());
        CHECK(!a.contains(id));
        labels.insert(id % 10);
        if (id % 10 == 3)  // and no training image equals a held-out one, pixel for pixel
            for (const arma::mat& h : held)
                CHECK(arma::abs(digit_image(id).pixels - h).max() > 0.0);
    }
    CHECK(labels.size() == 10);
    // A held-out id offered to the stream is skipped: the stream is built to avoid them.
    DigitHeldOut all_of_first;
    DigitStream probe(42, a);
    const std::uint64_t first = probe.next();
    all_of_first.all.insert(first);
    DigitStream skipping(42, all_of_first);
    CHECK(skipping.next() != first);
}
