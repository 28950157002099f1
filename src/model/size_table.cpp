#include "model/size_table.hpp"

#include "core/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tfm {

std::string to_string(Architecture a) {
    std::string name = architecture_name(a);  // encoder_decoder → encoder-decoder
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

arma::uword default_seq_len(const ModelConfig& config) {
    if (config.architecture == Architecture::encoder_decoder)
        return config.name == "lesson" ? 8 : 512;
    return config.max_positions;
}

namespace {

// to_string(a) in the current language, for the tables' cells.
std::string architecture_label(Architecture a) {
    switch (a) {
        case Architecture::encoder_decoder:
            return tr("encoder-decoder");
        case Architecture::encoder_only:
            return tr("encoder-only");
        case Architecture::decoder_only:
            return tr("decoder-only");
    }
    return "?";
}

std::string layers_of(const ModelConfig& c) {
    switch (c.architecture) {
        case Architecture::encoder_decoder:
            return std::to_string(c.encoder_layers) + "+" + std::to_string(c.decoder_layers);
        case Architecture::encoder_only:
            return std::to_string(c.encoder_layers);
        case Architecture::decoder_only:
            return std::to_string(c.decoder_layers);
    }
    return "?";
}

// The per-layer column: "enc / dec" for encoder–decoder models.
std::string per_layer(const ModelConfig& c, const ParamBreakdown& b) {
    if (c.architecture == Architecture::encoder_decoder)
        return format_count(b.per_encoder_layer) + " / " + format_count(b.per_decoder_layer);
    return format_count(c.architecture == Architecture::encoder_only ? b.per_encoder_layer
                                                                     : b.per_decoder_layer);
}

std::string published_text(const Published& p) {
    return p.params > 0 ? format_size(p.params) : "-";
}

}  // namespace

TextTable size_table(const std::vector<std::string>& presets, arma::uword seq_len) {
    TextTable t;
    t.header = {tr("preset"),      tr("type"),       tr("layers"),
                "d_model",         tr("heads"),      "d_ff",
                tr("vocab"),       tr("embeddings"), tr("per layer (enc / dec)"),
                tr("final norms"), tr("head"),       tr("total"),
                tr("published"),   tr("diff"),       "n",
                tr("MACs/token")};
    for (const std::string& name : presets) {
        const ModelConfig c = preset(name);
        const ParamBreakdown b = count_breakdown(c);
        const Published p = published_size(name);
        const arma::uword n = seq_len > 0 ? seq_len : default_seq_len(c);
        t.rows.push_back({name, architecture_label(c.architecture), layers_of(c),
                          std::to_string(c.d_model), std::to_string(c.num_heads),
                          std::to_string(c.d_ff), format_count(c.src_vocab_size),
                          format_count(b.embeddings), per_layer(c, b), format_count(b.final_norms),
                          format_count(b.head), format_count(b.total), published_text(p),
                          format_difference(b.total, p.params), std::to_string(n),
                          format_count(macs_per_token(c, n))});
    }
    return t;
}

TextTable parts_table(const std::vector<std::string>& presets) {
    TextTable t;
    // Fits a 100-column screen; heads and d_ff are in `model_table --config NAME`.
    t.header = {tr("model"),      tr("layers"), "d_model",       tr("embeddings"), tr("per layer"),
                tr("final+head"), tr("total"),  tr("published"), tr("diff")};
    for (const std::string& name : presets) {
        const ModelConfig c = preset(name);
        const ParamBreakdown b = count_breakdown(c);
        const Published p = published_size(name);
        t.rows.push_back({name, layers_of(c), std::to_string(c.d_model), format_count(b.embeddings),
                          per_layer(c, b), format_count(b.final_norms + b.head),
                          format_count(b.total), published_text(p),
                          format_difference(b.total, p.params)});
    }
    return t;
}

TextTable gpt_depth_table() {
    TextTable t;
    t.header = {tr("size"),         tr("GPT-2 layers"), "d_model",    tr("params"),
                tr("GPT-3 layers"), "d_model",          tr("params"), tr("article says")};
    const char* sizes[] = {"small", "medium", "large", "xl"};
    // The source article (section 2) gives GPT-3 Small…XL 12, 24, 36, 48 decoder blocks.
    const int article_blocks[] = {12, 24, 36, 48};
    for (int i = 0; i < 4; ++i) {
        const ModelConfig g2 = preset(std::string("gpt2-") + sizes[i]);
        const ModelConfig g3 = preset(std::string("gpt3-") + sizes[i]);
        t.rows.push_back({sizes[i], std::to_string(g2.decoder_layers), std::to_string(g2.d_model),
                          format_size(static_cast<double>(count_breakdown(g2).total)),
                          std::to_string(g3.decoder_layers), std::to_string(g3.d_model),
                          format_size(static_cast<double>(count_breakdown(g3).total)),
                          std::to_string(article_blocks[i])});
    }
    return t;
}

GptDepths gpt_depths() {
    GptDepths d;
    for (const auto& row : gpt_depth_table().rows) {
        const std::string sep = d.article.empty() ? "" : "/";
        d.gpt2 += sep + row[1];
        d.gpt3 += sep + row[4];
        d.article += sep + row[7];
    }
    return d;
}

TextTable config_settings(const ModelConfig& c) {
    TextTable t;
    t.header = {tr("setting"), tr("value")};
    const bool learned = c.architecture != Architecture::encoder_decoder;
    t.rows = {
        {tr("name"), c.name},
        {tr("architecture"), architecture_label(c.architecture)},
        {"d_model", std::to_string(c.d_model)},
        {tr("heads"), std::to_string(c.num_heads) + " (d_k " + std::to_string(c.d_k()) + ")"},
        {"d_ff", std::to_string(c.d_ff)},
        {tr("encoder layers"),
         std::to_string(c.architecture == Architecture::decoder_only ? 0 : c.encoder_layers)},
        {tr("decoder layers"),
         std::to_string(c.architecture == Architecture::encoder_only ? 0 : c.decoder_layers)},
        {tr("vocabulary"), c.architecture == Architecture::encoder_decoder && !c.share_embeddings
                               ? tr("{1} src, {2} tgt", format_count(c.src_vocab_size),
                                    format_count(c.tgt_vocab_size))
                               : format_count(c.src_vocab_size)},
        {tr("positions"), learned ? tr("{1} learned", format_count(c.max_positions))
                                  : tr("sinusoidal (no parameters)")},
        {tr("segment types"), std::to_string(c.segment_types)},
        {tr("norm placement"),
         c.norm_first ? tr("pre-LN (final norm after the stack)") : std::string("post-LN")},
        {tr("activation"), tfm::to_string(c.activation)},
        {tr("shared embeddings"),
         c.share_embeddings ? tr("yes (src = tgt = generator)") : tr("no")},
        {tr("tied output"), c.share_embeddings || c.tie_output ? tr("yes") : tr("no")},
    };
    return t;
}

TextTable config_breakdown(const ModelConfig& c, arma::uword seq_len) {
    const ParamBreakdown b = count_breakdown(c);
    TextTable t;
    t.header = {tr("part"), tr("parameters"), tr("note")};
    const char* embeddings_note =
        c.architecture == Architecture::encoder_only ? N_("token + position + segment + LayerNorm")
        : c.architecture == Architecture::decoder_only ? N_("token + position")
        : c.share_embeddings ? N_("one table shared by src, tgt and generator")
                             : N_("src + tgt tables");
    t.rows.push_back({tr("embeddings"), format_count(b.embeddings), tr(embeddings_note)});
    if (c.architecture != Architecture::decoder_only)
        t.rows.push_back({tr("per encoder layer"), format_count(b.per_encoder_layer),
                          "x " + std::to_string(c.encoder_layers) + " = " +
                              format_count(b.per_encoder_layer * c.encoder_layers)});
    if (c.architecture != Architecture::encoder_only)
        t.rows.push_back({c.architecture == Architecture::decoder_only ? tr("per block")
                                                                       : tr("per decoder layer"),
                          format_count(b.per_decoder_layer),
                          "x " + std::to_string(c.decoder_layers) + " = " +
                              format_count(b.per_decoder_layer * c.decoder_layers)});
    t.rows.push_back({tr("final norms"), format_count(b.final_norms),
                      c.norm_first ? std::string("pre-LN") : tr("none with post-LN")});
    const char* head_note =
        c.architecture == Architecture::encoder_only ? N_("pooler Linear(d, d)")
        : c.architecture == Architecture::decoder_only
            ? (c.tie_output ? N_("tied to the token embedding: no parameters of its own")
                            : N_("output weight"))
        : c.share_embeddings || c.tie_output ? N_("tied: output bias only")
                                             : N_("generator weight + bias");
    t.rows.push_back({tr("head"), format_count(b.head), tr(head_note)});
    t.rows.push_back(
        {tr("total"), format_count(b.total), format_size(static_cast<double>(b.total))});
    const std::vector<std::string> names = preset_names();
    const bool is_preset = std::find(names.begin(), names.end(), c.name) != names.end();
    const Published p = is_preset ? published_size(c.name) : Published{0, "", 0};
    if (p.params > 0) {
        t.rows.push_back({tr("published"), format_size(p.params), tr(p.source)});
        t.rows.push_back({tr("difference"), format_difference(b.total, p.params),
                          tr("rounded to {1} in the source", format_size(p.rounding))});
    }
    const arma::uword n = seq_len > 0 ? seq_len : default_seq_len(c);
    t.rows.push_back({tr("MACs per token"), format_count(macs_per_token(c, n)),
                      tr("at sequence length {1}", n)});
    return t;
}

}  // namespace tfm
