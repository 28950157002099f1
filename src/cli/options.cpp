#include "cli/options.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/limits.hpp"
#include "core/memory.hpp"
#include "core/random.hpp"
#include "io/files.hpp"
#include "io/npy.hpp"
#include "model/footprint.hpp"
#include "text/tokenizer.hpp"

#include <cxxopts.hpp>

#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

// Written by the Makefile: TFM_VERSION and TFM_COMMIT (git describe of the build).
#if __has_include(<tfm_version.hpp>)
#include <tfm_version.hpp>
#endif
#ifndef TFM_VERSION
#define TFM_VERSION "unknown"
#endif
#ifndef TFM_COMMIT
#define TFM_COMMIT "unknown"
#endif

namespace tfm::cli {

struct Options::Impl {
    Impl(const std::string& program, const std::string& description)
        : parser(program, description) {}
    cxxopts::Options parser;
    std::string program, description;
    std::vector<OptionInfo> infos;
    std::vector<std::string> examples;
    std::string docs_page;
};

struct ParseResult::Impl {
    cxxopts::ParseResult parsed;
    std::vector<std::string> unmatched;
    // For the web page (--html): what the program is and the command that ran it.
    std::string program, description, docs_page, command;
};

namespace {

// --help fits an 80-column terminal; option names longer than kMaxOptionColumn put
// their description on the next line.
constexpr std::size_t kHelpWidth = 80;
constexpr std::size_t kMaxOptionColumn = 30;

// The two commands and the page that end each program's --help.
struct HelpEnding {
    const char* program;
    const char* first;
    const char* second;
    const char* docs_page;
};
constexpr HelpEnding kHelpEndings[] = {
    {"01_embedding", "--text \"the cat sat on the mat\"", "--d-model 16 --dump-dir out/01",
     "docs/01-embedding.md"},
    {"02_qkv", "--row 2", "--d-model 12 --save-weights out/02.safetensors", "docs/02-qkv.md"},
    {"03_attention", "--mask causal", "--mask padding --pad 2 --dump-dir out/03",
     "docs/03-attention.md"},
    {"04_multi_head", "--d-model 12 --heads 3", "--heads 4 --color always",
     "docs/04-multi-head.md"},
    {"05_ffn", "--activation gelu", "--norm-first --row 0", "docs/05-ffn.md"},
    {"06_encoder", "--layers 1", "--norm-first --layers 3", "docs/06-encoder.md"},
    {"07_decoder", "--target \"le chat\"", "--layers 1 --norm-first", "docs/07-decoder.md"},
    {"08_rnn_vs_attention", "--T 100", "--rho 0.9,1.1 --timing=false",
     "docs/08-rnn-vs-attention.md"},
    {"09_full_model", "--text \"3 March 1999\"", "--train --task reverse --steps 500",
     "docs/09-full-model.md"},
    {"model_table", "--all", "--config transformer-base --seq-len 512", "docs/configs.md"},
};

std::string text_or_default(const std::string& text) { return text.empty() ? default_text : text; }

std::vector<std::string> split_names(const std::string& names) {
    const std::size_t comma = names.find(',');
    if (comma == std::string::npos)
        return {names.size() == 1 ? names : "", names.size() == 1 ? "" : names};
    return {names.substr(0, comma), names.substr(comma + 1)};
}

std::shared_ptr<const cxxopts::Value> to_cxxopts(const Value& v) {
    std::shared_ptr<cxxopts::Value> value;
    switch (v.type()) {
        case Value::Type::boolean:
            value = cxxopts::value<bool>();
            break;
        case Value::Type::integer:
            value = cxxopts::value<long>();
            break;
        case Value::Type::unsigned_integer:
            value = cxxopts::value<unsigned long long>();
            break;
        case Value::Type::real:
            value = cxxopts::value<double>();
            break;
        case Value::Type::text:
            value = cxxopts::value<std::string>();
            break;
    }
    if (v.has_default()) value->default_value(v.default_text());
    return value;
}

// "--d-model needs a value: a whole number from 1 to 1024": an option given without the
// value it needs, and what it accepts (one whole sentence per kind of value).
std::string needs_value(const std::string& option, const Value& v) {
    switch (v.type()) {
        case Value::Type::boolean:
            return tr("{1} needs a value: true or false", option);
        case Value::Type::real:
            return tr("{1} needs a value: a number", option);
        case Value::Type::text:
            return tr("{1} needs a value: a text", option);
        default:
            break;
    }
    if (v.has_range())
        return tr("{1} needs a value: a whole number from {2} to {3}", option, v.min(), v.max());
    return v.type() == Value::Type::unsigned_integer
               ? tr("{1} needs a value: a whole number ≥ 0", option)
               : tr("{1} needs a value: a whole number", option);
}

// "--d-model: 'x' is not a whole number from 1 to 1024": a value that does not parse.
std::string not_accepted(const std::string& option, const std::string& value, const Value& v) {
    switch (v.type()) {
        case Value::Type::boolean:
            return tr("{1}: '{2}' is not true or false", option, value);
        case Value::Type::real:
            return tr("{1}: '{2}' is not a number", option, value);
        case Value::Type::text:
            return tr("{1}: '{2}' is not a text", option, value);
        default:
            break;
    }
    if (v.has_range())
        return tr("{1}: '{2}' is not a whole number from {3} to {4}", option, value, v.min(),
                  v.max());
    return v.type() == Value::Type::unsigned_integer
               ? tr("{1}: '{2}' is not a whole number ≥ 0", option, value)
               : tr("{1}: '{2}' is not a whole number", option, value);
}

// Whether `text` reads as a value of type `v`, as cxxopts will read it.
bool parses_as(const Value& v, const std::string& text) {
    if (text.empty()) return v.type() == Value::Type::text;
    errno = 0;
    char* end = nullptr;
    switch (v.type()) {
        case Value::Type::boolean:
            return text == "true" || text == "false";
        case Value::Type::text:
            return true;
        case Value::Type::real:
            std::strtod(text.c_str(), &end);
            break;
        case Value::Type::integer:
            std::strtol(text.c_str(), &end, 10);
            break;
        case Value::Type::unsigned_integer:
            if (text[0] == '-' || text[0] == '+') return false;
            std::strtoull(text.c_str(), &end, 10);
            break;
    }
    if (v.type() != Value::Type::real &&
        text.find_first_not_of("+-0123456789") != std::string::npos)
        return false;
    return errno == 0 && end != nullptr && *end == '\0';
}

// The command as one could type it again: arguments with spaces or quotes in quotes.
std::string shell_command(const std::vector<std::string>& args) {
    std::string command;
    for (const std::string& a : args) {
        const bool plain = !a.empty() && a.find_first_not_of(
                                             "abcdefghijklmnopqrstuvwxyz"
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                             "0123456789-_=./,:+") == std::string::npos;
        std::string quoted = "'";
        for (char ch : a) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
        command += (command.empty() ? "" : " ") + (plain ? a : quoted + "'");
    }
    return command;
}

// The runs' --out and --html, written by guarded_main when the lesson has ended well.
std::vector<std::shared_ptr<Outputs>>& pending_outputs() {
    static std::vector<std::shared_ptr<Outputs>> outputs;
    return outputs;
}

const OptionInfo* find_long(const Options& options, const std::string& name) {
    for (const OptionInfo& o : options.options())
        if (o.long_name == name) return &o;
    return nullptr;
}

const OptionInfo* find_short(const Options& options, char name) {
    for (const OptionInfo& o : options.options())
        if (o.short_name.size() == 1 && o.short_name[0] == name) return &o;
    return nullptr;
}

std::string unknown_option(const Options& options, const std::string& given) {
    const std::string near = closest_option(options, given.substr(given.find_first_not_of('-')));
    if (near.empty()) return tr("unknown option '{1}'", given);
    return tr("unknown option '{1}'; did you mean '--{2}'?", given, near);
}

// A value inside its option's declared range, checked here for every option alike.
void check_range(const OptionInfo& o, const std::string& text) {
    const Value& v = *o.value;
    if (!v.has_range()) return;
    errno = 0;
    long long n = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE) n = text[0] == '-' ? LLONG_MIN : LLONG_MAX;  // far outside either way
    const std::string name = "--" + o.long_name;
    require(n >= v.min(), tr("{1} must be at least {2} (got {3})", name, v.min(), text));
    require(n <= v.max(), tr("{1} must be at most {2} (got {3})", name, v.max(), text));
}

// Checks argv the way cxxopts will read it, so that every mistake gets a message that
// names the option and what it accepts (cxxopts says "Argument 'x' failed to parse").
void check_arguments(const Options& options, const std::vector<std::string>& args) {
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") break;
        if (arg.size() < 2 || arg[0] != '-') continue;  // a positional argument
        if (arg[1] != '-') {
            if (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.')
                continue;  // "-1"
            const OptionInfo* o = find_short(options, arg[1]);
            require(o != nullptr, unknown_option(options, arg.substr(0, 2)));
            if (o->value && o->value->type() != Value::Type::boolean) {
                require(arg.size() > 2 || i + 1 < args.size(),
                        needs_value("-" + o->short_name, *o->value));
                const std::string value = arg.size() > 2 ? arg.substr(2) : args[++i];
                require(parses_as(*o->value, value),
                        not_accepted("-" + o->short_name, value, *o->value));
                check_range(*o, value);
            }
            continue;
        }
        const std::size_t eq = arg.find('=');
        const std::string name =
            arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const OptionInfo* o = find_long(options, name);
        require(o != nullptr, unknown_option(options, "--" + name));
        if (!o->value) {
            require(eq == std::string::npos,
                    tr("--{1} takes no value (got '{2}')", name, arg.substr(eq + 1)));
            continue;
        }
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else if (o->value->type() == Value::Type::boolean) {
            continue;  // --norm-first alone means true; --flag=false turns it off
        } else {
            require(i + 1 < args.size(), needs_value("--" + name, *o->value));
            value = args[++i];
        }
        require(parses_as(*o->value, value), not_accepted("--" + name, value, *o->value));
        check_range(*o, value);
    }
}

// The option column of --help: "  -h, --help", "      --seed N".
std::string option_column(const OptionInfo& o) {
    std::string s =
        o.short_name.empty() ? "     " : "  -" + o.short_name + (o.long_name.empty() ? "" : ",");
    if (!o.long_name.empty()) s += " --" + o.long_name;
    if (o.value && o.value->type() != Value::Type::boolean)
        s += " " + (o.arg_help.empty() ? std::string("arg") : o.arg_help);
    return s;
}

// Stands for the space in "(default: 4)" while wrapping, so that a value is never
// left alone on a line of its own.
constexpr char kUnbreakableSpace = '\x01';

// The translation of `message` with its own spaces made unbreakable (all but a leading one
// and one after a semicolon), then {1}, {2}, … filled in: the values keep their spaces.
template <class... A>
std::string unbreakable(const char* message, const A&... args) {
    std::string text = tr(message);
    for (std::size_t i = 1; i < text.size(); ++i)
        if (text[i] == ' ' && text[i - 1] != ';') text[i] = kUnbreakableSpace;
    const std::string values[] = {i18n_detail::as_text(args)...};
    return i18n_detail::substitute(text, values, static_cast<int>(sizeof...(A)));
}

// The description column: the text, then what the option accepts and its default
// (" (1 to 1024; default: 8)", empty when neither is said).
struct Description {
    std::string text, suffix;
};
Description option_description(const OptionInfo& o) {
    std::string d = o.description;
    // A default written in the description ("(default: post-LN)") keeps its value too.
    for (std::size_t at = d.find("(default: "); at != std::string::npos;
         at = d.find("(default: ", at + 1))
        d[at + 9] = kUnbreakableSpace;
    const bool shows_default =
        o.value && o.value->has_default() &&
        (o.value->type() != Value::Type::boolean || o.value->default_text() != "false");
    const std::string value = !shows_default                    ? ""
                              : o.value->default_text().empty() ? std::string("\"\"")
                                                                : o.value->default_text();
    std::string suffix;
    if (o.value && o.value->has_range()) {
        // "(1 to 1024; default: 8)": what it accepts, beside what it takes when not given.
        const long min = o.value->min(), max = o.value->max();
        // TRANSLATORS: appended to an option's description in --help; keep the leading space
        // when the text before needs one.
        suffix = shows_default ? unbreakable(N_(" ({1} to {2}; default: {3})"), min, max, value)
                               : unbreakable(N_(" ({1} to {2})"), min, max);
    } else if (shows_default) {
        suffix = unbreakable(N_(" (default: {1})"), value);
    }
    return {d, suffix};
}

// The lines of a description `width` columns wide. English wraps the text and its suffix
// as one paragraph (a suffix may break after its semicolon). Chinese may break between
// any two characters, so there the suffix stays whole on one line, after the text when
// it fits there, else on a line of its own.
std::vector<std::string> description_lines(const Description& d, std::size_t width) {
    if (current_language() != Language::zh || d.suffix.empty())
        return wrap_words(d.text + d.suffix, width);
    std::vector<std::string> lines = wrap_words(d.text, width);
    std::string suffix = d.suffix;
    if (!suffix.empty() && suffix[0] == ' ' && lines.back().empty()) suffix.erase(0, 1);
    if (display_width(lines.back()) + display_width(suffix) <= width) {
        lines.back() += suffix;
    } else if (suffix[0] == ' ' && display_width(suffix) - 1 <= width) {
        lines.push_back(suffix.substr(1));
    } else if (display_width(suffix) <= width) {
        lines.push_back(suffix);
    } else {
        const std::string last = lines.back();
        lines.pop_back();
        for (const std::string& line : wrap_words(last + suffix, width)) lines.push_back(line);
    }
    return lines;
}

bool resolve_color(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    require(mode == "auto", tr("--color must be auto, always or never (got '{1}')", mode));
    return color_allowed(STDOUT_FILENO);
}

// --max-memory: a whole number of bytes, or of K, M, G (binary: KiB, MiB, GiB), from
// 1M to 1024G.
std::uint64_t read_memory_budget(const std::string& text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    const std::string unit = text.substr(digits);
    const int shift = unit.empty()                                  ? 0
                      : unit == "K" || unit == "k" || unit == "KiB" ? 10
                      : unit == "M" || unit == "m" || unit == "MiB" ? 20
                      : unit == "G" || unit == "g" || unit == "GiB" ? 30
                                                                    : -1;
    require(digits > 0 && digits <= 13 && shift >= 0,
            tr("--max-memory must be a size such as 512M or 4G (got '{1}')", text));
    const std::uint64_t bytes = std::stoull(text.substr(0, digits)) << shift;
    require(digits <= 13 && (bytes >> shift) == std::stoull(text.substr(0, digits)) &&
                bytes >= (std::uint64_t{1} << 20) && bytes <= (std::uint64_t{1024} << 30),
            tr("--max-memory must be from 1M to 1024G (got '{1}')", text));
    return bytes;
}

std::string read_existing_file(const ParseResult& result, const std::string& name) {
    if (!result.count(name)) return "";
    const std::string path = result[name].as<std::string>();
    std::error_code ec;
    require(std::filesystem::is_regular_file(path, ec), tr("--{1} {2}: no such file", name, path));
    return path;
}

// Read here rather than through parse_activation() so the message names the option.
Activation read_activation(const std::string& name) {
    require(name == "relu" || name == "gelu",
            tr("--activation must be relu or gelu (got '{1}')", name));
    return name == "gelu" ? Activation::gelu : Activation::relu;
}

// Thrown by parse() for --help and --version once their text is written, so that
// guarded_main can still check that stdout took it.
struct EarlyExit {};

// Folders make_folder created in this run (outermost first).
std::vector<std::string>& created_folders() {
    static std::vector<std::string> folders;
    return folders;
}

// A run that fails leaves no folder behind that it created and left empty.
void remove_created_folders() {
    std::error_code ec;
    for (auto it = created_folders().rbegin(); it != created_folders().rend(); ++it)
        if (std::filesystem::is_empty(*it, ec)) std::filesystem::remove(*it, ec);
    created_folders().clear();
}

// Optimal string alignment distance: edits, an adjacent swap counting as one.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

}  // namespace

