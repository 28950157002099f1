#include "train/checkpoint.hpp"

#include "core/error.hpp"
#include "io/safetensors.hpp"

#include <nlohmann/json.hpp>

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

std::map<std::string, std::string> read_safetensors_metadata(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    require(static_cast<bool>(in), "cannot open " + path);
    unsigned char len_bytes[8];
    in.read(reinterpret_cast<char*>(len_bytes), 8);
    require(in.gcount() == 8, path + ": truncated safetensors header");
    std::uint64_t len = 0;
    for (int i = 7; i >= 0; --i) len = (len << 8) | len_bytes[i];
    require(len < (1ull << 30), path + ": implausible safetensors header length");
    std::string header(len, '\0');
    in.read(&header[0], static_cast<std::streamsize>(len));
    require(static_cast<std::uint64_t>(in.gcount()) == len, path + ": truncated safetensors header");
    const nlohmann::json json = nlohmann::json::parse(header, nullptr, false);
    require(!json.is_discarded() && json.is_object(), path + ": safetensors header is not a JSON object");
    std::map<std::string, std::string> meta;
    const auto it = json.find("__metadata__");
    if (it == json.end() || !it->is_object()) return meta;
    for (const auto& [key, value] : it->items()) {
        if (value.is_string()) meta[key] = value.get<std::string>();
    }
    return meta;
}

CheckpointInfo read_checkpoint_info(const std::string& path, const ModelConfig& fallback) {
    CheckpointInfo info;
    info.metadata = read_safetensors_metadata(path);
    info.config = fallback;
    const auto size = [&](const char* key, arma::uword& field) {
        const auto it = info.metadata.find(key);
        if (it == info.metadata.end()) return;
        try {
            field = static_cast<arma::uword>(std::stoull(it->second));
        } catch (const std::exception&) {
            throw InputError(path + ": metadata " + key + " = '" + it->second + "' is not a number");
        }
    };
    size("d_model", info.config.d_model);
    size("num_heads", info.config.num_heads);
    size("d_ff", info.config.d_ff);
    size("encoder_layers", info.config.encoder_layers);
    size("decoder_layers", info.config.decoder_layers);
    size("src_vocab_size", info.config.src_vocab_size);
    size("tgt_vocab_size", info.config.tgt_vocab_size);
    if (info.metadata.count("norm_first")) info.config.norm_first = info.metadata["norm_first"] == "true";
    if (info.metadata.count("activation")) info.config.activation = parse_activation(info.metadata["activation"]);
    if (info.metadata.count("task")) info.task = info.metadata["task"];
    info.config.validate();
    return info;
}

}  // namespace tfm
