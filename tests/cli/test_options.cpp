// The shared command-line options, parsed from fabricated argv as a lesson would.
#include "support/catch.hpp"

#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/npy.hpp"
#include "io/printer.hpp"
#include "lessons/run_lesson.hpp"
#include "text/tokenizer.hpp"

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

constexpr unsigned kAll = tfm::cli::sizes | tfm::cli::heads | tfm::cli::ffn | tfm::cli::layers |
                          tfm::cli::mask | tfm::cli::activation | tfm::cli::norm_first |
                          tfm::cli::text | tfm::cli::input | tfm::cli::memory | tfm::cli::weights |
                          tfm::cli::grad_output;

// Parses `args` (after the program name) with every shared option.
tfm::cli::Common parse_args(std::vector<std::string> args, unsigned features = kAll,
                            const tfm::cli::Common& defaults = {}) {
    args.insert(args.begin(), "lesson");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    tfm::cli::Options options("lesson", "test");
    tfm::cli::add_common(options, features, defaults);
    const tfm::cli::ParseResult result =
        tfm::cli::parse(options, static_cast<int>(argv.size()), argv.data());
    return tfm::cli::read_common(result, features, defaults);
}

// Sets (or clears, with nullptr) an environment variable for one scope.
struct EnvVar {
    std::string name;
    std::string old;
    bool had;
    EnvVar(const std::string& n, const char* value)
        : name(n), had(std::getenv(n.c_str()) != nullptr) {
        if (had) old = std::getenv(n.c_str());
        if (value)
            setenv(n.c_str(), value, 1);
        else
            unsetenv(n.c_str());
    }
    ~EnvVar() {
        if (had)
            setenv(name.c_str(), old.c_str(), 1);
        else
            unsetenv(name.c_str());
    }
};

// A real .npy (read_common reads --input's header for the memory budget).
std::string existing_file() {
    const std::string path = tfm::test::temp_dir("cli") + "/x.npy";
    tfm::save_npy(path, arma::mat(3, 12, arma::fill::ones));
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
    CHECK(c.print.max_cols == 0);  // as many columns as fit the screen
    CHECK(c.print.width == 100);   // the tests' stdout is not a terminal
    CHECK_FALSE(c.print.color);    // auto, and the tests' stdout is not a terminal
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
    const tfm::cli::Common c = parse_args({"--seed",
                                           "7",
                                           "--d-model",
                                           "12",
                                           "--heads",
                                           "4",
                                           "--d-ff",
                                           "20",
                                           "--layers",
                                           "3",
                                           "--mask",
                                           "causal",
                                           "--activation",
                                           "gelu",
                                           "--norm-first",
                                           "--text",
                                           "Hello, world",
                                           "--input",
                                           input,
                                           "--precision",
                                           "2",
                                           "--max-rows",
                                           "5",
                                           "--max-cols=6",
                                           "--quiet",
                                           "--dump-dir",
                                           dump});
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
    CHECK_THROWS_WITH(
        parse_args({"--d-model", "10", "--heads", "4"}),
        Catch::Contains("10") && Catch::Contains("4") && Catch::Contains("divisible"));
}