std::shared_ptr<Value> Value::default_value(const std::string& value) {
    default_ = value;
    has_default_ = true;
    return shared_from_this();
}

std::shared_ptr<Value> Value::range(long min, long max) {
    min_ = min;
    max_ = max;
    has_range_ = true;
    return shared_from_this();
}

template <>
std::shared_ptr<Value> value<bool>() {
    return std::make_shared<Value>(Value::Type::boolean);
}
template <>
std::shared_ptr<Value> value<int>() {
    return std::make_shared<Value>(Value::Type::integer);
}
template <>
std::shared_ptr<Value> value<long>() {
    return std::make_shared<Value>(Value::Type::integer);
}
template <>
std::shared_ptr<Value> value<unsigned long>() {
    return std::make_shared<Value>(Value::Type::unsigned_integer);
}
template <>
std::shared_ptr<Value> value<unsigned long long>() {
    return std::make_shared<Value>(Value::Type::unsigned_integer);
}
template <>
std::shared_ptr<Value> value<double>() {
    return std::make_shared<Value>(Value::Type::real);
}
template <>
std::shared_ptr<Value> value<std::string>() {
    return std::make_shared<Value>(Value::Type::text);
}

Options::Options(std::string program, std::string description)
    : impl_(std::make_unique<Impl>(program, description)) {
    impl_->program = std::move(program);
    impl_->description = std::move(description);
    // Lessons are numbered (build/lessons/03_attention); the rest are tools.
    const bool lesson =
        !impl_->program.empty() && std::isdigit(static_cast<unsigned char>(impl_->program[0]));
    const std::string path = (lesson ? "build/lessons/" : "build/tools/") + impl_->program + " ";
    for (const HelpEnding& e : kHelpEndings)
        if (impl_->program == e.program) examples({path + e.first, path + e.second}, e.docs_page);
}

