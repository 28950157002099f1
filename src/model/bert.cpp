#include "model/bert.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/activation.hpp"
#include "ops/mask.hpp"
#include "text/tokenizer.hpp"

namespace tfm {
namespace {

const ModelConfig& checked(const ModelConfig& config) {
    config.validate();
    require(config.architecture == Architecture::encoder_only && config.mlm_head &&
                !config.pooler && config.segment_types == 0 && !config.norm_first,
            [&] {
                return tr(
                    "Bert: the configuration is not lesson 12's BERT (encoder-only, post-LN, "
                    "masked-LM head, no pooler, one segment)");
            });
    require(config.src_vocab_size > 0, [&] { return tr("Bert: the vocabulary is empty"); });
    return config;
}

}  // namespace

ModelConfig bert_lesson_config(arma::uword vocab_size) {
    ModelConfig c;
    c.name = "tang-bert";
    c.architecture = Architecture::encoder_only;
    c.d_model = 64;
    c.num_heads = 4;
    c.d_ff = 256;
    c.activation = Activation::gelu;
    c.norm_first = false;
    c.cross_attention = false;
    c.encoder_layers = 2;
    c.decoder_layers = 0;
    c.src_vocab_size = vocab_size;
    c.tgt_vocab_size = 0;
    c.max_positions = 64;
    c.segment_types = 0;
    c.pooler = false;
    c.mlm_head = true;
    return c;
}

Bert::Bert(const ModelConfig& cfg)
    : config(checked(cfg)),
      embed(cfg.src_vocab_size, cfg.d_model),
      pos_embed(cfg.max_positions, cfg.d_model),
      embed_norm(cfg.d_model),
      encoder(cfg, cfg.encoder_layers),
      head_dense(cfg.d_model, cfg.d_model),
      head_norm(cfg.d_model),
      head_bias(1, cfg.src_vocab_size, arma::fill::zeros),
      head_bias_grad(1, cfg.src_vocab_size, arma::fill::zeros) {}

arma::mat Bert::encode(const std::vector<TokenIds>& batch) {
    require(!batch.empty() && !batch.front().empty(), [&] { return tr("Bert: an empty batch"); });
    const arma::uword n = batch.front().size(), B = batch.size();
    require(n <= config.max_positions, [&] {
        return tr("Bert: {1} tokens, more than the {2} positions", n, config.max_positions);
    });
    TokenIds ids, positions;
    std::vector<bool> is_pad;
    for (const TokenIds& seq : batch) {
        require(seq.size() == n,
                [&] { return tr("Bert: the sequences of a batch must have one length"); });
        bool all_pad = true;
        for (arma::uword t = 0; t < n; ++t) {
            ids.push_back(seq[t]);
            positions.push_back(t);
            is_pad.push_back(seq[t] == Vocab::pad);
            all_pad = all_pad && seq[t] == Vocab::pad;
        }
        require(!all_pad,
                [&] { return tr("Bert: a sequence of <pad> only has nothing to attend to"); });
    }
    const arma::mat h0 =
        drop_embed.forward(embed_norm.forward(embed.forward(ids) + pos_embed.forward(positions)));
    return encoder.forward(h0, key_padding_mask(padding_rows(is_pad, B), n), B);
}

arma::mat Bert::head(const arma::mat& hidden) {
    pre_gelu_ = head_dense.forward(hidden);
    transformed_ = head_norm.forward(activate(Activation::gelu, pre_gelu_, &cdf_));
    arma::mat logits = transformed_ * embed.weight.t();
    logits.each_row() += head_bias;
    return logits;
}

arma::mat Bert::forward(const std::vector<TokenIds>& batch) {
    hidden_ = encode(batch);
    rows_.reset();
    return head(hidden_);
}

arma::mat Bert::forward_rows(const std::vector<TokenIds>& batch,
                             const std::vector<arma::uword>& rows) {
    hidden_ = encode(batch);
    std::vector<char> seen(hidden_.n_rows, 0);
    for (arma::uword r : rows) {
        require(r < hidden_.n_rows, [&] {
            return "Bert::forward_rows: row " + std::to_string(r) + " of " +
                   std::to_string(hidden_.n_rows);
        });
        require(!seen[r],
                [&] { return "Bert::forward_rows: row " + std::to_string(r) + " asked twice"; });
        seen[r] = 1;
    }
    rows_ = arma::uvec(rows);
    return head(hidden_.rows(rows_));
}

void Bert::backward(const arma::mat& dlogits) {
    require(dlogits.n_rows == transformed_.n_rows && dlogits.n_cols == embed.weight.n_rows,
            "Bert::backward: dlogits do not match the last forward");
    head_bias_grad += arma::sum(dlogits, 0);
    embed.weight_grad += dlogits.t() * transformed_;  // the output layer's use of E
    const arma::mat dpre = activate_backward(Activation::gelu, pre_gelu_,
                                             head_norm.backward(dlogits * embed.weight), &cdf_);
    arma::mat dhidden = head_dense.backward(dpre);
    if (!rows_.is_empty()) {  // the head ran on rows_ alone: the other rows' gradient is 0
        arma::mat every(hidden_.n_rows, hidden_.n_cols, arma::fill::zeros);
        every.rows(rows_) = dhidden;
        dhidden = std::move(every);
    }
    const arma::mat dh0 = embed_norm.backward(drop_embed.backward(encoder.backward(dhidden)));
    embed.backward(dh0);
    pos_embed.backward(dh0);
}

void Bert::zero_grad() {
    embed.zero_grad();
    pos_embed.zero_grad();
    embed_norm.zero_grad();
    encoder.zero_grad();
    head_dense.zero_grad();
    head_norm.zero_grad();
    head_bias_grad.zeros();
}

void Bert::set_dropout(double rate, std::mt19937_64* rng) {
    drop_embed.set(rate, rng);
    encoder.set_dropout(rate, rng);
}

ParamList Bert::params() {
    ParamList out;
    embed.params("embed.", out);
    pos_embed.params("pos_embed.", out);
    embed_norm.params("embed_norm.", out);
    encoder.params("encoder.", out);
    head_dense.params("mlm_head.dense.", out);
    head_norm.params("mlm_head.norm.", out);
    out.push_back({"mlm_head.bias", &head_bias, &head_bias_grad, true, {Init::constant, 0.0}});
    return out;
}

}  // namespace tfm
