// The shared command-line options, parsed from fabricated argv as a lesson would.
#include <catch2/catch.hpp>

#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/printer.hpp"
#include "lessons/run_lesson.hpp"
#include "text/tokenizer.hpp"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

constexpr unsigned kAll = tfm::cli::sizes | tfm::cli::heads | tfm::cli::ffn | tfm::cli::layers |
                          tfm::cli::mask | tfm::cli::activation | tfm::cli::norm_first | tfm::cli::text |
                          tfm::cli::input | tfm::cli::memory | tfm::cli::weights | tfm::cli::grad_output;

// Parses `args` (after the program name) with every shared option.
tfm::cli::Common parse_args(std::vector<std::string> args, unsigned features = kAll,
                            const tfm::cli::Common& defaults = {}) {
    args.insert(args.begin(), "lesson");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    cxxopts::Options options("lesson", "test");
    tfm::cli::add_common(options, features, defaults);
    const cxxopts::ParseResult result = tfm::cli::parse(options, static_cast<int>(argv.size()), argv.data());
    return tfm::cli::read_common(result, features, defaults);
}

// Sets (or clears, with nullptr) an environment variable for one scope.
struct EnvVar {
    std::string name;
    std::string old;
    bool had;
    EnvVar(const std::string& n, const char* value) : name(n), had(std::getenv(n.c_str()) != nullptr) {
        if (had) old = std::getenv(n.c_str());
        if (value) setenv(n.c_str(), value, 1);
        else unsetenv(n.c_str());
    }
    ~EnvVar() {
        if (had) setenv(name.c_str(), old.c_str(), 1);
        else unsetenv(name.c_str());
    }
};

std::string existing_file() {
    const std::string path = tfm::test::temp_dir("cli") + "/x.npy";
    std::ofstream(path) << "x";
    return path;
}

// Runs guarded_main on `body` with stderr captured; returns {status, stderr}.
std::pair<int, std::string> guarded(int (*body)(int, char**)) {
    char name[] = "/some/path/03_attention";
    char* argv[] = {name, nullptr};
    std::fflush(stderr);
    std::FILE* capture = std::tmpfile();
    const int saved = ::dup(2);
    ::dup2(::fileno(capture), 2);
    const int status = tfm::cli::guarded_main(1, argv, body);
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::string err;
    std::rewind(capture);
    for (int ch; (ch = std::fgetc(capture)) != EOF;) err += static_cast<char>(ch);
    std::fclose(capture);
    return {status, err};
}

}  // namespace

TEST_CASE("with no arguments every shared option has its documented default", "[cli]") {
    EnvVar no_color("NO_COLOR", nullptr);
    const tfm::cli::Common c = parse_args({});
    CHECK(c.seed == 42);
    CHECK(c.d_model == 8);
    CHECK(c.num_heads == 2);
    CHECK(c.d_ff == 32);  // 4 · d_model
    CHECK(c.layers == 2);
    CHECK(c.mask == "none");
    CHECK(c.activation == tfm::Activation::relu);
    CHECK_FALSE(c.norm_first);
    CHECK(c.text == "the cat sat on the mat");
    CHECK(c.input.empty());
    CHECK(c.weights.empty());
    CHECK(c.print.precision == 4);
    CHECK(c.print.max_rows == 12);
    CHECK(c.print.max_cols == 10);
    CHECK_FALSE(c.print.color);  // auto, and the tests' stdout is not a terminal
    CHECK_FALSE(c.print.quiet);
    CHECK(c.print.dump_dir.empty());
}

TEST_CASE("a lesson's own defaults replace the shared ones", "[cli]") {
    tfm::cli::Common defaults;
    defaults.d_model = 12;
    defaults.num_heads = 3;
    defaults.text = "注意力";
    const tfm::cli::Common c = parse_args({}, kAll, defaults);
    CHECK(c.d_model == 12);
    CHECK(c.num_heads == 3);
    CHECK(c.d_ff == 48);
    CHECK(c.text == "注意力");
}

TEST_CASE("options given on the command line are read back", "[cli]") {
    const std::string dump = tfm::test::temp_dir("cli") + "/a/b";
    const std::string input = existing_file();
    const tfm::cli::Common c = parse_args({"--seed", "7", "--d-model", "12", "--heads", "4", "--d-ff", "20",
                                           "--layers", "3", "--mask", "causal", "--activation", "gelu",
                                           "--norm-first", "--text", "Hello, world", "--input", input,
                                           "--precision", "2", "--max-rows", "5", "--max-cols=6", "--quiet",
                                           "--dump-dir", dump});
    CHECK(c.seed == 7);
    CHECK(c.d_model == 12);
    CHECK(c.num_heads == 4);
    CHECK(c.d_ff == 20);
    CHECK(c.layers == 3);
    CHECK(c.mask == "causal");
    CHECK(c.activation == tfm::Activation::gelu);
    CHECK(c.norm_first);
    CHECK(c.text == "Hello, world");
    CHECK(c.input == input);
    CHECK(c.print.precision == 2);
    CHECK(c.print.max_rows == 5);
    CHECK(c.print.max_cols == 6);
    CHECK(c.print.quiet);
    CHECK(c.print.dump_dir == dump);
    CHECK(std::filesystem::is_directory(dump));  // created, parents too
}

