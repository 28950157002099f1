#include "train/checkpoint.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/limits.hpp"
#include "io/files.hpp"
#include "io/safetensors.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>

namespace tfm {
namespace {

std::string shape_list(const std::vector<std::uint64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

}  // namespace

std::string vocab_path_for(const std::string& weights_path) {
    const std::string ext = ".safetensors";
    std::string base = weights_path;
    if (base.size() >= ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0)
        base.resize(base.size() - ext.size());
    return base + ".vocab.txt";
}

void save_vocab(const std::string& path, const Vocab& vocab) {
    write_file_atomically(path, vocab.text());
}

void save_checkpoint(const std::string& path, Transformer& model, const Vocab& vocab,
                     const std::string& task, const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> meta = extra;
    meta.emplace("lesson", "09_full_model");
    save_checkpoint(path, model.params(), model.config, vocab, task, meta);
}

void save_checkpoint(const std::string& path, const ParamList& params, const ModelConfig& c,
                     const Vocab& vocab, const std::string& task,
                     const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> meta = extra;
    meta["task"] = task;
    meta["d_model"] = std::to_string(c.d_model);
    meta["num_heads"] = std::to_string(c.num_heads);
    meta["d_ff"] = std::to_string(c.d_ff);
    if (c.architecture != Architecture::decoder_only)
        meta["encoder_layers"] = std::to_string(c.encoder_layers);
    if (c.architecture != Architecture::encoder_only)
        meta["decoder_layers"] = std::to_string(c.decoder_layers);
    meta["src_vocab_size"] = std::to_string(c.src_vocab_size);
    if (c.architecture != Architecture::encoder_only)  // BERT has no target vocabulary
        meta["tgt_vocab_size"] = std::to_string(c.tgt_vocab_size);
    meta["norm_first"] = c.norm_first ? "true" : "false";
    meta["activation"] = to_string(c.activation);
    if (c.architecture != Architecture::encoder_decoder) {
        meta["architecture"] = architecture_name(c.architecture);
        meta["max_positions"] = std::to_string(c.max_positions);
    }
    // One file, one atomic write: weights and vocabulary cannot disagree.
    meta["vocabulary"] = vocab.text();
    save_params(path, params, meta);
}

CheckpointInfo read_checkpoint_info(const std::string& path, const ModelConfig& fallback) {
    CheckpointInfo info;
    info.metadata = read_safetensors_metadata(path);
    info.config = fallback;
    // The same ranges as the options that set these sizes, so that a file cannot ask for
    // a model the command line could not.
    const auto size = [&](const char* key, arma::uword& field, long min, long max,
                          const char* option) {
        const auto it = info.metadata.find(key);
        if (it == info.metadata.end()) return;
        const std::uint64_t value = metadata_size(path, key, it->second);
        require(
            value >= static_cast<std::uint64_t>(min) && value <= static_cast<std::uint64_t>(max),
            tr("{1}: metadata {2} = {3} is out of range ({4} to {5}, as {6})", path, key,
               it->second, min, max, option[0] == '-' ? std::string(option) : tr(option)));
        field = static_cast<arma::uword>(value);
    };
    if (info.metadata.count("architecture")) {
        const std::string& v = info.metadata["architecture"];
        require(v == architecture_name(fallback.architecture),
                tr("{1}: metadata architecture = '{2}', but this lesson reads a {3} model", path, v,
                   architecture_name(fallback.architecture)));
    }
    size("d_model", info.config.d_model, 1, kMaxDModel, "--d-model");
    size("max_positions", info.config.max_positions, 1, kMaxPositions, N_("a model's positions"));
    size("num_heads", info.config.num_heads, 1, kMaxDModel, "--heads");
    size("d_ff", info.config.d_ff, 1, kMaxDff, "--d-ff");
    size("encoder_layers", info.config.encoder_layers, 1, kMaxLayers, "--layers");
    size("decoder_layers", info.config.decoder_layers, 1, kMaxLayers, "--layers");
    size("src_vocab_size", info.config.src_vocab_size, kMinVocab, kMaxVocab, N_("a vocabulary"));
    size("tgt_vocab_size", info.config.tgt_vocab_size, kMinVocab, kMaxVocab, N_("a vocabulary"));
    if (info.metadata.count("norm_first")) {
        const std::string& v = info.metadata["norm_first"];
        require(v == "true" || v == "false",
                tr("{1}: metadata norm_first = '{2}' is not true or false", path, v));
        info.config.norm_first = v == "true";
    }
    if (info.metadata.count("activation")) {
        const std::string& v = info.metadata["activation"];
        require(v == "relu" || v == "gelu",
                tr("{1}: metadata activation = '{2}' is not relu or gelu", path, v));
        info.config.activation = parse_activation(v);
    }
    if (info.metadata.count("task")) info.task = info.metadata["task"];
    try {
        info.config.validate();
    } catch (const InputError& e) {
        throw InputError(tr("{1}: metadata: {2}", path, e.what()));
    }
    return info;
}

Vocab read_checkpoint_vocab(const std::string& path, const Metadata& metadata,
                            const Vocab& fallback) {
    const auto it = metadata.find("vocabulary");
    if (it != metadata.end()) return Vocab::parse(it->second, tr("{1}: metadata vocabulary", path));
    const std::string beside = vocab_path_for(path);
    std::error_code ec;
    if (std::filesystem::is_regular_file(beside, ec)) return Vocab::load(beside);
    return fallback;
}

void check_checkpoint_tensors(const std::string& path, const ModelConfig& config) {
    const SafetensorsHeader header = read_safetensors_header(path);
    const ShapeList expected = model_shapes(config);
    const std::string sizes =
        tr("d_model {1}, d_ff {2}, {3} + {4} layers, vocabulary {5}", config.d_model, config.d_ff,
           config.encoder_layers, config.decoder_layers, config.src_vocab_size);
    for (const ParamShape& p : expected) {
        const auto it = header.shapes.find(p.name);
        require(it != header.shapes.end(),
                tr("{1}: tensor '{2}' {3}, which the model of {4} needs, is missing from the file",
                   path, p.name, shape_list(p.shape), sizes));
        require(it->second == p.shape,
                tr("{1}: tensor '{2}' is {3}, but the model of {4} needs {5}", path, p.name,
                   shape_list(it->second), sizes, shape_list(p.shape)));
    }
    for (const auto& entry : header.shapes) {
        const std::string& name = entry.first;
        const bool known = std::any_of(expected.begin(), expected.end(),
                                       [&](const ParamShape& p) { return p.name == name; });
        require(known,
                tr("{1}: tensor '{2}' is not a parameter of the model of {3}", path, name, sizes));
    }
}

}  // namespace tfm
