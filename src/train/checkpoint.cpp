#include "train/checkpoint.hpp"

#include "core/error.hpp"
#include "io/safetensors.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>

namespace tfm {

std::string vocab_path_for(const std::string& weights_path) {
    const std::string ext = ".safetensors";
    std::string base = weights_path;
    if (base.size() >= ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0)
        base.resize(base.size() - ext.size());
    return base + ".vocab.txt";
}

void save_vocab(const std::string& path, const Vocab& vocab) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        require(static_cast<bool>(out), "cannot write " + path);
        for (arma::uword id = 0; id < vocab.size(); ++id) out << vocab.token(id) << '\n';
        out.close();
        require(static_cast<bool>(out), "cannot write " + path);
    }
    require(std::rename(tmp.c_str(), path.c_str()) == 0, "cannot rename " + tmp + " to " + path);
}

void save_checkpoint(const std::string& path, Transformer& model, const Vocab& vocab,
                     const std::string& task, const std::map<std::string, std::string>& extra) {
    const ModelConfig& c = model.config;
    std::map<std::string, std::string> meta = extra;
    meta["task"] = task;
    meta.emplace("lesson", "09_full_model");
    meta["d_model"] = std::to_string(c.d_model);
    meta["num_heads"] = std::to_string(c.num_heads);
    meta["d_ff"] = std::to_string(c.d_ff);
    meta["encoder_layers"] = std::to_string(c.encoder_layers);
    meta["decoder_layers"] = std::to_string(c.decoder_layers);
    meta["src_vocab_size"] = std::to_string(c.src_vocab_size);
    meta["tgt_vocab_size"] = std::to_string(c.tgt_vocab_size);
    meta["norm_first"] = c.norm_first ? "true" : "false";
    meta["activation"] = to_string(c.activation);
    save_vocab(vocab_path_for(path), vocab);
    save_params(path, model.params(), meta);
}

CheckpointInfo read_checkpoint_info(const std::string& path, const ModelConfig& fallback) {
    CheckpointInfo info;
    info.metadata = read_safetensors_metadata(path);
    info.config = fallback;
    const auto size = [&](const char* key, arma::uword& field) {
        const auto it = info.metadata.find(key);
        if (it != info.metadata.end())
            field = static_cast<arma::uword>(metadata_size(path, key, it->second));
    };
    size("d_model", info.config.d_model);
    size("num_heads", info.config.num_heads);
    size("d_ff", info.config.d_ff);
    size("encoder_layers", info.config.encoder_layers);
    size("decoder_layers", info.config.decoder_layers);
    size("src_vocab_size", info.config.src_vocab_size);
    size("tgt_vocab_size", info.config.tgt_vocab_size);
    if (info.metadata.count("norm_first")) {
        const std::string& v = info.metadata["norm_first"];
        require(v == "true" || v == "false",
                path + ": metadata norm_first = '" + v + "' is not true or false");
        info.config.norm_first = v == "true";
    }
    if (info.metadata.count("activation")) {
        const std::string& v = info.metadata["activation"];
        require(v == "relu" || v == "gelu",
                path + ": metadata activation = '" + v + "' is not relu or gelu");
        info.config.activation = parse_activation(v);
    }
    if (info.metadata.count("task")) info.task = info.metadata["task"];
    info.config.validate();
    return info;
}

}  // namespace tfm
