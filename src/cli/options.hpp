// The command-line options every lesson shares (DESIGN §4), defined once, and the small
// option parser every lesson and tool uses. A lesson builds its cli::Options, calls
// add_common() with the features it has, adds its own options, then parse() and
// read_common(). Errors become InputError ("PROGRAM: error: …" and "Try 'PROGRAM
// --help'." on stderr, exit 2, via guarded_main); --help prints usage with defaults and
// exits 0; --version prints the version and the git commit the binary was built from.
//
// The parser is cxxopts, seen only by options.cpp: <cxxopts.hpp> costs seconds of
// compile time per file that includes it. The API below mirrors the part of cxxopts
// the course uses (add_options()(…), value<T>()->default_value(…), result["x"].as<T>()).
#pragma once
#include "io/printer.hpp"
#include "ops/activation.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tfm::cli {

// The type of an option's value, and its default (none: the option is absent unless
// given). Made by value<T>(): value<long>()->default_value("4").
class Value : public std::enable_shared_from_this<Value> {
public:
    enum class Type { boolean, integer, unsigned_integer, real, text };
    explicit Value(Type type) : type_(type) {}
    std::shared_ptr<Value> default_value(const std::string& value);
    // The range an integer must lie in, for the message when it does not parse.
    std::shared_ptr<Value> range(long min, long max);
    Type type() const { return type_; }
    bool has_default() const { return has_default_; }
    const std::string& default_text() const { return default_; }
    bool has_range() const { return has_range_; }
    long min() const { return min_; }
    long max() const { return max_; }

private:
    Type type_;
    bool has_default_ = false, has_range_ = false;
    std::string default_;
    long min_ = 0, max_ = 0;
};

// bool, long, int, unsigned long (std::uint64_t, std::size_t), unsigned long long
// (arma::uword), double, std::string.
template <class T>
std::shared_ptr<Value> value();

// What --help and the did-you-mean suggestion know of one option.
struct OptionInfo {
    std::string short_name;  // "h", or empty
    std::string long_name;   // "help"
    std::string description;
    std::string arg_help;          // "N", "FILE.npy"; empty for a flag
    std::shared_ptr<Value> value;  // null for a flag
    std::string group;
};

class Options {
public:
    Options(std::string program, std::string description);
    ~Options();
    Options(const Options&) = delete;
    Options& operator=(const Options&) = delete;

    // options.add_options("group")("name", "description", value<long>(), "N")("flag", "…");
    // "s,long" gives a one-letter short name too.
    class Adder {
    public:
        Adder& operator()(const std::string& names, const std::string& description);
        Adder& operator()(const std::string& names, const std::string& description,
                          std::shared_ptr<Value> value, const std::string& arg_help = "");

    private:
        friend class Options;
        Adder(Options& options, std::string group) : options_(options), group_(std::move(group)) {}
        Options& options_;
        std::string group_;
    };
    Adder add_options(const std::string& group = "");

    // Narrows the range of an option added before (a shared size a lesson can only run
    // smaller: lesson 08's d_model); --help and parse() then use the narrower one.
    void narrow_range(const std::string& name, long min, long max);

    // The end of --help: example commands, and the page of the docs that explains them.
    void examples(std::vector<std::string> commands, std::string docs_page);

    const std::string& program() const;
    const std::string& description() const;
    const std::vector<OptionInfo>& options() const;  // in the order added
    const std::vector<std::string>& example_commands() const;
    const std::string& docs_page() const;

