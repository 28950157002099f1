#include "model/gpt.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/mask.hpp"

namespace tfm {
namespace {

const ModelConfig& checked(const ModelConfig& config) {
    config.validate();
    require(config.architecture == Architecture::decoder_only && config.tie_output &&
                config.norm_first && !config.cross_attention,
            [&] {
                return tr(
                    "Gpt: the configuration is not a GPT's (decoder-only, pre-LN, tied output, no "
                    "cross-attention)");
            });
    require(config.src_vocab_size > 0, [&] { return tr("Gpt: the vocabulary is empty"); });
    return config;
}

}  // namespace

ModelConfig gpt_lesson_config(arma::uword vocab_size) {
    ModelConfig c;
    c.name = "tang-gpt";
    c.architecture = Architecture::decoder_only;
    c.d_model = 32;
    c.num_heads = 4;
    c.d_ff = 128;
    c.activation = Activation::gelu;
    c.norm_first = true;
    c.cross_attention = false;
    c.encoder_layers = 0;
    c.decoder_layers = 3;
    c.src_vocab_size = c.tgt_vocab_size = vocab_size;
    c.max_positions = 64;
    c.tie_output = true;
    return c;
}

Gpt::Gpt(const ModelConfig& cfg)
    : config(checked(cfg)),
      embed(cfg.src_vocab_size, cfg.d_model),
      pos_embed(cfg.max_positions, cfg.d_model),
      decoder(cfg, cfg.decoder_layers) {}

arma::mat Gpt::forward(const std::vector<TokenIds>& batch) {
    require(!batch.empty() && !batch.front().empty(), [&] { return tr("Gpt: an empty batch"); });
    const arma::uword n = batch.front().size(), B = batch.size();
    require(n <= config.max_positions, [&] {
        return tr("Gpt: {1} tokens, more than the {2} positions", n, config.max_positions);
    });
    TokenIds ids, positions;
    for (const TokenIds& seq : batch) {
        require(seq.size() == n,
                [&] { return tr("Gpt: the sequences of a batch must have one length"); });
        ids.insert(ids.end(), seq.begin(), seq.end());
        for (arma::uword t = 0; t < n; ++t) positions.push_back(t);
    }
    const arma::mat h0 = drop_embed.forward(embed.forward(ids) + pos_embed.forward(positions));
    hidden_ = decoder.forward(h0, arma::mat(), arma::repmat(causal_mask(n), B, 1), {}, B);
    sequences_ = B;
    length_ = n;
    return hidden_ * embed.weight.t();
}

void Gpt::backward(const arma::mat& dlogits) {
    require(dlogits.n_rows == hidden_.n_rows && dlogits.n_cols == embed.weight.n_rows,
            "Gpt::backward: dlogits do not match the last forward");
    embed.weight_grad += dlogits.t() * hidden_;  // the output layer's use of E
    const arma::mat dh0 = drop_embed.backward(decoder.backward(dlogits * embed.weight).dy);
    embed.backward(dh0);
    pos_embed.backward(dh0);
}

DecoderCache Gpt::start_cache(arma::uword sequences, arma::uword capacity) {
    return decoder.start_cache(arma::mat(), 1, {}, std::vector<arma::uword>(sequences, 0),
                               capacity);
}

arma::mat Gpt::forward_step(const TokenIds& ids, DecoderCache& cache) {
    const arma::uword t = cache.length();
    require(t < config.max_positions,
            [&] { return tr("Gpt: the context of {1} positions is full", config.max_positions); });
    const arma::mat h0 = embed.forward(ids) + pos_embed.forward(TokenIds(ids.size(), t));
    return decoder.forward_step(h0, cache) * embed.weight.t();
}

void Gpt::zero_grad() {
    embed.zero_grad();
    pos_embed.zero_grad();
    decoder.zero_grad();
}

void Gpt::set_dropout(double rate, std::mt19937_64* rng) {
    drop_embed.set(rate, rng);
    decoder.set_dropout(rate, rng);
}

ParamList Gpt::params() {
    ParamList out;
    embed.params("embed.", out);
    pos_embed.params("pos_embed.", out);
    decoder.params("decoder.", out);
    return out;
}

}  // namespace tfm
