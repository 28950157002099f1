#include "model/config.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "model/transformer.hpp"
#include "nn/decoder.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/layer_norm.hpp"
#include "nn/linear.hpp"

namespace tfm {

std::string architecture_name(Architecture a) {
    switch (a) {
        case Architecture::encoder_decoder:
            return "encoder_decoder";
        case Architecture::encoder_only:
            return "encoder_only";
        case Architecture::decoder_only:
            return "decoder_only";
    }
    return "?";
}

void ModelConfig::validate() const {
    LayerConfig::validate();
    if (architecture != Architecture::decoder_only)
        require(encoder_layers >= 1, [&] { return tr("an encoder needs at least one layer"); });
    if (architecture != Architecture::encoder_only)
        require(decoder_layers >= 1, [&] { return tr("a decoder needs at least one layer"); });
}

ModelConfig layer_config(arma::uword d_model, arma::uword num_heads, arma::uword d_ff,
                         arma::uword layers, bool norm_first, Activation activation) {
    ModelConfig c;
    c.name = "custom";
    c.d_model = d_model;
    c.num_heads = num_heads;
    c.d_ff = d_ff;
    c.encoder_layers = c.decoder_layers = layers;
    c.src_vocab_size = c.tgt_vocab_size = 0;
    c.norm_first = norm_first;
    c.activation = activation;
    c.validate();
    return c;
}

namespace {

ModelConfig encoder_decoder(const std::string& name, arma::uword d_model, arma::uword heads,
                            arma::uword d_ff, arma::uword layers, arma::uword vocab) {
    ModelConfig c;
    c.name = name;
    c.architecture = Architecture::encoder_decoder;
    c.d_model = d_model;
    c.num_heads = heads;
    c.d_ff = d_ff;
    c.encoder_layers = c.decoder_layers = layers;
    c.src_vocab_size = c.tgt_vocab_size = vocab;
    return c;
}

// BERT (Devlin et al. 2018): WordPiece vocabulary 30,522, 512 learned positions,
// 2 segment types, post-LN GELU encoder, d_ff = 4·d_model, pooler Linear(d, d).
ModelConfig bert(const std::string& name, arma::uword d_model, arma::uword heads,
                 arma::uword layers) {
    ModelConfig c;
    c.name = name;
    c.architecture = Architecture::encoder_only;
    c.d_model = d_model;
    c.num_heads = heads;
    c.d_ff = 4 * d_model;
    c.encoder_layers = layers;
    c.decoder_layers = 0;
    c.src_vocab_size = 30522;
    c.tgt_vocab_size = 0;
    c.max_positions = 512;
    c.segment_types = 2;
    c.activation = Activation::gelu;
    return c;
}

// GPT-2 / GPT-3: BPE vocabulary 50,257, learned positions, pre-LN GELU blocks with
// causal self-attention and no cross-attention, a final LayerNorm, output tied to the
// token embedding.
ModelConfig gpt(const std::string& name, arma::uword d_model, arma::uword heads, arma::uword layers,
                arma::uword positions) {
    ModelConfig c;
    c.name = name;
    c.architecture = Architecture::decoder_only;
    c.d_model = d_model;
    c.num_heads = heads;
    c.d_ff = 4 * d_model;
    c.encoder_layers = 0;
    c.decoder_layers = layers;
    c.src_vocab_size = c.tgt_vocab_size = 50257;
    c.max_positions = positions;
    c.norm_first = true;
    c.activation = Activation::gelu;
    c.tie_output = true;
    return c;
}

// Both Transformer presets share one matrix between the two embeddings and the
// pre-softmax linear map (Vaswani et al. 2017, §3.4).
ModelConfig shared(ModelConfig c) {
    c.share_embeddings = true;
    c.tie_output = true;
    return c;
}

struct Preset {
    ModelConfig config;
    Published published;
};

// Every preset with its published size, in the order the tables list them: the one
// place that spells each name.
const std::vector<Preset>& presets() {
    static const std::vector<Preset> all = {
        // The lessons' default: small enough to print. Lessons that read text replace
        // the vocabulary sizes with their vocabulary's.
        {encoder_decoder("lesson", 8, 2, 32, 2, 16), {0, N_("not a published model"), 0}},
        // Vaswani et al. 2017, Table 3: one 37,000-token BPE vocabulary shared by source
        // and target; sinusoidal positions (no parameters).
        {shared(encoder_decoder("transformer-base", 512, 8, 2048, 6, 37000)),
         {65e6, N_("Vaswani et al. 2017, Table 3, base: 65 x 10^6"), 1e6}},
        {shared(encoder_decoder("transformer-big", 1024, 16, 4096, 6, 37000)),
         {213e6, N_("Vaswani et al. 2017, Table 3, big: 213 x 10^6"), 1e6}},
        {bert("bert-base", 768, 12, 12),
         {110e6, N_("Devlin et al. 2018, Sec. 3: BERT-Base 110M"), 10e6}},
        {bert("bert-large", 1024, 16, 24),
         {340e6, N_("Devlin et al. 2018, Sec. 3: BERT-Large 340M"), 10e6}},
        {gpt("gpt2-small", 768, 12, 12, 1024),
         {124e6, N_("OpenAI gpt-2 release name 124M (the 2019 paper's Table 2 said 117M)"), 1e6}},
        {gpt("gpt2-medium", 1024, 16, 24, 1024),
         {355e6, N_("OpenAI gpt-2 release name 355M (the paper said 345M)"), 1e6}},
        {gpt("gpt2-large", 1280, 20, 36, 1024),
         {774e6, N_("OpenAI gpt-2 release name 774M (the paper said 762M)"), 1e6}},
        {gpt("gpt2-xl", 1600, 25, 48, 1024),
         {1558e6, N_("OpenAI gpt-2 release name 1558M = 1.56B (the paper said 1542M)"), 1e6}},
        // Brown et al. 2020, Table 2.1 (d_head 64/64/96/128). For XL the table lists 24
        // heads of 128, but 24·128 = 3072 ≠ d_model 2048; with d_model-wide projections
        // we keep d_head = 128, hence 16 heads. The head count changes no parameter count.
        {gpt("gpt3-small", 768, 12, 12, 2048),
         {125e6, N_("Brown et al. 2020, Table 2.1: 125M"), 1e6}},
        {gpt("gpt3-medium", 1024, 16, 24, 2048),
         {350e6, N_("Brown et al. 2020, Table 2.1: 350M"), 10e6}},
        {gpt("gpt3-large", 1536, 16, 24, 2048),
         {760e6, N_("Brown et al. 2020, Table 2.1: 760M"), 10e6}},
        {gpt("gpt3-xl", 2048, 16, 24, 2048),
         {1.3e9, N_("Brown et al. 2020, Table 2.1: 1.3B"), 100e6}},
    };
    return all;
}

const Preset* find_preset(const std::string& name) {
    for (const Preset& p : presets())
        if (p.config.name == name) return &p;
    return nullptr;
}

}  // namespace

std::vector<std::string> preset_names() {
    std::vector<std::string> names;
    for (const Preset& p : presets()) names.push_back(p.config.name);
    return names;
}

ModelConfig preset(const std::string& name) {
    if (const Preset* p = find_preset(name)) return p->config;
    std::string known;
    for (const std::string& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
    throw InputError(tr("unknown configuration '{1}' (known: {2})", name, known));
}

Published published_size(const std::string& name) {
    const Preset* p = find_preset(name);
    require(p != nullptr, [&] { return tr("no published size for '{1}'", name); });
    return p->published;
}

// Built only from the modules' shapes(), in the order their params() list them.
ShapeList model_shapes(const ModelConfig& config) {
    config.validate();
    const arma::uword d = config.d_model;
    ShapeList out;
    switch (config.architecture) {
        case Architecture::encoder_decoder:
            Transformer::shapes(config, out);  // beside Transformer::params(), which names them
            break;
        case Architecture::encoder_only:
            Embedding::shapes("embed.", config.src_vocab_size, d, out);
            Embedding::shapes("pos_embed.", config.max_positions, d, out);
            if (config.segment_types > 0)
                Embedding::shapes("segment_embed.", config.segment_types, d, out);
            LayerNorm::shapes("embed_norm.", d, out);
            Encoder::shapes("encoder.", config, config.encoder_layers, out);
            if (config.pooler) Linear::shapes("pooler.", d, d, out);
            if (config.mlm_head) {  // model/bert.hpp
                Linear::shapes("mlm_head.dense.", d, d, out);
                LayerNorm::shapes("mlm_head.norm.", d, out);
                out.push_back({"mlm_head.bias", {config.src_vocab_size}});
            }
            break;
        case Architecture::decoder_only: {
            Embedding::shapes("embed.", config.src_vocab_size, d, out);
            Embedding::shapes("pos_embed.", config.max_positions, d, out);
            // A GPT block is a decoder layer without cross-attention (self-attention, two
            // norms, FFN), run with a causal mask (model/gpt.hpp).
            LayerConfig block = config;
            block.cross_attention = false;
            Decoder::shapes("decoder.", block, config.decoder_layers, out);
            if (!config.tie_output)
                Linear::shapes("generator.", d, config.src_vocab_size, out, false);
            break;
        }
    }
    return out;
}

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ParamBreakdown count_breakdown(const ModelConfig& config) {
    ParamBreakdown b;
    std::uint64_t encoder_layers = 0, decoder_layers = 0;
    for (const ParamShape& s : model_shapes(config)) {
        const std::uint64_t n = s.count();
        b.total += n;
        if (starts_with(s.name, "encoder.layers."))
            encoder_layers += n;
        else if (starts_with(s.name, "decoder.layers."))
            decoder_layers += n;
        else if (starts_with(s.name, "encoder.norm.") || starts_with(s.name, "decoder.norm."))
            b.final_norms += n;
        else if (starts_with(s.name, "generator.") || starts_with(s.name, "pooler.") ||
                 starts_with(s.name, "mlm_head."))
            b.head += n;
        else
            b.embeddings += n;
    }
    // Every layer of a stack has the same shapes, so one layer is the stack / depth.
    const ModelConfig& c = config;
    const std::uint64_t n_enc = c.architecture == Architecture::decoder_only ? 0 : c.encoder_layers;
    const std::uint64_t n_dec = c.architecture == Architecture::encoder_only ? 0 : c.decoder_layers;
    if (n_enc > 0) b.per_encoder_layer = encoder_layers / n_enc;
    if (n_dec > 0) b.per_decoder_layer = decoder_layers / n_dec;
    return b;
}

// Per token: every weight matrix a token passes through costs rows·cols multiply-adds
// (embedding tables are lookups, not products; the BERT pooler runs once per sequence,
// not per token); a tied output projection costs vocab·d_model; each attention module
// adds seq_len·d_model for the scores Q·Kᵀ and seq_len·d_model for weights·V (summed
// over heads, d_k · h = d_model), computed in full as our code does (the causal mask
// zeroes weights, it does not skip products). For an encoder-decoder model this is one
// source token through the encoder plus one target token through the decoder, both
// sequences seq_len long.
std::uint64_t macs_per_token(const ModelConfig& config, arma::uword seq_len) {
    std::uint64_t macs = 0;
    const std::uint64_t d = config.d_model;
    for (const ParamShape& s : model_shapes(config)) {
        const bool in_stack =
            starts_with(s.name, "encoder.layers.") || starts_with(s.name, "decoder.layers.");
        const bool matrix = s.shape.size() == 2 && ends_with(s.name, ".weight");
        if (matrix &&
            (in_stack || starts_with(s.name, "generator.") || starts_with(s.name, "mlm_head.")))
            macs += s.count();
        if (in_stack && ends_with(s.name, "attn.wq.weight")) macs += 2 * std::uint64_t(seq_len) * d;
    }
    const bool tied_out = config.architecture == Architecture::decoder_only
                              ? config.tie_output
                              : config.architecture == Architecture::encoder_decoder &&
                                    (config.share_embeddings || config.tie_output);
    if (tied_out) macs += std::uint64_t(config.tgt_vocab_size) * d;
    // BERT's masked-LM output reads the token table (src vocabulary: there is no target).
    if (config.architecture == Architecture::encoder_only && config.mlm_head)
        macs += std::uint64_t(config.src_vocab_size) * d;
    return macs;
}

}  // namespace tfm
