// The two colour scales: their published end points, their order, the terminal's nearest
// colours and the text colour that reads on each cell.
#include "draw/colour.hpp"

#include <cmath>
#include <limits>

#include "support/catch.hpp"

namespace {
double luminance(tfm::Rgb c) {  // perceived brightness, enough to order colours
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}
}  // namespace

TEST_CASE("the sequential scale is viridis, dark at 0 and bright at 1", "[colour]") {
    CHECK(tfm::hex(tfm::sequential_colour(0.0)) == "#440154");  // matplotlib's viridis ends
    CHECK(tfm::hex(tfm::sequential_colour(1.0)) == "#fde725");
    CHECK(tfm::hex(tfm::sequential_colour(0.5)) == "#21918c");
    // Values outside [0, 1] clamp to the ends; brightness rises all the way.
    CHECK(tfm::hex(tfm::sequential_colour(-3)) == "#440154");
    CHECK(tfm::hex(tfm::sequential_colour(7)) == "#fde725");
    for (int i = 0; i < 20; ++i)
        CHECK(luminance(tfm::sequential_colour(i / 20.0)) <
              luminance(tfm::sequential_colour((i + 1) / 20.0)));
}

TEST_CASE("the diverging scale is RdBu: blue below 0, near-white at 0, red above", "[colour]") {
    CHECK(tfm::hex(tfm::diverging_colour(-1.0)) == "#053061");
    CHECK(tfm::hex(tfm::diverging_colour(0.0)) == "#f7f7f7");
    CHECK(tfm::hex(tfm::diverging_colour(1.0)) == "#67001f");
    const tfm::Rgb neg = tfm::diverging_colour(-0.6), pos = tfm::diverging_colour(0.6);
    CHECK(neg.b > neg.r);
    CHECK(pos.r > pos.b);
    // Darker the further from 0, on both sides.
    CHECK(luminance(tfm::diverging_colour(-0.9)) < luminance(tfm::diverging_colour(-0.3)));
    CHECK(luminance(tfm::diverging_colour(0.9)) < luminance(tfm::diverging_colour(0.3)));
}

TEST_CASE("scale_colour reads diverging values against the matrix's largest |x|", "[colour]") {
    using tfm::Scale;
    CHECK(tfm::hex(tfm::scale_colour(Scale::diverging, -4.0, 4.0)) == "#053061");
    CHECK(tfm::hex(tfm::scale_colour(Scale::diverging, 2.0, 2.0)) == "#67001f");
    CHECK(tfm::hex(tfm::scale_colour(Scale::diverging, 0.0, 0.0)) == "#f7f7f7");
    CHECK(tfm::hex(tfm::scale_colour(Scale::sequential, 1.0, 123.0)) == "#fde725");
    // A blocked score is no colour of either scale.
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(tfm::hex(tfm::scale_colour(Scale::diverging, -inf, 3.0)) == "#808080");
    CHECK(tfm::hex(tfm::scale_colour(Scale::sequential, std::nan(""), 1.0)) == "#808080");
}

TEST_CASE("text on a cell is black on light colours and white on dark ones", "[colour]") {
    CHECK(tfm::text_colour_on(tfm::sequential_colour(0.0)).r == 255);  // dark purple
    CHECK(tfm::text_colour_on(tfm::sequential_colour(1.0)).r == 0);    // yellow
    CHECK(tfm::text_colour_on(tfm::diverging_colour(0.0)).r == 0);     // near-white
    CHECK(tfm::text_colour_on(tfm::diverging_colour(-1.0)).r == 255);  // deep blue
}

TEST_CASE("the terminal gets the nearest of its 256 colours", "[colour]") {
    CHECK(tfm::xterm256({0, 0, 0}) == 16);
    CHECK(tfm::xterm256({255, 255, 255}) == 231);
    CHECK(tfm::xterm256({255, 0, 0}) == 196);
    CHECK(tfm::xterm256({0, 0, 255}) == 21);
    CHECK(tfm::xterm256({128, 128, 128}) == 244);  // a grey of the ramp: 8 + 10·12 = 128
    CHECK(tfm::xterm256({95, 135, 175}) == 16 + 36 * 1 + 6 * 2 + 3);
}