TEST_CASE("the seed option seeds the generator", "[cli]") {
    parse_args({"--seed", "5"});
    const arma::mat a = arma::randn(2, 2);
    parse_args({"--seed", "5"});
    const arma::mat b = arma::randn(2, 2);
    CHECK(arma::approx_equal(a, b, "absdiff", 0.0));
}

TEST_CASE("d_model not divisible by heads is rejected with both numbers", "[cli]") {
    CHECK_THROWS_AS(parse_args({"--d-model", "10", "--heads", "4"}), tfm::InputError);
    CHECK_THROWS_WITH(parse_args({"--d-model", "10", "--heads", "4"}),
                      Catch::Contains("10") && Catch::Contains("4") && Catch::Contains("divisible"));
}

TEST_CASE("bad values are InputErrors: unknown option, non-numeric, negative, zero, junk", "[cli]") {
    CHECK_THROWS_AS(parse_args({"--no-such-option"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--d-model", "eight"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--d-model=-8"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--d-model", "0"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--heads", "0"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--layers", "0"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--seed", "-1"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--seed", "1.5"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--d-model"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"stray"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--mask", "diagonal"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--activation", "tanh"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--precision", "16"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--max-rows", "0"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--color", "sometimes"}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--text", "  "}), tfm::InputError);
    CHECK_THROWS_AS(parse_args({"--d-model", "100000000"}), tfm::InputError);
}

TEST_CASE("a value that is not a number is reported with the option's name", "[cli]") {
    CHECK_THROWS_WITH(parse_args({"--d-model", "eight"}), "--d-model: 'eight' is not a whole number");
    CHECK_THROWS_WITH(parse_args({"--seed=4x"}), "--seed: '4x' is not a whole number");
}

TEST_CASE("options a lesson does not have are unknown to it", "[cli]") {
    CHECK_THROWS_AS(parse_args({"--heads", "2"}, tfm::cli::sizes), tfm::InputError);
    CHECK_NOTHROW(parse_args({"--d-model", "6"}, tfm::cli::sizes));
}

TEST_CASE("input files must exist; the error names the option and the file", "[cli]") {
    for (const char* option : {"--input", "--memory", "--weights", "--grad-output"}) {
        INFO(option);
        CHECK_THROWS_WITH(parse_args({option, "/no/such/file.npy"}),
                          Catch::Contains(option) && Catch::Contains("/no/such/file.npy"));
        CHECK_NOTHROW(parse_args({option, existing_file()}));
    }
    CHECK_THROWS_AS(parse_args({"--save-weights", "/no/such/dir/w.safetensors"}), tfm::InputError);
}

TEST_CASE("--color always and never win; auto is off when NO_COLOR is set or not on a terminal", "[cli]") {
    {
        EnvVar env("NO_COLOR", nullptr);
        CHECK(parse_args({"--color", "always"}).print.color);
        CHECK_FALSE(parse_args({"--color", "never"}).print.color);
        CHECK_FALSE(parse_args({"--color", "auto"}).print.color);
    }
    {
        EnvVar env("NO_COLOR", "1");
        CHECK_FALSE(parse_args({}).print.color);
        CHECK(parse_args({"--color=always"}).print.color);
    }
}

TEST_CASE("guarded_main turns an InputError into one line on stderr and exit status 2", "[cli]") {
    const auto [status, err] = guarded([](int, char**) -> int {
        throw tfm::InputError("--d-model 10 is not divisible\nby --heads 4");
    });
    CHECK(status == 2);
    CHECK(err == "03_attention: error: --d-model 10 is not divisible by --heads 4\n");
}

TEST_CASE("guarded_main reports cxxopts errors as input errors and other exceptions as internal", "[cli]") {
    const auto [option_status, option_err] = guarded([](int, char**) -> int {
        throw cxxopts::exceptions::no_such_option("x");
    });
    CHECK(option_status == 2);
    CHECK(option_err.rfind("03_attention: error: ", 0) == 0);
    const auto [bug_status, bug_err] = guarded([](int, char**) -> int { throw std::logic_error("bug"); });
    CHECK(bug_status == 1);
    CHECK(bug_err == "03_attention: internal error: bug\n");
    const auto [ok_status, ok_err] = guarded([](int, char**) { return 0; });
    CHECK(ok_status == 0);
    CHECK(ok_err.empty());
}

TEST_CASE("--help shows every word of every option's description, within 80 columns", "[cli]") {
    cxxopts::Options options("lesson", "test");
    tfm::cli::add_common(options, kAll, {});
    // cxxopts 3.1 wrapping by itself drops a one-letter last word that lands on a new line,
    // and counts "√" as three columns.
    options.add_options()("own", "a description long enough to wrap, with √d_k and ending in one letter X",
                          cxxopts::value<long>()->default_value("1"), "N");
    const std::string help = tfm::cli::help_text(options);
    INFO(help);

    std::istringstream lines(help);
    std::set<std::string> words;
    for (std::string line; std::getline(lines, line);) {
        CHECK(tfm::display_width(line) <= 80);
        std::istringstream in(line);
        for (std::string word; in >> word;) words.insert(word);
    }
    for (const std::string& group : options.groups())
        for (const cxxopts::HelpOptionDetails& o : options.group_help(group).options) {
            std::istringstream in(o.desc);
            for (std::string word; in >> word;) {
                INFO("--" << o.l.front() << ": " << word);
                CHECK(words.count(word) == 1);
            }
        }
    CHECK(help.find("(default: 1)") != std::string::npos);  // a default stays on one line with its value
}
