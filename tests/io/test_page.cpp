// The web page of a lesson: its parts, escaping, and the printer's calls on it.
#include "io/page.hpp"

#include "draw/colour.hpp"
#include "io/printer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lessons/run_lesson.hpp"
#include "support/catch.hpp"

namespace {
std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("a page has its title, command and links, and escapes what it is given", "[page]") {
    tfm::Page page("Lesson 03: Q·Kᵀ < scores", "build/lessons/03_attention --text 'a & b'",
                   {{"source", "../lessons/03_attention.cpp"}});
    page.heading("1. Q, K, V");
    page.paragraph("first line\nsecond <line>\n\nnew paragraph");
    page.block("<figure>x</figure>\n");
    const std::string html = page.html();
    CHECK(html.rfind("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"", 0) == 0);
    CHECK(html.find("<title>Lesson 03: Q·Kᵀ &lt; scores</title>") != std::string::npos);
    CHECK(html.find("<pre class=\"command\">$ build/lessons/03_attention --text &#39;a &amp; "
                    "b&#39;</pre>") != std::string::npos);
    CHECK(html.find("<a href=\"../lessons/03_attention.cpp\">source</a>") != std::string::npos);
    CHECK(html.find("<h2 id=\"section-1\">1. Q, K, V</h2>") != std::string::npos);
    CHECK(html.find("<p>first line<br/>second &lt;line&gt;</p>\n<p>new paragraph</p>") !=
          std::string::npos);
    CHECK(html.find("<figure>x</figure>") != std::string::npos);
    // Offline: nothing is fetched from anywhere.
    std::string rest = html;
    rest.erase(rest.find("http://www.w3.org/1999/xhtml"), 28);  // the namespace, a name only
    CHECK(rest.find("http") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("with --out and --html the printer draws shaded tensors and plots and fills the page",
          "[page]") {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / "tfm_test_page_outputs";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    tfm::PrintOptions options;
    options.outputs = std::make_shared<tfm::Outputs>();
    options.outputs->picture_dir = dir.string();
    options.outputs->page_path = (dir / "page.html").string();
    options.outputs->page.emplace("title", "command", std::vector<tfm::PageLink>{});
    std::FILE* sink = std::tmpfile();
    REQUIRE(sink != nullptr);
    {
        tfm::Printer p(options, sink);
        p.heading("Weights");
        p.say("Some narration.");
        p.tensor("weights", {{0.5, 0.5}, {1.0, 0.0}}, {{"a", "b"}, {"a", "b"}}, "rows sum to 1",
                 tfm::Shade::weights);
        p.tensor("plain", {{1.0, -1.0}});  // no shade: a table on the page, no picture
        p.integers("mask", {{0, 1}, {0, 0}}, {}, "1 = blocked", tfm::Shade::weights);
        const arma::vec x = {0, 1, 2};
        p.plot("curve", {{"line", 'o', x, x}}, {});
        p.table({"name", "value"}, {{"a", "1"}});
        p.draw("head1", {{0.25, 0.75}}, {}, "not printed");  // drawn and dumped, not shown
    }
    std::rewind(sink);
    std::string screen;
    for (int ch; (ch = std::fgetc(sink)) != EOF;) screen += static_cast<char>(ch);
    std::fclose(sink);
    CHECK(screen.find("head1") == std::string::npos);
    CHECK(std::filesystem::exists(dir / "head1.svg"));
    CHECK(std::filesystem::exists(dir / "weights.svg"));
    CHECK(std::filesystem::exists(dir / "mask.svg"));
    CHECK(std::filesystem::exists(dir / "curve.svg"));
    CHECK_FALSE(std::filesystem::exists(dir / "plain.svg"));
    CHECK(options.outputs->written ==
          std::vector<std::string>{"weights.svg", "mask.svg", "curve.svg", "head1.svg"});
    CHECK(slurp((dir / "mask.svg").string()).find(">1</text>") !=
          std::string::npos);                                 // whole numbers
    CHECK_FALSE(std::filesystem::exists(dir / "page.html"));  // written at the end only
    const std::string said = options.outputs->finish();
    CHECK(said.find("Wrote 4 pictures to " + dir.string()) == 0);
    const std::string html = slurp((dir / "page.html").string());
    CHECK(tfm::test::occurrences(html, "<svg ") == 4);
    CHECK(tfm::test::occurrences(html, "<figure class=\"tensor\"") == 3);
    CHECK(html.find("<p>Some narration.</p>") != std::string::npos);
    CHECK(html.find("<table class=\"plain\">") != std::string::npos);
    CHECK(html.find("style=\"background:" + tfm::hex(tfm::sequential_colour(1.0))) !=
          std::string::npos);
    std::filesystem::remove_all(dir);
}
