#include "cli/options.hpp"

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/random.hpp"
#include "text/tokenizer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace tfm::cli {
namespace {

// Sizes beyond these would only exhaust memory: a teaching model fits on a screen.
constexpr long kMaxDModel = 4096;
constexpr long kMaxDff = 16384;
constexpr long kMaxLayers = 64;
constexpr long kMaxPad = 1000;

// --help fits an 80-column terminal; option names longer than kMaxOptionColumn put
// their description on the next line.
constexpr std::size_t kHelpWidth = 80;
constexpr std::size_t kMaxOptionColumn = 30;

std::string text_or_default(const std::string& text) { return text.empty() ? default_text : text; }

// Sizes are parsed as signed numbers so that "-3" is reported as a negative size,
// not wrapped around into a huge unsigned one.
std::size_t read_size(const cxxopts::ParseResult& result, const std::string& name, long min, long max) {
    const long v = result[name].as<long>();
    require(v >= min, "--" + name + " must be at least " + std::to_string(min) + " (got " +
                          std::to_string(v) + ")");
    require(v <= max, "--" + name + " must be at most " + std::to_string(max) + " (got " +
                          std::to_string(v) + ")");
    return static_cast<std::size_t>(v);
}

std::string read_existing_file(const cxxopts::ParseResult& result, const std::string& name) {
    if (!result.count(name)) return "";
    const std::string path = result[name].as<std::string>();
    std::error_code ec;
    require(std::filesystem::is_regular_file(path, ec),
            "--" + name + " " + path + ": no such file");
    return path;
}

// Read here rather than through parse_activation() so the message names the option.
Activation read_activation(const std::string& name) {
    require(name == "relu" || name == "gelu", "--activation must be relu or gelu (got '" + name + "')");
    return name == "gelu" ? Activation::gelu : Activation::relu;
}

// cxxopts says "Argument 'x' failed to parse" without naming the option; find the
// shared numeric option whose value is not a whole number, so the message can name it.
std::string bad_number_message(int argc, char** argv, const std::string& fallback) {
    static const char* const numeric[] = {"seed", "d-model", "heads", "d-ff", "layers",
                                          "precision", "max-rows", "max-cols", "pad"};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) continue;
        const std::size_t eq = arg.find('=');
        const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (std::find(std::begin(numeric), std::end(numeric), name) == std::end(numeric)) continue;
        const std::string value = eq != std::string::npos ? arg.substr(eq + 1) : i + 1 < argc ? argv[i + 1] : "";
        const bool whole_number = !value.empty() && value.find_first_not_of("0123456789", value[0] == '-') ==
                                                        std::string::npos && value != "-";
        if (!whole_number) return "--" + name + ": '" + value + "' is not a whole number";
    }
    return fallback;
}

// The option column of --help: "  -h, --help", "      --seed N".
std::string option_column(const cxxopts::HelpOptionDetails& o) {
    std::string s = o.s.empty() ? "     " : "  -" + o.s + (o.l.empty() ? "" : ",");
    if (!o.l.empty()) s += " --" + o.l.front();
    if (!o.is_boolean) s += " " + (o.arg_help.empty() ? std::string("arg") : o.arg_help);
    return s;
}

// Stands for the space in "(default: 4)" while wrapping, so that a value is never
// left alone on a line of its own.
constexpr char kUnbreakableSpace = '\x01';

// The description column: the text, then the default (as cxxopts shows it).
std::string option_description(const cxxopts::HelpOptionDetails& o) {
    std::string d = o.desc;
    if (o.has_default && (!o.is_boolean || o.default_value != "false"))
        d += std::string(" (default:") + kUnbreakableSpace +
             (o.default_value.empty() ? std::string("\"\"") : o.default_value) + ")";
    return d;
}

bool resolve_color(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    require(mode == "auto", "--color must be auto, always or never (got '" + mode + "')");
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && no_color[0] != '\0') return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace

void add_common(cxxopts::Options& options, unsigned features, const Common& defaults) {
    auto add = options.add_options();
    add("h,help", "print this help and exit");
    add("seed", "random seed: the same seed gives the same output, byte for byte",
        cxxopts::value<std::uint64_t>()->default_value(std::to_string(defaults.seed)), "N");
    if (features & sizes)
        add("d-model", "model width d_model (columns of every sequence matrix)",
            cxxopts::value<long>()->default_value(std::to_string(defaults.d_model)), "N");
    if (features & heads)
        add("heads", "number of attention heads h (d_model must be divisible by h)",
            cxxopts::value<long>()->default_value(std::to_string(defaults.num_heads)), "N");
    if (features & ffn)
        add("d-ff", "hidden width of the feed-forward network (0 means 4 * d_model)",
            cxxopts::value<long>()->default_value(std::to_string(defaults.d_ff)), "N");
    if (features & layers)
        add("layers", "number of stacked layers N",
            cxxopts::value<long>()->default_value(std::to_string(defaults.layers)), "N");
    if (features & mask)
        add("mask", "attention mask: none, causal or padding",
            cxxopts::value<std::string>()->default_value(defaults.mask), "KIND");
    if (features & activation)
        add("activation", "feed-forward activation: relu or gelu",
            cxxopts::value<std::string>()->default_value(defaults.activation == Activation::gelu ? "gelu" : "relu"), "NAME");
    if (features & norm_first)
        add("norm-first", "pre-LN: normalise before each sublayer (default: post-LN, as the paper)",
            cxxopts::value<bool>()->default_value(defaults.norm_first ? "true" : "false"));
    if (features & text)
        add("text", "input sentence (UTF-8; each CJK character is one token)",
            cxxopts::value<std::string>()->default_value(text_or_default(defaults.text)), "TEXT");
    if (features & input)
        add("input", "use this matrix (n rows, d_model columns) as the input X", cxxopts::value<std::string>(), "FILE.npy");
    if (features & memory)
        add("memory", "the encoder output the decoder attends to", cxxopts::value<std::string>(), "FILE.npy");
    if (features & weights) {
        add("weights", "load the parameters from this file instead of drawing them",
            cxxopts::value<std::string>(), "FILE.safetensors");
        add("save-weights", "write the parameters this run used", cxxopts::value<std::string>(),
            "FILE.safetensors");
    }
    if (features & grad_output)
        add("grad-output", "run backward with this dL/d(output); dump grad_input.npy and grad.PARAM.npy",
            cxxopts::value<std::string>(), "FILE.npy");
    if (features & mask)
        add("pad", "with --mask padding: append N <pad> tokens to the sentence (with --input: treat its "
            "last N rows as padding)", cxxopts::value<long>()->default_value(std::to_string(defaults.pad)), "N");

    auto print = options.add_options("Printing");
    print("dump-dir", "also write every printed tensor to DIR/NAME.npy", cxxopts::value<std::string>(), "DIR");
    print("precision", "digits after the decimal point (0-15)",
          cxxopts::value<long>()->default_value(std::to_string(defaults.print.precision)), "N");
    print("max-rows", "rows shown before eliding the middle",
          cxxopts::value<long>()->default_value(std::to_string(defaults.print.max_rows)), "N");
    print("max-cols", "columns shown before eliding the middle",
          cxxopts::value<long>()->default_value(std::to_string(defaults.print.max_cols)), "N");
    print("color", "colour and heat shading: auto (terminal only, not with NO_COLOR), always, never",
          cxxopts::value<std::string>()->default_value("auto"), "WHEN");
    print("quiet", "no narration, tensors only", cxxopts::value<bool>()->default_value("false"));
}

std::string help_text(const cxxopts::Options& options) {
    // cxxopts's own help, asked for a group that does not exist, is its header alone:
    // the program's description and the usage line.
    std::string text;
    std::stringstream header(options.help({"\n"}));
    for (std::string line; std::getline(header, line);) {
        // Only a description too long for the terminal is re-wrapped (which would also
        // drop the usage line's indent).
        const std::vector<std::string> parts =
            display_width(line) <= kHelpWidth ? std::vector<std::string>{line} : wrap_words(line, kHelpWidth);
        for (const std::string& part : parts) text += part + "\n";
    }

    const std::vector<std::string> groups = options.groups();
    std::size_t column = 0;
    for (const std::string& group : groups)
        for (const cxxopts::HelpOptionDetails& o : options.group_help(group).options)
            column = std::max(column, display_width(option_column(o)));
    column = std::min(column, kMaxOptionColumn) + 2;

    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (g > 0) text += "\n";
        if (!groups[g].empty()) text += " " + groups[g] + " options:\n";
        for (const cxxopts::HelpOptionDetails& o : options.group_help(groups[g]).options) {
            std::string line = option_column(o);
            const std::size_t used = display_width(line);
            // A long option name gets a line of its own; its description starts below.
            if (used + 2 > column) {
                text += line + "\n";
                line.clear();
            }
            line += std::string(column - (line.empty() ? 0 : used), ' ');
            for (std::string part : wrap_words(option_description(o), kHelpWidth - column)) {
                std::replace(part.begin(), part.end(), kUnbreakableSpace, ' ');
                text += line + part + "\n";
                line = std::string(column, ' ');
            }
        }
    }
    return text;
}

std::string make_folder(const std::string& option, const std::string& path) {
    require(!path.empty(), "--" + option + " is empty");
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    require(std::filesystem::is_directory(path),
            "--" + option + " " + path + ": cannot create the folder" + (ec ? " (" + ec.message() + ")" : ""));
    return path;
}

