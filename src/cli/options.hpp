// The command-line options every lesson shares (DESIGN §4), defined once.
// A lesson builds its cxxopts::Options, calls add_common() with the features it has,
// adds its own options, then parse() and read_common(). Errors become InputError
// (one line on stderr, exit 2, via guarded_main); --help prints usage with defaults
// and exits 0.
#pragma once
#include "io/printer.hpp"
#include "ops/activation.hpp"

#include <cxxopts.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tfm::cli {

// Which shared options a lesson has (bit flags; printing, --seed, --help,
// --dump-dir, --color, --quiet are always there).
enum Feature : unsigned {
    sizes       = 1u << 0,   // --d-model
    heads       = 1u << 1,   // --heads
    ffn         = 1u << 2,   // --d-ff
    layers      = 1u << 3,   // --layers
    mask        = 1u << 4,   // --mask none|causal|padding, and --pad
    activation  = 1u << 5,   // --activation relu|gelu
    norm_first  = 1u << 6,   // --norm-first
    text        = 1u << 7,   // --text
    input       = 1u << 8,   // --input FILE.npy
    memory      = 1u << 9,   // --memory FILE.npy
    weights     = 1u << 10,  // --weights, --save-weights
    grad_output = 1u << 11,  // --grad-output FILE.npy
};

struct Common {
    std::uint64_t seed = 42;
    PrintOptions print;
    std::size_t d_model = 8;
    std::size_t num_heads = 2;
    std::size_t d_ff = 0;        // 0 on the command line means 4 · d_model; read_common resolves it
    std::size_t layers = 2;
    std::string mask = "none";   // none | causal | padding (validated)
    std::size_t pad = 2;         // --mask padding: <pad> tokens appended (with --input: its last rows)
    Activation activation = Activation::relu;
    bool norm_first = false;
    std::string text;
    std::string input, memory, weights, save_weights, grad_output;
};

// Adds the shared options; `defaults` supplies the defaults shown in --help.
void add_common(cxxopts::Options& options, unsigned features, const Common& defaults);

// The --help text: the description and usage line, then every option with its
// default, descriptions wrapped at word breaks to fit 80 columns (counted in
// characters, not UTF-8 bytes), all starting in one column.
std::string help_text(const cxxopts::Options& options);

// Parses argv. --help: prints help_text(options) and exits 0. Unknown options, missing or
// non-numeric values: InputError. `aliases` renames options before parsing: {"T",
// "seq-len"} reads --T N and --T=N as --seq-len.
cxxopts::ParseResult parse(cxxopts::Options& options, int argc, char** argv,
                           const std::vector<std::pair<std::string, std::string>>& aliases = {});

// Creates the folder an option names (and its parents); InputError naming the option
// when it is empty or cannot be created. Returns the path.
std::string make_folder(const std::string& option, const std::string& path);

// Reads the shared options back, validates them (sizes ≥ 1, d_model divisible by
// heads, a known mask and activation, printing sizes ≥ 1, files that exist), resolves
// --color auto|always|never (auto: only on a terminal and never when NO_COLOR is set),
// creates --dump-dir, and seeds the generator (set_seed).
Common read_common(const cxxopts::ParseResult& result, unsigned features, const Common& defaults);

// Runs body(argc, argv); an InputError or cxxopts exception becomes
// "PROGRAM: error: MESSAGE" on stderr and exit status 2; any other std::exception
// becomes "PROGRAM: internal error: MESSAGE" and exit status 1.
int guarded_main(int argc, char** argv, int (*body)(int, char**));

}  // namespace tfm::cli
