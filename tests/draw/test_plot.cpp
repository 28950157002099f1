#include "draw/plot.hpp"

#include "core/error.hpp"
#include "io/printer.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include "support/catch.hpp"

namespace {
std::vector<tfm::Series> two_lines() {
    // o: y = x on x = 0 … 9;  x: y = 9 − x.
    const arma::vec x = arma::regspace<arma::vec>(0.0, 9.0);
    return {{"rising", 'o', x, x}, {"falling", 'x', x, 9.0 - x}};
}
}  // namespace

TEST_CASE("nice ticks are round numbers covering the range", "[plot]") {
    const std::vector<double> t = tfm::nice_ticks(0.0, 49.0, 5);
    // raw step 12.25 → 20: 0, 20, 40.
    REQUIRE(t.size() == 3);
    CHECK(t[0] == 0.0);
    CHECK(t[1] == 20.0);
    CHECK(t[2] == 40.0);
    const std::vector<double> n = tfm::nice_ticks(-7.3, 1.2, 5);
    // raw step 2.125 → 5: −5, 0.
    REQUIRE(n.size() == 2);
    CHECK(n[0] == Approx(-5.0));
    CHECK(n[1] == Approx(0.0).margin(1e-12));
}

TEST_CASE("the text plot puts each series' marker at its corners and a legend below", "[plot]") {
    tfm::PlotOptions options;
    options.width = 10;
    options.height = 10;
    const std::string plot = tfm::text_plot(two_lines(), options);
    INFO(plot);
    std::istringstream lines(plot);
    std::string first, line, last_grid_line;
    std::getline(lines, first);
    // Top row: the rising line ends at the right (x = 9, y = 9), the falling one starts at
    // the left.
    CHECK(first.find('x') < first.find('o'));
    CHECK(first.find('x') != std::string::npos);
    CHECK(plot.find("legend:  o rising  x falling") != std::string::npos);
    // The lines cross between x = 4 and x = 5 (y = 4.5): no shared cell, so no '*'.
    CHECK(plot.find('*') == std::string::npos);
    CHECK(plot.find('\033') == std::string::npos);  // no colour unless asked
}

TEST_CASE(
    "the text plot keeps every series visible where series share cells, and colours only when "
    "asked",
    "[plot]") {
    // Two identical series: every cell is shared, and each gets some of them in turn.
    const arma::vec x = arma::regspace<arma::vec>(0.0, 9.0);
    std::vector<tfm::Series> same{{"a", 'a', x, x}, {"b", 'b', x, x}};
    tfm::PlotOptions options;
    const std::string plain = tfm::text_plot(same, options);
    const std::string body = plain.substr(0, plain.find("legend:"));
    INFO(plain);
    CHECK(body.find('a') != std::string::npos);
    CHECK(body.find('b') != std::string::npos);
    CHECK(plain.find('*') == std::string::npos);
    CHECK(plain.find("where series meet") != std::string::npos);
    options.color = true;
    CHECK(tfm::text_plot(two_lines(), options).find("\033[") != std::string::npos);
}

TEST_CASE("the text plot's legend wraps at the plot's width", "[plot]") {
    const arma::vec x{0.0, 1.0};
    std::vector<tfm::Series> many;
    for (char c : std::string("abcdef")) many.push_back({std::string(12, c), c, x, x + (c - 'a')});
    tfm::PlotOptions options;
    options.width = 40;
    std::istringstream lines(tfm::text_plot(many, options));
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(tfm::display_width(line) <= 60);
    }
}

TEST_CASE("plots skip points that are not finite and reject an empty plot", "[plot]") {
    const arma::vec x{0.0, 1.0, 2.0};
    const arma::vec y{1.0, -INFINITY, 2.0};
    tfm::PlotOptions options;
    CHECK_NOTHROW(tfm::text_plot({{"gap", 'g', x, y}}, options));
    const arma::vec none{-INFINITY, NAN, INFINITY};
    CHECK_THROWS_AS(tfm::text_plot({{"none", 'n', x, none}}, options), tfm::InputError);
    CHECK_THROWS_AS(tfm::text_plot({{"bad", 'b', x, arma::vec{1.0}}}, options), tfm::InputError);
}

TEST_CASE("the SVG is one well-formed document with a polyline per series", "[plot]") {
    tfm::PlotOptions options;
    options.title = "a & b <test>";
    const std::string svg = tfm::svg_plot(two_lines(), options);
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
    CHECK(svg.find("a &amp; b &lt;test&gt;") != std::string::npos);
    CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
    std::size_t polylines = 0;
    for (std::size_t at = svg.find("<polyline"); at != std::string::npos;
         at = svg.find("<polyline", at + 1))
        ++polylines;
    CHECK(polylines == 2);
}

TEST_CASE("CSV has a header and reads back exactly", "[plot]") {
    const arma::mat m{{1.0, 0.1}, {2.0, 1.0 / 3.0}};
    const std::string text = tfm::csv({"t", "value"}, m);
    std::istringstream in(text);
    std::string header, row;
    std::getline(in, header);
    CHECK(header == "t,value");
    std::getline(in, row);
    std::getline(in, row);
    CHECK(std::stod(row.substr(row.find(',') + 1)) == 1.0 / 3.0);
    CHECK_THROWS_AS(tfm::csv({"only one"}, m), tfm::InputError);
}
