// Heat maps and the SVG writer under them: one cell per entry, labels and axes, the
// elided middle of a large matrix, escaping, and a document that an XML reader takes.
#include "draw/heatmap.hpp"

#include "draw/svg.hpp"

#include <string>

#include "lessons/run_lesson.hpp"
#include "support/catch.hpp"

TEST_CASE("the SVG writer escapes attributes and text and closes what it opens", "[svg]") {
    tfm::Svg svg(100, 50, "test", {{"data-x", "a\"b"}});
    svg.open("g", {{"class", "series"}});
    svg.add("text", {{"x", "1"}}, "Q·Kᵀ < 1 & \"quoted\"");
    svg.close("g");
    svg.add("rect", {{"width", "3"}});
    const std::string doc = svg.document();
    CHECK(doc.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0) == 0);
    CHECK(doc.find("data-x=\"a&quot;b\"") != std::string::npos);
    CHECK(doc.find(">Q·Kᵀ &lt; 1 &amp; &quot;quoted&quot;</text>") != std::string::npos);
    CHECK(doc.find("<rect width=\"3\"/>") != std::string::npos);
    CHECK(doc.substr(doc.size() - 7) == "</svg>\n");
    CHECK(svg.element().rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(tfm::svg_number(12.5) == "12.5");
    CHECK(tfm::svg_number(3.0) == "3");
    CHECK(tfm::svg_number(-0.001) == "0");
}

TEST_CASE("a heat map has one cell per entry, labels on both axes and a legend", "[svg]") {
    const arma::mat w = {{0.9, 0.1, 0.0}, {0.2, 0.3, 0.5}};
    tfm::HeatMap map;
    map.name = "weights";
    map.note = "rows sum to 1";
    map.row_labels = {"the", "cat"};
    map.col_labels = {"the", "cat", "<pad>"};
    map.row_axis = "query";
    map.col_axis = "key";
    const std::string svg = tfm::svg_heatmap(w, map).document();
    CHECK(tfm::test::occurrences(svg, "class=\"cell\"") == 6);
    CHECK(svg.find("data-rows=\"2\" data-cols=\"3\"") != std::string::npos);
    CHECK(svg.find("data-shape=\"2 × 3\"") != std::string::npos);
    CHECK(svg.find(">weights [2 × 3]</text>") != std::string::npos);
    CHECK(svg.find(">key →</text>") != std::string::npos);
    CHECK(svg.find(">← query</text>") != std::string::npos);
    CHECK(svg.find(">&lt;pad&gt;</text>") != std::string::npos);  // labels escaped
    CHECK(svg.find("<title>cat → &lt;pad&gt;: 0.5000</title>") != std::string::npos);
    CHECK(svg.find("class=\"legend\"") != std::string::npos);
    // Every cell's colour is the scale's colour of its value.
    CHECK(svg.find("fill=\"" + tfm::hex(tfm::sequential_colour(0.9)) + "\"") != std::string::npos);
    CHECK(svg.find("fill=\"" + tfm::hex(tfm::sequential_colour(0.0)) + "\"") != std::string::npos);
}

TEST_CASE("a large matrix shows its first and last rows and columns around a gap", "[svg]") {
    const arma::mat m(100, 70, arma::fill::randn);
    tfm::HeatMap map;
    map.name = "big";
    map.scale = tfm::Scale::diverging;
    map.max_shown = 10;
    const std::string svg = tfm::svg_heatmap(m, map).document();
    CHECK(tfm::test::occurrences(svg, "class=\"cell\"") == 100);
    CHECK(svg.find("data-rows=\"10\" data-cols=\"10\"") != std::string::npos);
    CHECK(svg.find("data-shape=\"100 × 70\"") != std::string::npos);
    CHECK(svg.find(">r99</text>") != std::string::npos);
    CHECK(svg.find(">r50</text>") == std::string::npos);
    CHECK(svg.find(">…</text>") != std::string::npos);
    // The diverging legend runs from −max|x| to +max|x|.
    const double limit = tfm::colour_limit(m);
    CHECK(limit == arma::abs(m).max());
}

TEST_CASE("elided_indices keeps the first and last halves, -1 for the gap", "[svg]") {
    CHECK(tfm::elided_indices(3, 5) == std::vector<long>{0, 1, 2});
    CHECK(tfm::elided_indices(10, 4) == std::vector<long>{0, 1, -1, 8, 9});
    CHECK(tfm::elided_indices(10, 5) == std::vector<long>{0, 1, 2, -1, 8, 9});
}