Options::~Options() = default;

Options::Adder Options::add_options(const std::string& group) { return Adder(*this, group); }

Options::Adder& Options::Adder::operator()(const std::string& names,
                                           const std::string& description) {
    return (*this)(names, description, nullptr);
}

Options::Adder& Options::Adder::operator()(const std::string& names, const std::string& description,
                                           std::shared_ptr<Value> value,
                                           const std::string& arg_help) {
    Impl& impl = options_.impl();
    if (value)
        impl.parser.add_options(group_)(names, description, to_cxxopts(*value), arg_help);
    else
        impl.parser.add_options(group_)(names, description);
    const std::vector<std::string> split = split_names(names);
    impl.infos.push_back({split[0], split[1], description, arg_help, std::move(value), group_});
    return *this;
}

void Options::examples(std::vector<std::string> commands, std::string docs_page) {
    impl_->examples = std::move(commands);
    impl_->docs_page = std::move(docs_page);
}

const std::string& Options::program() const { return impl_->program; }
const std::string& Options::description() const { return impl_->description; }
const std::vector<OptionInfo>& Options::options() const { return impl_->infos; }
const std::vector<std::string>& Options::example_commands() const { return impl_->examples; }
const std::string& Options::docs_page() const { return impl_->docs_page; }

std::size_t ParseResult::count(const std::string& name) const { return impl->parsed.count(name); }
const std::vector<std::string>& ParseResult::unmatched() const { return impl->unmatched; }

