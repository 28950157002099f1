#include "cli/weight_files.hpp"

#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"

#include <utility>
#include <vector>

namespace tfm::cli {
namespace {

// The metadata keys, the feature that has the option, and how the option is written.
struct Key {
    const char* name;
    Feature feature;
    const char* option;
};
const std::vector<Key>& keys() {
    static const std::vector<Key> k = {{"d_model", sizes, "--d-model"},
                                       {"num_heads", heads, "--heads"},
                                       {"d_ff", ffn, "--d-ff"},
                                       {"layers", layers, "--layers"},
                                       {"norm_first", norm_first, "--norm-first"},
                                       {"activation", activation, "--activation"}};
    return k;
}

// How this run's value reads on the command line: "--heads 4", "--norm-first",
// "no --norm-first".
std::string as_option(const Key& key, const std::string& value) {
    if (std::string(key.name) == "norm_first")
        return value == "true" ? std::string("--norm-first") : tr("no --norm-first");
    return std::string(key.option) + " " + value;
}

}  // namespace

Metadata lesson_weight_metadata(const Common& c, const std::string& lesson, unsigned features) {
    Metadata m{{"lesson", lesson}};
    const std::vector<std::pair<std::string, std::string>> values = {
        {"d_model", std::to_string(c.d_model)},
        {"num_heads", std::to_string(c.num_heads)},
        {"d_ff", std::to_string(c.d_ff)},
        {"layers", std::to_string(c.layers)},
        {"norm_first", c.norm_first ? "true" : "false"},
        {"activation", to_string(c.activation)}};
    for (std::size_t i = 0; i < keys().size(); ++i)
        if (features & keys()[i].feature) m[values[i].first] = values[i].second;
    return m;
}

void check_weight_metadata(const std::string& path, const Metadata& found,
                           const Metadata& expected) {
    for (const Key& key : keys()) {
        const auto f = found.find(key.name);
        const auto e = expected.find(key.name);
        if (f == found.end() || e == expected.end()) continue;
        const std::string name = key.name;
        bool same = false;
        if (name == "norm_first" || name == "activation") {
            const bool known = name == "norm_first" ? (f->second == "true" || f->second == "false")
                                                    : (f->second == "relu" || f->second == "gelu");
            require(
                known,
                name == "norm_first"
                    ? tr("{1}: metadata {2} = '{3}' is not true or false", path, name, f->second)
                    : tr("{1}: metadata {2} = '{3}' is not relu or gelu", path, name, f->second));
            same = f->second == e->second;
        } else {
            same = metadata_size(path, name, f->second) == metadata_size(path, name, e->second);
        }
        require(same, tr("{1}: the file was saved with {2} = {3} ({4}), but this run has {5} = "
                         "{6} ({7})",
                         path, name, f->second, as_option(key, f->second), name, e->second,
                         as_option(key, e->second)));
    }
}

}  // namespace tfm::cli