    struct Impl;  // the cxxopts parser, in options.cpp
    Impl& impl() const { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

class ParseResult {
public:
    // One option's value: result["d-model"].as<long>(). InputError naming the option when
    // it was not given and has no default.
    class Entry {
    public:
        template <class T>
        T as() const;

    private:
        friend class ParseResult;
        Entry(const ParseResult& result, std::string name)
            : result_(result), name_(std::move(name)) {}
        const ParseResult& result_;
        std::string name_;
    };

    std::size_t count(const std::string& name) const;  // times given on the command line
    Entry operator[](const std::string& name) const { return Entry(*this, name); }
    const std::vector<std::string>& unmatched() const;  // positional arguments

    struct Impl;
    std::shared_ptr<const Impl> impl;
};

// Which shared options a lesson has (bit flags; printing, --seed, --help, --version,
// --dump-dir, --color, -q/--quiet are always there).
enum Feature : unsigned {
    sizes = 1u << 0,         // --d-model
    heads = 1u << 1,         // --heads
    ffn = 1u << 2,           // --d-ff
    layers = 1u << 3,        // --layers
    mask = 1u << 4,          // --mask none|causal|padding, and --pad
    activation = 1u << 5,    // --activation relu|gelu
    norm_first = 1u << 6,    // --norm-first
    text = 1u << 7,          // --text
    input = 1u << 8,         // --input FILE.npy
    memory = 1u << 9,        // --memory FILE.npy
    weights = 1u << 10,      // --weights, --save-weights
    grad_output = 1u << 11,  // --grad-output FILE.npy
};

struct Common {
    std::uint64_t seed = 42;
    PrintOptions print;
    std::size_t d_model = 8;
    std::size_t num_heads = 2;
    std::size_t d_ff = 0;  // 0 on the command line means 4 · d_model; read_common resolves it
    std::size_t layers = 2;
    std::string mask = "none";  // none | causal | padding (validated)
    std::size_t pad = 2;  // --mask padding: <pad> tokens appended (with --input: its last rows)
    Activation activation = Activation::relu;
    bool norm_first = false;
    std::string text;
    std::string input, memory, weights, save_weights, grad_output;
};

// Adds the shared options; `defaults` supplies the defaults shown in --help.
void add_common(Options& options, unsigned features, const Common& defaults);

// The --help text: the description and usage line, then every option with its
// default, descriptions wrapped at word breaks to fit 80 columns (counted in
// characters, not UTF-8 bytes), all starting in one column.
std::string help_text(const Options& options);

// Parses argv. --help: prints help_text(options) and exits 0; --version: prints
// version_text(program) and exits 0. Unknown options (with a did-you-mean when one is
// close), missing or malformed values: InputError naming the option. `aliases` renames
// options before parsing: {"T", "seq-len"} reads --T N and --T=N as --seq-len.
ParseResult parse(Options& options, int argc, char** argv,
                  const std::vector<std::pair<std::string, std::string>>& aliases = {});

// An integer option's value as a size; its declared range() was checked by parse().
std::size_t size_of(const ParseResult& result, const std::string& name);

// Creates the folder an option names (and its parents); InputError naming the option
// when it is empty or cannot be created. Returns the path. A run that then fails with an
// InputError removes the folders this created, when they are still empty (guarded_main).
std::string make_folder(const std::string& option, const std::string& path);

// Reads the shared options back, validates them (sizes ≥ 1, d_model divisible by
// heads, a known mask and activation, printing sizes ≥ 1, files that exist), resolves
// --color auto|always|never (auto: only when stdout is a terminal, TERM is not "dumb"
// and NO_COLOR is unset or empty),
// sets the memory budget (--max-memory) and checks the module's estimated memory and
// work against it (require_budget), creates --dump-dir, and seeds the generator (set_seed).
Common read_common(const ParseResult& result, unsigned features, const Common& defaults);

// The memory and work the lesson's module implies (model/footprint.hpp) over `rows`
// tokens (and `memory_rows` for a decoder), from the sizes among `features`, checked
// against the budget (--max-memory) and the work a run may take: InputError naming the
// options and the estimate. read_common calls it for the sentence or --input; a lesson
// with other rows (07's --target, 09's training batch) calls it again with them.
void require_budget(const Common& common, unsigned features, std::uint64_t rows,
                    std::uint64_t memory_rows);
// The lessons' vocabulary (data/vocab.txt) is about 720 tokens; estimates count 1024 rows.
constexpr std::uint64_t kLessonVocabRows = 1024;

// "03_attention (transformer-course) 1.0 — commit 3b45751", baked in at build time.
std::string version_text(const std::string& program);

// The long option closest to `given` ("d_model" → "d-model"), or empty when none is
// close enough to be a likely typo.
std::string closest_option(const Options& options, const std::string& given);

// Whether colour may be used on `fd` when asked for "auto": a terminal, TERM not
// "dumb", NO_COLOR unset or empty.
bool color_allowed(int fd);

// Runs body(argc, argv); an InputError removes the empty folders make_folder created and
// becomes "PROGRAM: error: MESSAGE" and "Try 'PROGRAM --help'." on stderr and exit
// status 2; any other std::exception becomes "PROGRAM: internal error: MESSAGE" and exit
// status 1. A failed write to stdout (a
// full disk) is reported as "PROGRAM: error: write error on standard output: …", exit 1.
int guarded_main(int argc, char** argv, int (*body)(int, char**));

}  // namespace tfm::cli