template <class T>
T ParseResult::Entry::as() const {
    try {
        if constexpr (std::is_same_v<T, int>) {
            const long v = result_.impl->parsed[name_].as<long>();
            require(v >= INT_MIN && v <= INT_MAX, tr("--{1} is out of range (got {2})", name_, v));
            return static_cast<int>(v);
        } else if constexpr (std::is_same_v<T, unsigned long>) {
            return static_cast<unsigned long>(result_.impl->parsed[name_].as<unsigned long long>());
        } else {
            return result_.impl->parsed[name_].as<T>();
        }
    } catch (const cxxopts::exceptions::exception& e) {
        throw InputError(tr("{1}: {2}", "--" + name_, e.what()));
    }
}
template bool ParseResult::Entry::as<bool>() const;
template int ParseResult::Entry::as<int>() const;
template long ParseResult::Entry::as<long>() const;
template unsigned long ParseResult::Entry::as<unsigned long>() const;
template unsigned long long ParseResult::Entry::as<unsigned long long>() const;
template double ParseResult::Entry::as<double>() const;
template std::string ParseResult::Entry::as<std::string>() const;

void add_common(Options& options, unsigned features, const Common& defaults) {
    auto add = options.add_options();
    add("h,help", tr("print this help and exit"));
    add("version", tr("print the version and the git commit of this build, and exit"));
    add("seed", tr("random seed: the same seed gives the same output, byte for byte"),
        value<std::uint64_t>()->default_value(std::to_string(defaults.seed)), "N");
    add("max-memory",
        tr("memory budget: a run whose sizes or files need more stops before allocating "
           "(K, M, G: KiB, MiB, GiB)"),
        value<std::string>()->default_value("2G"), "SIZE");
    if (features & sizes)
        add("d-model", tr("model width d_model (columns of every sequence matrix)"),
            value<long>()->default_value(std::to_string(defaults.d_model))->range(1, kMaxDModel),
            "N");
    if (features & heads)
        add("heads", tr("number of attention heads h (d_model must be divisible by h)"),
            value<long>()->default_value(std::to_string(defaults.num_heads))->range(1, kMaxDModel),
            "N");
    if (features & ffn)
        add("d-ff", tr("hidden width of the feed-forward network (0 means 4 * d_model)"),
            value<long>()->default_value(std::to_string(defaults.d_ff))->range(0, kMaxDff), "N");
    if (features & layers)
        add("layers", tr("number of stacked layers N"),
            value<long>()->default_value(std::to_string(defaults.layers))->range(1, kMaxLayers),
            "N");
    if (features & mask)
        add("mask", tr("attention mask: none, causal or padding"),
            value<std::string>()->default_value(defaults.mask), "KIND");
    if (features & activation)
        add("activation", tr("feed-forward activation: relu or gelu"),
            value<std::string>()->default_value(defaults.activation == Activation::gelu ? "gelu"
                                                                                        : "relu"),
            "NAME");
    if (features & norm_first)
        add("norm-first",
            defaults.norm_first
                ? tr("pre-LN: normalise before each sublayer (default: pre-LN)")
                : tr("pre-LN: normalise before each sublayer (default: post-LN, as the paper)"),
            value<bool>()->default_value(defaults.norm_first ? "true" : "false"));
    if (features & text)
        add("text", tr("input sentence (UTF-8; each CJK character is one token)"),
            value<std::string>()->default_value(text_or_default(defaults.text)), "TEXT");
    if (features & input)
        add("input", tr("use this matrix (n rows, d_model columns) as the input X"),
            value<std::string>(), "FILE.npy");
    if (features & memory)
        add("memory", tr("the encoder output the decoder attends to"), value<std::string>(),
            "FILE.npy");
    if (features & weights) {
        add("weights", tr("load the parameters from this file instead of drawing them"),
            value<std::string>(), "FILE.safetensors");
        add("save-weights", tr("write the parameters this run used"), value<std::string>(),
            "FILE.safetensors");
    }
    if (features & grad_output)
        add("grad-output",
            tr("run backward with this dL/d(output); dump grad_input.npy and grad.PARAM.npy"),
            value<std::string>(), "FILE.npy");
    if (features & mask)
        add("pad",
            tr("with --mask padding: append N <pad> tokens to the sentence (with --input: treat "
               "its last N rows as padding)"),
            value<long>()->default_value(std::to_string(defaults.pad))->range(0, kMaxPad), "N");

    auto print = options.add_options(tr("Printing"));
    print("dump-dir", tr("also write every printed tensor to DIR/NAME.npy"), value<std::string>(),
          "DIR");
    print("out", tr("also draw every shaded tensor and every plot as DIR/NAME.svg"),
          value<std::string>(), "DIR");
    print("html",
          tr("also write the whole lesson, narration, tables and pictures, as one web page"),
          value<std::string>(), "FILE.html");
    print("precision", tr("digits after the decimal point"),
          value<long>()->default_value(std::to_string(defaults.print.precision))->range(0, 15),
          "N");
    print("max-rows", tr("rows shown before eliding the middle"),
          value<long>()->default_value(std::to_string(defaults.print.max_rows))->range(1, 1000000),
          "N");
    print("max-cols",
          tr("columns shown before eliding the middle (default: as many as fit the screen)"),
          value<long>()->range(1, 1000000), "N");
    print("color",
          tr("colour and heat shading: auto (a terminal, not with TERM=dumb or NO_COLOR), always, "
             "never"),
          value<std::string>()->default_value("auto"), "WHEN");
    print("q,quiet", tr("no narration, tensors only"), value<bool>()->default_value("false"));
}

