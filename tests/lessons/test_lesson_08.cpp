#include "io/printer.hpp"
#include "lessons/run_lesson.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include "support/catch.hpp"

using tfm::test::count_lines;
using tfm::test::run_lesson;
using tfm::test::temp_dir;

namespace {

const char* const kLesson = "08_rnn_vs_attention";

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, sep);) cells.push_back(cell);
    return cells;
}

}  // namespace

TEST_CASE("lesson 08 runs with its defaults and shows every part", "[lesson08]") {
    const tfm::test::RunResult r = run_lesson(kLesson, {}, "NO_COLOR=1");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    for (const char* part :
         {"eigenvalues_w_hh [8 × 3]", "rho(W_hh) after", "log10_grad_norms [50 × 6]",
          "legend:  o rnn rho=0.5  x rnn rho=0.9  + rnn rho=1  # rnn rho=1.2  A self-attention",
          "slope (linear RNN)", "rho^k", "mean tanh'", "top weight (last query)", "x16", "RNN path",
          "attn path", "RNN GMAC/s", "Measured on this machine"}) {
        INFO("looking for: " << part);
        CHECK(r.out.find(part) != std::string::npos);
    }
    CHECK(r.out.find('\033') == std::string::npos);  // NO_COLOR: no escape codes
    // The default screen: at most 200 lines, none wider than 100 columns.
    CHECK(count_lines(r.out) <= 200);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(tfm::display_width(line) <= 100);
    }
}

TEST_CASE("lesson 08's terminal plot shows every series, attention and the encoder included",
          "[lesson08]") {
    const tfm::test::RunResult r = run_lesson(kLesson, {"--timing=false"}, "NO_COLOR=1");
    REQUIRE(r.exit_code == 0);
    const std::size_t from = r.out.find("log10 ||dL/dx_t|| against distance");
    const std::size_t to = r.out.find("legend:", from);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    const std::string body = r.out.substr(r.out.find('\n', r.out.find('\n', from) + 1), to - from);
    for (char marker : {'o', 'x', '+', '#', 'A', 'E'}) {
        INFO("marker " << marker << "\n" << body);
        CHECK(body.find(marker) != std::string::npos);
    }
    CHECK(body.find('*') == std::string::npos);
}

TEST_CASE("lesson 08 --help lists its options and exits 0", "[lesson08]") {
    const tfm::test::RunResult r = run_lesson(kLesson, {"--help"});
    CHECK(r.exit_code == 0);
    for (const char* option :
         {"--T", "--rho", "--activation", "--out", "--layers", "--seed", "--timing"}) {
        INFO(option);
        CHECK(r.out.find(option) != std::string::npos);
    }
}

TEST_CASE("lesson 08 --out writes a CSV that parses and an SVG document", "[lesson08]") {
    const std::string dir = temp_dir("lesson08") + "/plots";
    const tfm::test::RunResult r = run_lesson(
        kLesson, {"--out", dir, "--T", "20", "--rho", "0.5,1.1", "--timing=false", "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string csv = slurp(dir + "/gradient_norms.csv");
    std::istringstream lines(csv);
    std::string header;
    std::getline(lines, header);
    CHECK(header == "t,distance,rnn rho=0.5,rnn rho=1.1,self-attention,encoder x2");
    int rows = 0;
    for (std::string line; std::getline(lines, line); ++rows) {
        const std::vector<std::string> cells = split(line, ',');
        REQUIRE(cells.size() == 6);
        CHECK(std::stod(cells[0]) == rows);
        CHECK(std::stod(cells[1]) == 19 - rows);
        for (std::size_t c = 2; c < cells.size(); ++c) {
            const double norm = std::stod(cells[c]);
            INFO("row " << rows << " column " << c << ": " << cells[c]);
            CHECK(std::isfinite(norm));
            CHECK(norm > 0.0);
        }
    }
    CHECK(rows == 20);
    const std::string jac = slurp(dir + "/jacobian_products.csv");
    CHECK(jac.rfind("k,rho=0.5,rho=1.1\n0,1,1\n", 0) == 0);  // distance 0: the identity
    CHECK(count_lines(jac) == 21);
    const std::string svg = slurp(dir + "/gradient_norms.svg");
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(svg.find("<polyline") != std::string::npos);
    CHECK(svg.size() > 7);
    CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
}

TEST_CASE("lesson 08 prints the same bytes for the same seed when it does not time", "[lesson08]") {
    const std::vector<std::string> args{"--T", "12", "--timing=false", "--seed", "7"};
    const tfm::test::RunResult a = run_lesson(kLesson, args, "NO_COLOR=1");
    const tfm::test::RunResult b = run_lesson(kLesson, args, "NO_COLOR=1");
    REQUIRE(a.exit_code == 0);
    CHECK(a.out == b.out);
    const tfm::test::RunResult other =
        run_lesson(kLesson, {"--T", "12", "--timing=false", "--seed", "8"}, "NO_COLOR=1");
    CHECK(other.out != a.out);
}

TEST_CASE("lesson 08 dumps the gradient norms as output.npy", "[lesson08]") {
    const std::string dir = temp_dir("lesson08-dump");
    const tfm::test::RunResult r =
        run_lesson(kLesson, {"--T", "10", "--timing=false", "--quiet", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(std::filesystem::exists(dir + "/output.npy"));
    CHECK(std::filesystem::exists(dir + "/eigenvalues_w_hh.npy"));
    CHECK(std::filesystem::exists(dir + "/jacobian_product_norms.npy"));
}

TEST_CASE("lesson 08 rejects bad input with one line and exit status 2", "[lesson08]") {
    const std::vector<std::vector<std::string>> bad{
        {"--rho", "0"},
        {"--rho", "-0.5"},
        {"--rho", "0.9,abc"},
        {"--rho", ""},
        {"--T", "1"},
        {"--T", "-4"},
        {"--T", "many"},
        {"--activation", "relu"},
        {"--activation", "sigmoid"},
        {"--heads", "3"},
        {"--no-such-option"},
    };
    for (const std::vector<std::string>& args : bad) {
        const tfm::test::RunResult r = run_lesson(kLesson, args);
        INFO("args: " << args[0] << (args.size() > 1 ? " " + args[1] : "")
                      << "\nstderr: " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(count_lines(r.err) == 2);  // the error, then "Try 'PROGRAM --help'."
        CHECK(r.out.empty());
    }
    const std::string file = temp_dir("lesson08-bad") + "/a_file";
    std::ofstream(file) << "x";
    const tfm::test::RunResult r = run_lesson(kLesson, {"--out", file, "--timing=false"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);  // the error, then "Try 'PROGRAM --help'."
}
