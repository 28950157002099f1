// The printer: header line, labels, precision, elision, -inf, shading, and the dump that
// every printed tensor leaves behind.
#include "support/catch.hpp"

#include "draw/colour.hpp"
#include "io/npy.hpp"
#include "io/printer.hpp"
#include "lessons/run_lesson.hpp"

#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

namespace {

// Runs `print` against a Printer writing into a temporary file; returns what it wrote.
template <typename F>
std::string printed(const tfm::PrintOptions& options, F print) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    tfm::Printer p(options, f);
    print(p);
    std::string text;
    std::rewind(f);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    return text;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE(
    "a tensor prints as NAME [r × c], the note, column labels, then one labelled line per row",
    "[printer]") {
    const arma::mat m = {{1.0, -0.5}, {0.25, 2.0}, {3.0, 4.0}};
    const std::string text = printed({}, [&](tfm::Printer& p) {
        p.tensor("Q", m, {{"the", "cat", "sat"}, {}}, "one row per token");
    });
    INFO(text);
    const auto lines = lines_of(text);
    REQUIRE(lines.size() >= 5);
    CHECK(lines[0] == "Q [3 × 2]  one row per token");
    CHECK(lines[1].find("c0") != std::string::npos);
    CHECK(lines[1].find("c1") != std::string::npos);
    CHECK(lines[2].rfind("the", 0) == 0);
    CHECK(lines[2].find("1.0000") != std::string::npos);
    CHECK(lines[2].find("-0.5000") != std::string::npos);
    CHECK(lines[4].rfind("sat", 0) == 0);
    CHECK(lines[4].find("4.0000") != std::string::npos);
}

TEST_CASE("rows without labels are r0, r1, … and columns follow the labels given", "[printer]") {
    const std::string text = printed({}, [](tfm::Printer& p) {
        p.tensor("M", arma::mat(2, 2, arma::fill::zeros), {{}, {"x", "y"}});
    });
    INFO(text);
    const auto lines = lines_of(text);
    CHECK(lines[1].find('x') != std::string::npos);
    CHECK(lines[2].rfind("r0", 0) == 0);
    CHECK(lines[3].rfind("r1", 0) == 0);
}

TEST_CASE("columns line up: every value ends at the same column as its label", "[printer]") {
    const arma::mat m = {{1.0, -123.5}, {-0.25, 2.0}};
    const std::string text = printed({}, [&](tfm::Printer& p) { p.tensor("A", m); });
    const auto lines = lines_of(text);
    INFO(text);
    CHECK(lines[1].size() == lines[2].size());
    CHECK(lines[2].size() == lines[3].size());
}

TEST_CASE("precision sets the digits after the point", "[printer]") {
    tfm::PrintOptions options;
    options.precision = 2;
    const std::string text = printed(options, [](tfm::Printer& p) {
        p.tensor("x", arma::mat(1, 1, arma::fill::value(3.14159)));
    });
    CHECK(text.find("3.14") != std::string::npos);
    CHECK(text.find("3.142") == std::string::npos);
    CHECK(tfm::format_number(2.5, 0) == "2");
    CHECK(tfm::format_number(-1.0, 3) == "-1.000");
}

TEST_CASE(
    "-inf prints as -inf, a value that rounds to zero without a sign, huge values in e-notation",
    "[printer]") {
    CHECK(tfm::format_number(-std::numeric_limits<double>::infinity(), 4) == "-inf");
    CHECK(tfm::format_number(std::numeric_limits<double>::infinity(), 4) == "inf");
    CHECK(tfm::format_number(std::nan(""), 4) == "nan");
    CHECK(tfm::format_number(-0.00001, 4) == "0.0000");
    CHECK(tfm::format_number(1.234e9, 4) == "1.234e+09");
    arma::mat scores = {{0.5, 1.0}, {0.25, 0.75}};
    scores(0, 1) = -std::numeric_limits<double>::infinity();
    const std::string text = printed({}, [&](tfm::Printer& p) { p.tensor("scores", scores); });
    INFO(text);
    CHECK(text.find("-inf") != std::string::npos);
}

TEST_CASE("a matrix larger than max_rows × max_cols shows its first and last halves around …",
          "[printer]") {
    arma::mat m(20, 30);
    for (arma::uword r = 0; r < m.n_rows; ++r)
        for (arma::uword c = 0; c < m.n_cols; ++c) m(r, c) = 100.0 * r + c;
    tfm::PrintOptions options;
    options.max_rows = 4;
    options.max_cols = 4;
    options.precision = 0;
    const std::string text = printed(options, [&](tfm::Printer& p) { p.tensor("big", m); });
    INFO(text);
    const auto lines = lines_of(text);
    CHECK(lines[0] == "big [20 × 30]");
    // header, column labels, rows 0 1 … 18 19, blank line
    REQUIRE(lines.size() == 2 + 5 + 1);
    CHECK(lines[1].find("c1") != std::string::npos);
    CHECK(lines[1].find("c28") != std::string::npos);
    CHECK(lines[1].find("c2 ") == std::string::npos);
    CHECK(lines[1].find("…") != std::string::npos);
    CHECK(lines[2].rfind("r0", 0) == 0);
    CHECK(lines[3].rfind("r1", 0) == 0);
    CHECK(lines[4].rfind("…", 0) == 0);
    CHECK(lines[5].rfind("r18", 0) == 0);
    CHECK(lines[6].rfind("r19", 0) == 0);
    CHECK(lines[6].find("1929") != std::string::npos);  // m(19, 29)
    CHECK(lines[6].find("1915") == std::string::npos);  // a middle column stays hidden
}

TEST_CASE("a tensor printed with a dump folder is also written to DIR/NAME.npy, dots and all",
          "[printer]") {
    tfm::PrintOptions options;
    options.dump_dir = tfm::test::temp_dir("printer");
    const arma::mat g = arma::randn(3, 5);
    const arma::rowvec b = arma::randn<arma::rowvec>(4);
    printed(options, [&](tfm::Printer& p) {
        p.tensor("grad.wq.weight", g);
        p.vector("bias", b);
        p.dump("hidden", g.t());
    });
    const arma::mat g_back = tfm::load_npy(options.dump_dir + "/grad.wq.weight.npy");
    CHECK(arma::approx_equal(g_back, g, "absdiff", 0.0));
    const arma::mat b_back = tfm::load_npy(options.dump_dir + "/bias.npy");
    CHECK(arma::approx_equal(b_back, arma::mat(b), "absdiff", 0.0));
    CHECK(tfm::load_npy(options.dump_dir + "/hidden.npy").n_rows == 5);
}

TEST_CASE("without a dump folder nothing is written", "[printer]") {
    const std::string dir = tfm::test::temp_dir("printer");
    const auto before = std::filesystem::current_path();
    std::filesystem::current_path(dir);
    printed({}, [](tfm::Printer& p) { p.tensor("Q", arma::mat(2, 2, arma::fill::ones)); });
    std::filesystem::current_path(before);
    CHECK(std::filesystem::is_empty(dir));
}

TEST_CASE("a vector prints as NAME [n] with its labels above its values", "[printer]") {
    const std::string text = printed({}, [](tfm::Printer& p) {
        p.vector("mean", arma::rowvec{0.5, -1.0, 2.0}, {"the", "cat", "sat"}, "per token");
    });
    INFO(text);
    const auto lines = lines_of(text);
    CHECK(lines[0] == "mean [3]  per token");
    CHECK(lines[1].find("cat") != std::string::npos);
    CHECK(lines[2].find("-1.0000") != std::string::npos);
}

TEST_CASE("heat shading and bold appear only when colour is on", "[printer]") {
    const arma::mat w = {{0.1, 0.9}, {0.5, 0.5}};
    const std::string plain = printed({}, [&](tfm::Printer& p) {
        p.heading("Weights");
        p.tensor("weights", w, {}, "", tfm::Shade::weights);
    });
    CHECK(plain.find('\033') == std::string::npos);
    tfm::PrintOptions options;
    options.color = true;
    const std::string colored = printed(options, [&](tfm::Printer& p) {
        p.heading("Weights");
        p.tensor("weights", w, {}, "", tfm::Shade::weights);
    });
    INFO(colored);
    CHECK(colored.find("\033[1m── Weights ──") != std::string::npos);
    CHECK(colored.find("\033[48;5;") != std::string::npos);
    // Different values get different backgrounds: 0.1 is darker than 0.9.
    const std::size_t low = colored.find("0.1000");
    const std::size_t high = colored.find("0.9000");
    REQUIRE(low != std::string::npos);
    REQUIRE(high != std::string::npos);
    const std::string low_bg = colored.substr(colored.rfind("\033[48;5;", low), 12);
    const std::string high_bg = colored.substr(colored.rfind("\033[48;5;", high), 12);
    CHECK(low_bg != high_bg);
    const std::string unshaded = printed(options, [&](tfm::Printer& p) { p.tensor("weights", w); });
    CHECK(unshaded.find("\033[48;5;") == std::string::npos);
}

TEST_CASE("say wraps narration at 88 columns and quiet silences it", "[printer]") {
    std::string long_text;
    for (int i = 0; i < 60; ++i) long_text += "word" + std::to_string(i) + " ";
    const std::string text = printed({}, [&](tfm::Printer& p) { p.say(long_text); });
    const auto lines = lines_of(text);
    CHECK(lines.size() > 3);
    for (const auto& line : lines) CHECK(line.size() <= 88);
    CHECK(text.find("word0 word1") != std::string::npos);
    CHECK(text.find("word59") != std::string::npos);

    tfm::PrintOptions quiet;
    quiet.quiet = true;
    const std::string silent = printed(quiet, [&](tfm::Printer& p) {
        p.say(long_text);
        p.heading("Heading");
        p.tensor("Q", arma::mat(1, 1, arma::fill::zeros));
    });
    CHECK(silent.find("word") == std::string::npos);
    CHECK(silent.find("Heading") == std::string::npos);
    CHECK(silent.find("Q [1 × 1]") != std::string::npos);
}

TEST_CASE("a table aligns its columns under a rule", "[printer]") {
    const std::string text = printed({}, [](tfm::Printer& p) {
        p.table({"heads", "d_k", "multiply-adds"}, {{"1", "64", "1000"}, {"16", "4", "20"}});
    });
    INFO(text);
    const auto lines = lines_of(text);
    REQUIRE(lines.size() >= 4);
    CHECK(lines[1].find("─") == 0);
    CHECK(lines[2].size() == lines[3].size());
    CHECK(lines[2].find("1000") ==
          lines[0].find("multiply-adds") + std::string("multiply-adds").size() - 4);
}

TEST_CASE("CJK row labels take two columns each, so values still line up", "[printer]") {
    const std::string text = printed({}, [](tfm::Printer& p) {
        p.tensor("X", arma::mat(2, 1, arma::fill::ones), {{"注意", "a"}, {}});
    });
    INFO(text);
    const auto lines = lines_of(text);
    // "注意" is 6 bytes but 4 columns: 2 bytes more than the padded "a" line.
    CHECK(lines[2].size() == lines[3].size() + 2);
}

TEST_CASE("without --max-cols a matrix shows as many columns as fit the screen width",
          "[printer]") {
    const arma::mat wide(3, 60, arma::fill::value(0.5));
    for (int width : {40, 60, 100, 200}) {
        tfm::PrintOptions options;
        options.width = width;
        const std::string text = printed(options, [&](tfm::Printer& p) { p.tensor("W", wide); });
        INFO("width " << width << ":\n" << text);
        for (const std::string& line : lines_of(text))
            CHECK(tfm::display_width(line) <= static_cast<std::size_t>(width));
        CHECK(text.find("…") !=
              std::string::npos);  // 60 columns never fit, so the middle is elided
    }
    tfm::PrintOptions narrow;
    narrow.width = 40;
    narrow.max_cols = 12;  // --max-cols overrides the screen
    const std::string forced = printed(narrow, [&](tfm::Printer& p) { p.tensor("W", wide); });
    CHECK(lines_of(forced)[1].find("c59") != std::string::npos);
    CHECK(tfm::display_width(lines_of(forced)[1]) > 40);
    const arma::mat small(2, 5, arma::fill::ones);
    tfm::PrintOptions plenty;
    plenty.width = 100;
    const std::string all = printed(plenty, [&](tfm::Printer& p) { p.tensor("S", small); });
    CHECK(all.find("…") == std::string::npos);
}

TEST_CASE("a shaded tensor carries a legend line in the colours of its scale", "[printer]") {
    tfm::PrintOptions options;
    options.color = true;
    const std::string signed_values = printed(options, [&](tfm::Printer& p) {
        p.tensor("scores", {{-2.0, 1.0}, {0.5, 0.0}}, {}, "", tfm::Shade::signed_values);
    });
    INFO(signed_values);
    // The diverging legend runs from −max|x| to +max|x|, and −2 is the deepest blue.
    CHECK(signed_values.find("shades:") != std::string::npos);
    CHECK(signed_values.find(" -2.00 ") != std::string::npos);
    CHECK(signed_values.find(" 2.00 ") != std::string::npos);
    const std::string blue =
        "\033[48;5;" + std::to_string(tfm::xterm256(tfm::diverging_colour(-1.0))) + "m";
    CHECK(signed_values.find(blue) != std::string::npos);
    const std::string weights = printed(options, [&](tfm::Printer& p) {
        p.tensor("weights", {{0.0, 1.0}}, {}, "", tfm::Shade::weights);
    });
    CHECK(weights.find("viridis, 0 to 1") != std::string::npos);
    const std::string yellow =
        "\033[48;5;" + std::to_string(tfm::xterm256(tfm::sequential_colour(1.0))) + "m";
    CHECK(weights.find(yellow) != std::string::npos);
    // Without colour: no shading, no legend; the screen is what it always was.
    const std::string plain = printed({}, [&](tfm::Printer& p) {
        p.tensor("weights", {{0.0, 1.0}}, {}, "", tfm::Shade::weights);
    });
    CHECK(plain.find("shades") == std::string::npos);
}

TEST_CASE("narration never breaks a shape at its spaces", "[printer]") {
    const std::vector<std::string> lines =
        tfm::wrap_words("widening: [6 × 8] · linear1.weightᵀ [8 × 32] → [6 × 32]", 14);
    for (const std::string& line : lines) {
        INFO(line);
        CHECK(line.rfind("×", 0) != 0);             // no line starts with ×
        CHECK(line.find("× ") != line.size() - 3);  // nor ends with it
    }
    CHECK(std::find(lines.begin(), lines.end(), "[8 × 32] →") != lines.end());
}