namespace {
// The page that explains a lesson in the language it speaks: docs/zh/03-attention.md
// beside docs/03-attention.md (the tools' pages are in English only).
std::string localized_docs_page(const Options& options) {
    const std::string& page = options.docs_page();
    const bool lesson = !options.program().empty() &&
                        std::isdigit(static_cast<unsigned char>(options.program()[0]));
    if (current_language() == Language::zh && lesson && page.rfind("docs/", 0) == 0)
        return "docs/zh/" + page.substr(5);
    return page;
}
}  // namespace

std::string help_text(const Options& options) {
    // The program's description and the usage line (cxxopts's own help, asked for a group
    // that does not exist, is this header alone).
    std::string text;
    std::stringstream header(options.description() + "\n" + tr("Usage:") + "\n  " +
                             options.program() + " " + tr("[OPTION...]") + "\n\n");
    for (std::string line; std::getline(header, line);) {
        // Only a description too long for the terminal is re-wrapped (which would also
        // drop the usage line's indent).
        const std::vector<std::string> parts = display_width(line) <= kHelpWidth
                                                   ? std::vector<std::string>{line}
                                                   : wrap_words(line, kHelpWidth);
        for (const std::string& part : parts) text += part + "\n";
    }

    std::vector<std::string> groups;
    std::size_t column = 0;
    for (const OptionInfo& o : options.options()) {
        if (std::find(groups.begin(), groups.end(), o.group) == groups.end())
            groups.push_back(o.group);
        column = std::max(column, display_width(option_column(o)));
    }
    column = std::min(column, kMaxOptionColumn) + 2;

    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (g > 0) text += "\n";
        // (The group's name is translated where it is given; tr() again finds a name that
        // was only marked.)
        if (!groups[g].empty()) text += tr(" {1} options:", tr(groups[g])) + "\n";
        for (const OptionInfo& o : options.options()) {
            if (o.group != groups[g]) continue;
            std::string line = option_column(o);
            const std::size_t used = display_width(line);
            // A long option name gets a line of its own; its description starts below.
            if (used + 2 > column) {
                text += line + "\n";
                line.clear();
            }
            line += std::string(column - (line.empty() ? 0 : used), ' ');
            for (std::string part : description_lines(option_description(o), kHelpWidth - column)) {
                std::replace(part.begin(), part.end(), kUnbreakableSpace, ' ');
                text += line + part + "\n";
                line = std::string(column, ' ');
            }
        }
    }
    if (!options.example_commands().empty()) {
        text += "\n" + tr("Examples:") + "\n";
        for (const std::string& command : options.example_commands()) text += "  " + command + "\n";
    }
    if (!options.docs_page().empty())
        text += "\n" + tr("The lesson explained: {1}", localized_docs_page(options)) + "\n";
    return text;
}

