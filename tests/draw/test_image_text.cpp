#include "draw/image_text.hpp"

#include "core/text_width.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("an image in block characters: two columns a pixel, five shades", "[image_text]") {
    CHECK(pixel_shade(0.0) == "  ");
    CHECK(pixel_shade(0.25) == "░░");
    CHECK(pixel_shade(0.5) == "▒▒");
    CHECK(pixel_shade(0.7) == "▓▓");
    CHECK(pixel_shade(1.0) == "██");
    const arma::mat image = {{0, 1, 0, 1}, {1, 0, 1, 0}};
    const std::vector<std::string> plain = image_lines(image);
    REQUIRE(plain.size() == 2);
    CHECK(plain[0] == "  ██  ██");
    // With a grid every 2 pixels: a │ between patch columns, a rule between patch rows.
    const arma::mat four(4, 4, arma::fill::zeros);
    const std::vector<std::string> grid = image_lines(four, 2);
    REQUIRE(grid.size() == 5);
    CHECK(grid[2] == "────┼────");
    CHECK(grid[0] == "    │    ");
}

TEST_CASE("panels side by side under their titles, padded to one width", "[image_text]") {
    const std::vector<std::string> lines =
        side_by_side({{"ab", "cd"}, {"x"}}, {"first", "second"}, 2);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "first  second");
    CHECK(lines[1] == "ab     x");
    CHECK(lines[2] == "cd");
    CHECK(display_width(side_by_side({{"██"}}, {"é"})[1]) == 2);
}