TEST_CASE("bad values are InputErrors: unknown option, non-numeric, negative, zero, junk",
          "[cli]") {
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

TEST_CASE("a value that does not parse is reported with the option's name and what it accepts",
          "[cli]") {
    CHECK_THROWS_WITH(parse_args({"--d-model", "eight"}),
                      "--d-model: 'eight' is not a whole number from 1 to 1024");
    CHECK_THROWS_WITH(parse_args({"--seed=4x"}), "--seed: '4x' is not a whole number ≥ 0");
    CHECK_THROWS_WITH(parse_args({"--seed", "-1"}), "--seed: '-1' is not a whole number ≥ 0");
    CHECK_THROWS_WITH(parse_args({"--precision", "1.5"}),
                      "--precision: '1.5' is not a whole number from 0 to 15");
    CHECK_THROWS_WITH(parse_args({"--norm-first=maybe"}),
                      "--norm-first: 'maybe' is not true or false");
    CHECK_THROWS_WITH(parse_args({"--d-model"}),
                      "--d-model needs a value: a whole number from 1 to 1024");
    CHECK_THROWS_WITH(parse_args({"--seed", "99999999999999999999999"}),
                      Catch::Contains("--seed: '99999999999999999999999' is not"));
    CHECK_THROWS_WITH(parse_args({"--quiet=yes"}), "--quiet: 'yes' is not true or false");
    CHECK_THROWS_WITH(parse_args({"stray"}), "unexpected argument 'stray'");
}

TEST_CASE("an unknown option is named, with the closest known option when one is near", "[cli]") {
    CHECK_THROWS_WITH(parse_args({"--d_model", "8"}),
                      "unknown option '--d_model'; did you mean '--d-model'?");
    CHECK_THROWS_WITH(parse_args({"--hedas=2"}),
                      "unknown option '--hedas'; did you mean '--heads'?");
    CHECK_THROWS_WITH(parse_args({"--Seed", "3"}),
                      "unknown option '--Seed'; did you mean '--seed'?");
    CHECK_THROWS_WITH(parse_args({"--zebra"}), "unknown option '--zebra'");
    CHECK_THROWS_WITH(parse_args({"-x"}), "unknown option '-x'");
}

TEST_CASE("closest_option forgives an underscore, a swap or a letter, not a different word",
          "[cli]") {
    tfm::cli::Options options("lesson", "test");
    tfm::cli::add_common(options, kAll, {});
    CHECK(tfm::cli::closest_option(options, "d_ff") == "d-ff");
    CHECK(tfm::cli::closest_option(options, "max_rows") == "max-rows");
    CHECK(tfm::cli::closest_option(options, "layer") == "layers");
    CHECK(tfm::cli::closest_option(options, "activaton") == "activation");
    CHECK(tfm::cli::closest_option(options, "colour") == "color");
    CHECK(tfm::cli::closest_option(options, "xyz").empty());
    CHECK(tfm::cli::closest_option(options, "temperature").empty());
}

TEST_CASE("-q is short for --quiet", "[cli]") {
    CHECK(parse_args({"-q"}).print.quiet);
    CHECK_FALSE(parse_args({}).print.quiet);
}

TEST_CASE("the version line names the program, the version and the commit", "[cli]") {
    const std::string v = tfm::cli::version_text("03_attention");
    CHECK(v.rfind("03_attention (transformer-course) ", 0) == 0);
    CHECK(v.find(", commit ") != std::string::npos);
    CHECK(v.find("unknown") == std::string::npos);  // the Makefile baked both in
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

TEST_CASE("--color always and never win; auto is off when NO_COLOR is set or not on a terminal",
          "[cli]") {
    {
        EnvVar env("NO_COLOR", "");               // set but empty: no effect
        CHECK_FALSE(parse_args({}).print.color);  // still not a terminal
    }
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

TEST_CASE("color_allowed: never with TERM=dumb or a non-empty NO_COLOR, never off a terminal",
          "[cli]") {
    EnvVar term("TERM", "dumb");
    CHECK_FALSE(tfm::cli::color_allowed(STDOUT_FILENO));
    EnvVar xterm("TERM", "xterm-256color");
    EnvVar no_color("NO_COLOR", nullptr);
    // The tests' stdout is a file, never a terminal, so only the negative cases can be
    // checked here; tests/lessons/test_cli_contract.cpp runs lessons under TERM=dumb.
    CHECK(tfm::cli::color_allowed(STDOUT_FILENO) == (::isatty(STDOUT_FILENO) == 1));
}

TEST_CASE("guarded_main turns an InputError into the error line and the --help hint, exit status 2",
          "[cli]") {
    const auto [status, err] = guarded([](int, char**) -> int {
        throw tfm::InputError("--d-model 10 is not divisible\nby --heads 4");
    });
    CHECK(status == 2);
    CHECK(err ==
          "03_attention: error: --d-model 10 is not divisible by --heads 4\n"
          "Try '03_attention --help'.\n");
}

TEST_CASE("guarded_main reports option errors as input errors and other exceptions as internal",
          "[cli]") {
    const auto [option_status, option_err] = guarded([](int argc, char** argv) -> int {
        tfm::cli::Options options("03_attention", "test");
        tfm::cli::add_common(options, tfm::cli::sizes, {});
        char bad[] = "--d_model";
        char* args[] = {argv[0], bad, nullptr};
        tfm::cli::parse(options, argc + 1, args);
        return 0;
    });
    CHECK(option_status == 2);
    CHECK(option_err ==
          "03_attention: error: unknown option '--d_model'; did you mean '--d-model'?\n"
          "Try '03_attention --help'.\n");
    const auto [bug_status, bug_err] =
        guarded([](int, char**) -> int { throw std::logic_error("bug"); });
    CHECK(bug_status == 1);
    CHECK(bug_err == "03_attention: internal error: bug\n");
    const auto [ok_status, ok_err] = guarded([](int, char**) { return 0; });
    CHECK(ok_status == 0);
    CHECK(ok_err.empty());
}

TEST_CASE("--help shows every word of every option's description, within 80 columns", "[cli]") {
    tfm::cli::Options options("lesson", "test");
    tfm::cli::add_common(options, kAll, {});
    // cxxopts 3.1 wrapping by itself drops a one-letter last word that lands on a new line,
    // and counts "√" as three columns.
    options.add_options()("own",
                          "a description long enough to wrap, with √d_k and ending in one letter X",
                          tfm::cli::value<long>()->default_value("1"), "N");
    const std::string help = tfm::cli::help_text(options);
    INFO(help);

    std::istringstream lines(help);
    std::set<std::string> words;
    for (std::string line; std::getline(lines, line);) {
        CHECK(tfm::display_width(line) <= 80);
        std::istringstream in(line);
        for (std::string word; in >> word;) words.insert(word);
    }
    for (const tfm::cli::OptionInfo& o : options.options()) {
        std::istringstream in(o.description);
        for (std::string word; in >> word;) {
            INFO("--" << o.long_name << ": " << word);
            CHECK(words.count(word) == 1);
        }
    }
    CHECK(help.find("(default: 1)") !=
          std::string::npos);  // a default stays on one line with its value
}

TEST_CASE("--help writes every default as (default: …) and ends with examples and the docs page",
          "[cli]") {
    tfm::cli::Options options("03_attention", "test");
    tfm::cli::add_common(options, kAll, {});
    const std::string help = tfm::cli::help_text(options);
    INFO(help);
    CHECK(help.find("--seed N") != std::string::npos);
    CHECK(help.find("(default: 42)") != std::string::npos);
    CHECK(help.find("(default: auto)") != std::string::npos);
    CHECK(help.find("-q, --quiet") != std::string::npos);
    CHECK(help.find("--version") != std::string::npos);
    const std::string end =
        "\nExamples:\n  build/lessons/03_attention --mask causal\n"
        "  build/lessons/03_attention --mask padding --pad 2 --dump-dir out/03\n"
        "\nThe lesson explained: docs/03-attention.md\n";
    REQUIRE(help.size() > end.size());
    CHECK(help.substr(help.size() - end.size()) == end);
    std::size_t defaults = 0, shown = 0;
    for (const tfm::cli::OptionInfo& o : options.options())
        defaults += o.value && o.value->has_default() && o.value->default_text() != "false";
    defaults += 1;  // --norm-first's default is in its description: "(default: post-LN, …)"
    defaults += 1;  // and --max-cols': "(default: as many as fit the screen)"
    // A ranged option shows its range beside its default: "(1 to 1024; default: 8)".
    for (std::size_t at = help.find("default: "); at != std::string::npos;
         at = help.find("default: ", at + 1))
        ++shown;
    CHECK(shown == defaults);
    CHECK(help.find("(1 to 1024; default: 8)") != std::string::npos);  // --d-model
    CHECK(help.find("(0 to 15;") != std::string::npos);  // --precision (its default may wrap)
}

TEST_CASE("every lesson and tool has two --help examples and a docs page that exists", "[cli]") {
    for (const char* program :
         {"01_embedding", "02_qkv", "03_attention", "04_multi_head", "05_ffn", "06_encoder",
          "07_decoder", "08_rnn_vs_attention", "09_full_model", "model_table"}) {
        INFO(program);
        tfm::cli::Options options(program, "test");
        CHECK(options.example_commands().size() == 2);
        CHECK(std::filesystem::is_regular_file(options.docs_page()));
    }
}