void Options::narrow_range(const std::string& name, long min, long max) {
    const OptionInfo* o = find_long(*this, name);
    require(o != nullptr && o->value, tr("narrow_range: no option --{1}", name));
    o->value->range(min, max);
}

std::size_t size_of(const ParseResult& result, const std::string& name) {
    const long v = result[name].as<long>();
    require(v >= 0, tr("--{1} must be at least 0 (got {2})", name, v));
    return static_cast<std::size_t>(v);
}

std::string make_folder(const std::string& option, const std::string& path) {
    require(!path.empty(), tr("--{1} is empty", option));
    std::error_code ec;
    // The folders this creates, outermost first, so that a run that fails afterwards
    // removes them again (guarded_main), as long as nothing was written into them.
    std::vector<std::string> missing;
    for (std::filesystem::path p = std::filesystem::path(path).lexically_normal();
         !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
        missing.insert(missing.begin(), p.string());
        if (p == p.parent_path()) break;
    }
    std::filesystem::create_directories(path, ec);
    for (const std::string& m : missing) created_folders().push_back(m);
    require(std::filesystem::is_directory(path),
            ec ? tr("--{1} {2}: cannot create the folder ({3})", option, path, ec.message())
               : tr("--{1} {2}: cannot create the folder", option, path));
    return path;
}

std::string version_text(const std::string& program) {
    return tr("{1} (transformer-course) {2}, commit {3}", program, TFM_VERSION, TFM_COMMIT);
}

std::string closest_option(const Options& options, const std::string& given) {
    std::string wanted = given;
    std::replace(wanted.begin(), wanted.end(), '_', '-');
    std::transform(wanted.begin(), wanted.end(), wanted.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (const OptionInfo& o : options.options()) {
        if (o.long_name.empty()) continue;
        const std::size_t d = edit_distance(wanted, o.long_name);
        if (d < best_distance) {
            best_distance = d;
            best = o.long_name;
        }
    }
    // A typo is one or two edits in a name long enough for that to be unambiguous.
    const std::size_t allowed = wanted.size() <= 3 ? 1 : wanted.size() <= 6 ? 2 : 3;
    return best_distance <= allowed ? best : "";
}

bool color_allowed(int fd) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && no_color[0] != '\0') return false;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
    return ::isatty(fd) == 1;
}

ParseResult parse(Options& options, int argc, char** argv,
                  const std::vector<std::pair<std::string, std::string>>& aliases) {
    std::vector<std::string> args(argv, argv + argc);
    for (std::string& a : args)
        for (const auto& [alias, name] : aliases) {
            if (a == "--" + alias) a = "--" + name;
            if (a.rfind("--" + alias + "=", 0) == 0) a = "--" + name + a.substr(alias.size() + 2);
        }
    // Every program answers --version and --lang, whether or not it has the shared options.
    if (find_long(options, "version") == nullptr)
        options.add_options()("version",
                              tr("print the version and the git commit of this build, and exit"));
    // (guarded_main has already read --lang, before any message was made: see language_of.)
    if (find_long(options, "lang") == nullptr)
        options.add_options()("lang",
                              tr("the language to speak: en or zh (without it: LANGUAGE, "
                                 "LC_ALL, LC_MESSAGES, LANG, as GNU programs read them)"),
                              value<std::string>(), "LANG");
    check_arguments(options, args);
    std::vector<char*> arg_ptrs;
    for (std::string& a : args) arg_ptrs.push_back(a.data());
    auto impl = std::make_shared<ParseResult::Impl>();
    try {
        impl->parsed = options.impl().parser.parse(argc, arg_ptrs.data());
    } catch (const cxxopts::exceptions::exception& e) {
        throw InputError(e.what());  // what check_arguments did not foresee
    }
    impl->unmatched = impl->parsed.unmatched();
    impl->program = options.program();
    impl->description = options.description();
    impl->docs_page = options.docs_page();
    impl->command = shell_command(args);
    ParseResult result;
    result.impl = impl;
    if (result.count("help")) {
        std::fputs(help_text(options).c_str(), stdout);
        throw EarlyExit{};
    }
    if (result.count("version")) {
        std::printf("%s\n", version_text(options.program()).c_str());
        throw EarlyExit{};
    }
    if (!result.unmatched().empty())
        throw InputError(tr("unexpected argument '{1}'", result.unmatched().front()));
    return result;
}

namespace {

// A link from the page's folder to a file of the project, when the lesson runs from the
// project's root (where docs/ and lessons/ are); none otherwise.
void link_if_there(std::vector<PageLink>& links, const std::string& text,
                   const std::filesystem::path& file, const std::filesystem::path& page_folder) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return;
    const std::filesystem::path href =
        std::filesystem::absolute(file, ec).lexically_relative(page_folder);
    if (!ec && !href.empty()) links.push_back({text, href.generic_string()});
}