cxxopts::ParseResult parse(cxxopts::Options& options, int argc, char** argv,
                           const std::vector<std::pair<std::string, std::string>>& aliases) {
    std::vector<std::string> args(argv, argv + argc);
    for (std::string& a : args)
        for (const auto& [alias, name] : aliases) {
            if (a == "--" + alias) a = "--" + name;
            if (a.rfind("--" + alias + "=", 0) == 0) a = "--" + name + a.substr(alias.size() + 2);
        }
    std::vector<char*> arg_ptrs;
    for (std::string& a : args) arg_ptrs.push_back(a.data());
    argv = arg_ptrs.data();
    cxxopts::ParseResult result;
    try {
        result = options.parse(argc, argv);
    } catch (const cxxopts::exceptions::incorrect_argument_type& e) {
        throw InputError(bad_number_message(argc, argv, e.what()));
    } catch (const cxxopts::exceptions::exception& e) {
        throw InputError(e.what());
    }
    if (result.count("help")) {
        std::cout << help_text(options) << std::flush;
        std::exit(0);
    }
    if (!result.unmatched().empty())
        throw InputError("unexpected argument '" + result.unmatched().front() + "'");
    return result;
}

Common read_common(const cxxopts::ParseResult& result, unsigned features, const Common& defaults) {
    Common c = defaults;
    try {
        c.seed = result["seed"].as<std::uint64_t>();
        if (features & sizes) c.d_model = read_size(result, "d-model", 1, kMaxDModel);
        if (features & heads) {
            c.num_heads = read_size(result, "heads", 1, kMaxDModel);
            require(c.d_model % c.num_heads == 0,
                    "--d-model " + std::to_string(c.d_model) + " is not divisible by --heads " +
                        std::to_string(c.num_heads) + " (each head gets d_model / heads columns)");
        }
        if (features & ffn) c.d_ff = read_size(result, "d-ff", 0, kMaxDff);
        if (c.d_ff == 0) c.d_ff = 4 * c.d_model;
        if (features & layers) c.layers = read_size(result, "layers", 1, kMaxLayers);
        if (features & mask) {
            c.mask = result["mask"].as<std::string>();
            require(c.mask == "none" || c.mask == "causal" || c.mask == "padding",
                    "--mask must be none, causal or padding (got '" + c.mask + "')");
            c.pad = read_size(result, "pad", 0, kMaxPad);
        }
        if (features & activation) c.activation = read_activation(result["activation"].as<std::string>());
        if (features & norm_first) c.norm_first = result["norm-first"].as<bool>();
        if (features & text) {
            c.text = result["text"].as<std::string>();
            require(c.text.find_first_not_of(" \t\r\n") != std::string::npos, "--text is empty");
        } else {
            c.text = text_or_default(c.text);
        }
        if (features & input) c.input = read_existing_file(result, "input");
        if (features & memory) c.memory = read_existing_file(result, "memory");
        if (features & weights) {
            c.weights = read_existing_file(result, "weights");
            if (result.count("save-weights")) {
                c.save_weights = result["save-weights"].as<std::string>();
                const std::filesystem::path parent = std::filesystem::path(c.save_weights).parent_path();
                std::error_code ec;
                require(parent.empty() || std::filesystem::is_directory(parent, ec),
                        "--save-weights " + c.save_weights + ": folder " + parent.string() + " does not exist");
            }
        }
        if (features & grad_output) c.grad_output = read_existing_file(result, "grad-output");

        c.print.precision = static_cast<int>(read_size(result, "precision", 0, 15));
        c.print.max_rows = static_cast<int>(read_size(result, "max-rows", 1, 1000000));
        c.print.max_cols = static_cast<int>(read_size(result, "max-cols", 1, 1000000));
        c.print.color = resolve_color(result["color"].as<std::string>());
        c.print.quiet = result["quiet"].as<bool>();
        if (result.count("dump-dir")) c.print.dump_dir = make_folder("dump-dir", result["dump-dir"].as<std::string>());
    } catch (const cxxopts::exceptions::exception& e) {
        throw InputError(e.what());
    }
    set_seed(c.seed);
    return c;
}

int guarded_main(int argc, char** argv, int (*body)(int, char**)) {
    const std::string program =
        argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string("lesson");
    auto report = [&](const char* kind, const std::string& message, int status) {
        std::string line = message;
        for (char& ch : line)
            if (ch == '\n' || ch == '\r') ch = ' ';
        std::fflush(stdout);
        std::fprintf(stderr, "%s: %s: %s\n", program.c_str(), kind, line.c_str());
        return status;
    };
    keep_freed_memory();
    try {
        return body(argc, argv);
    } catch (const InputError& e) {
        return report("error", e.what(), 2);
    } catch (const cxxopts::exceptions::exception& e) {
        return report("error", e.what(), 2);
    } catch (const std::exception& e) {
        return report("internal error", e.what(), 1);
    }
}

}  // namespace tfm::cli