std::shared_ptr<Outputs> read_outputs(const ParseResult& result, bool quiet) {
    if (!result.count("out") && !result.count("html")) return nullptr;
    auto outputs = std::make_shared<Outputs>();
    outputs->quiet = quiet;
    if (result.count("out"))
        outputs->picture_dir = make_folder("out", result["out"].as<std::string>());
    if (result.count("html")) {
        const std::string path = result["html"].as<std::string>();
        require(!path.empty(), tr("--{1} is empty", "html"));
        std::error_code ec;
        const std::filesystem::path folder =
            std::filesystem::absolute(std::filesystem::path(path), ec).parent_path();
        require(!ec && std::filesystem::is_directory(folder, ec),
                tr("--{1} {2}: folder {3} does not exist", "html", path, folder.string()));
        const std::string& program = result.impl->program;
        std::vector<PageLink> links;
        link_if_there(links, tr("all lessons"), folder / "index.html", folder);
        if (!result.impl->docs_page.empty()) {
            // The page in the language the lesson speaks, when there is one.
            const std::string& page = result.impl->docs_page;
            const std::size_t before = links.size();
            if (current_language() == Language::zh && page.rfind("docs/", 0) == 0)
                link_if_there(links, tr("the lesson explained"), "docs/zh/" + page.substr(5),
                              folder);
            if (links.size() == before)
                link_if_there(links, tr("the lesson explained"), page, folder);
        }
        link_if_there(links, tr("source"), "lessons/" + program + ".cpp", folder);
        outputs->page_path = path;
        outputs->page.emplace(result.impl->description, result.impl->command, std::move(links));
    }
    pending_outputs().push_back(outputs);
    return outputs;
}

}  // namespace

void require_budget(const Common& c, unsigned features, std::uint64_t rows,
                    std::uint64_t memory_rows) {
    StackRun run;
    run.layer.d_model = c.d_model;
    run.layer.num_heads = c.num_heads;
    run.layer.d_ff = c.d_ff;
    run.layers = features & layers ? c.layers : 1;
    run.decoder = (features & memory) != 0;
    run.rows = rows;
    run.memory_rows = memory_rows;
    run.vocab = features & text ? kLessonVocabRows : 0;
    Footprint need = footprint(run);
    if (run.decoder) {  // lesson 07 also runs lesson 06's encoder for its memory
        StackRun encoder = run;
        encoder.decoder = false;
        encoder.rows = memory_rows;
        encoder.vocab = 0;
        need = need + footprint(encoder);
    }
    std::string sizes_given;  // "--d-model 8, --heads 2"
    const auto size = [&](unsigned feature, const char* option, std::uint64_t value) {
        if (features & feature)
            sizes_given += (sizes_given.empty() ? "--" : ", --") + std::string(option) + " " +
                           std::to_string(value);
    };
    size(sizes, "d-model", c.d_model);
    size(heads, "heads", c.num_heads);
    size(ffn, "d-ff", c.d_ff);
    size(layers, "layers", c.layers);
    // What would need the memory: "--d-model 8, --heads 2, over 7 tokens".
    const std::string what =
        sizes_given.empty()
            ? (c.input.empty() ? tr("over {1} tokens", rows) : tr("over {1} rows of --input", rows))
        : c.input.empty() ? tr("{1}, over {2} tokens", sizes_given, rows)
                          : tr("{1}, over {2} rows of --input", sizes_given, rows);
    require_memory(what, need.bytes);
    require_work(what, need.madds);
}

Common read_common(const ParseResult& result, unsigned features, const Common& defaults) {
    Common c = defaults;
    c.seed = result["seed"].as<std::uint64_t>();
    // First: every file read below is checked against it.
    set_memory_budget(read_memory_budget(result["max-memory"].as<std::string>()));
    if (features & sizes) c.d_model = size_of(result, "d-model");
    if (features & heads) {
        c.num_heads = size_of(result, "heads");
        require(c.d_model % c.num_heads == 0,
                tr("--d-model {1} is not divisible by --heads {2} (each head gets d_model / heads "
                   "columns)",
                   c.d_model, c.num_heads));
    }
    if (features & ffn) c.d_ff = size_of(result, "d-ff");
    if (c.d_ff == 0) c.d_ff = 4 * c.d_model;
    if (features & layers) c.layers = size_of(result, "layers");
    if (features & mask) {
        c.mask = result["mask"].as<std::string>();
        require(c.mask == "none" || c.mask == "causal" || c.mask == "padding",
                tr("--mask must be none, causal or padding (got '{1}')", c.mask));
        c.pad = size_of(result, "pad");
    }
    if (features & activation)
        c.activation = read_activation(result["activation"].as<std::string>());
    if (features & norm_first) c.norm_first = result["norm-first"].as<bool>();
    if (features & text) {
        c.text = result["text"].as<std::string>();
        require(c.text.find_first_not_of(" \t\r\n") != std::string::npos,
                tr("--{1} is empty", "text"));
        require_utf8("--text", c.text);  // before anything is printed: stdout stays UTF-8
    } else {
        c.text = text_or_default(c.text);
    }
    if (features & input) c.input = read_existing_file(result, "input");
    if (features & memory) c.memory = read_existing_file(result, "memory");
    if (features & weights) {
        c.weights = read_existing_file(result, "weights");
        if (result.count("save-weights")) {
            c.save_weights = result["save-weights"].as<std::string>();
            require(!c.save_weights.empty(), tr("--{1} is empty", "save-weights"));
            const std::filesystem::path parent =
                std::filesystem::path(c.save_weights).parent_path();
            std::error_code ec;
            require(parent.empty() || std::filesystem::is_directory(parent, ec),
                    tr("--{1} {2}: folder {3} does not exist", "save-weights", c.save_weights,
                       parent.string()));
            // Now, not after a training run: a folder name, or a folder we may not write.
            probe_writable("--save-weights", c.save_weights);
        }
    }
    if (features & grad_output) c.grad_output = read_existing_file(result, "grad-output");
    if (features & (text | input)) {
        // The rows the lesson's module runs on, from --input's header or the sentence's
        // tokens (+ <bos> and the <pad>s), checked before anything is allocated.
        const std::uint64_t rows = !c.input.empty() ? read_npy_shape(c.input).rows
                                                    : tokenize_words(c.text).size() + 1 +
                                                          (c.mask == "padding" ? c.pad : 0);
        const std::uint64_t memory_rows = !c.memory.empty() ? read_npy_shape(c.memory).rows : rows;
        require_budget(c, features, rows, memory_rows);
    }

    c.print.precision = static_cast<int>(size_of(result, "precision"));
    c.print.max_rows = static_cast<int>(size_of(result, "max-rows"));
    if (result.count("max-cols")) c.print.max_cols = static_cast<int>(size_of(result, "max-cols"));
    c.print.width = screen_width();
    c.print.color = resolve_color(result["color"].as<std::string>());
    c.print.quiet = result["quiet"].as<bool>();
    if (result.count("dump-dir"))
        c.print.dump_dir = make_folder("dump-dir", result["dump-dir"].as<std::string>());
    c.print.outputs = read_outputs(result, c.print.quiet);
    set_seed(c.seed);
    return c;
}

namespace {

// Where --lang is among the arguments (before a "--"): its value's index, or -1.
int lang_value_index(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") break;
        if (a == "--lang") return i + 1;
        if (a.rfind("--lang=", 0) == 0) return i;
    }
    return -1;
}

bool has_lang_option(int argc, char** argv) { return lang_value_index(argc, argv) >= 0; }

// --lang's value when given (InputError when it is not a language), else the environment's.
Language language_of(int argc, char** argv) {
    const int i = lang_value_index(argc, argv);
    if (i < 0) return language_from_environment();
    if (i >= argc) throw InputError(tr("option 'lang' requires an argument (en or zh)"));
    const std::string a = argv[i];
    return parse_language(a.rfind("--lang=", 0) == 0 ? a.substr(7) : a);
}

}  // namespace

int guarded_main(int argc, char** argv, int (*body)(int, char**)) {
    const std::string program =
        argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string("lesson");
    // "PROGRAM: error: MESSAGE" (status 2, with "Try 'PROGRAM --help'.") or "PROGRAM:
    // internal error: MESSAGE" (status 1), in the language the run speaks.
    auto report = [&](const std::string& message, int status) {
        std::string line = message;
        for (char& ch : line)
            if (ch == '\n' || ch == '\r') ch = ' ';
        std::fflush(stdout);
        const std::string said = status == 2 ? tr("{1}: error: {2}", program, line)
                                             : tr("{1}: internal error: {2}", program, line);
        std::fprintf(stderr, "%s\n", said.c_str());
        if (status == 2) std::fprintf(stderr, "%s\n", tr("Try '{1} --help'.", program).c_str());
        return status;
    };
    keep_freed_memory();
    // The language first, so that --help, every error and every line speak it.
    try {
        const Language language = language_of(argc, argv);
        try {
            set_language(language);
        } catch (const InputError& e) {
            if (has_lang_option(argc, argv)) throw;
            // Only the environment asked for Chinese: say why the run speaks English.
            std::fprintf(stderr, "%s\n",
                         tr("{1}: warning: {2}; speaking English", program, e.what()).c_str());
        }
    } catch (const InputError& e) {
        return report(e.what(), 2);
    }
    int status = 0;
    try {
        status = body(argc, argv);
    } catch (const EarlyExit&) {
        status = 0;
    } catch (const InputError& e) {
        remove_created_folders();
        return report(e.what(), 2);
    } catch (const std::exception& e) {
        return report(e.what(), 1);
    }
    // The pictures are written; the pages, and what this run wrote, once the lesson is done.
    if (status == 0) {
        try {
            for (const std::shared_ptr<Outputs>& outputs : pending_outputs()) {
                const std::string said = outputs->finish();
                if (said.empty() || outputs->quiet) continue;
                for (const std::string& line : wrap_words(said, 88))
                    std::printf("%s\n", line.c_str());
            }
        } catch (const InputError& e) {
            return report(e.what(), 2);
        }
    }
    pending_outputs().clear();
    // A full disk or a closed pipe loses the output silently unless someone looks.
    // (std::cout shares stdout's buffer: its flush is the one that meets the error.)
    errno = 0;
    std::cout.flush();
    int error = errno;
    if (std::fflush(stdout) != 0) error = errno;
    if (!std::cout || std::ferror(stdout)) {
        const std::string said = error != 0
                                     ? tr("{1}: error: write error on standard output: {2}",
                                          program, std::string(std::strerror(error)))
                                     : tr("{1}: error: write error on standard output", program);
        std::fprintf(stderr, "%s\n", said.c_str());
        return 1;
    }
    return status;
}

}  // namespace tfm::cli
