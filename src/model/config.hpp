// Model configurations: the sizes of a Transformer and named presets of real models.
// Parameter counts come from the modules' own shapes() (the same definitions the
// lessons run), never from a separate formula.
#pragma once
#include "core/params.hpp"
#include "nn/layer_config.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tfm {

enum class Architecture {
    encoder_decoder,  // the 2017 Transformer: src/tgt embeddings, encoder, decoder, generator
    encoder_only,     // BERT: token + learned position + segment embeddings, LN, encoder, pooler
    decoder_only,     // GPT: token + learned position embeddings, causal blocks (no cross-attn),
                      // final LN
};

// "encoder_decoder", "encoder_only", "decoder_only": the name a checkpoint's metadata says.
std::string architecture_name(Architecture a);

// A model: the sizes of its layers (LayerConfig: d_model, num_heads, d_ff, activation,
// norm_first), how many there are, and what sits around the stacks.
struct ModelConfig : LayerConfig {
    std::string name = "lesson";
    Architecture architecture = Architecture::encoder_decoder;
    arma::uword encoder_layers = 2;
    arma::uword decoder_layers = 2;
    arma::uword src_vocab_size = 0;
    arma::uword tgt_vocab_size = 0;  // encoder_decoder; = src when shared
    arma::uword max_positions =
        512;                        // learned positions (BERT/GPT); sinusoidal needs no parameters
    arma::uword segment_types = 0;  // BERT: 2
    bool share_embeddings = false;  // one table for src, tgt and the generator (2017 paper)
    bool tie_output = false;        // generator.weight = tgt embedding (GPT-2, shared 2017)
    // encoder_only: what sits on the encoder's output. BERT's pooler Linear(d, d) reads the
    // first position (the published sizes count it); the masked-LM head (lesson 12) is
    // BERT's own: LN(gelu(h · Wᵀ + b)) · Eᵀ + bias, the output tied to the token embedding.
    bool pooler = true;
    bool mlm_head = false;

    void validate() const;  // InputError on impossible sizes
};

// The sizes a module lesson reads from its command line (encoder_layers = decoder_layers =
// layers); vocabularies stay 0, since lessons 06/07 hold no embedding of their own.
ModelConfig layer_config(arma::uword d_model, arma::uword num_heads, arma::uword d_ff,
                         arma::uword layers, bool norm_first, Activation activation);

// Presets: the lessons' "lesson" and the published sizes of the 2017 Transformer, BERT,
// GPT-2 and GPT-3 (preset_names() lists them in table order).
ModelConfig preset(const std::string& name);  // InputError for an unknown name
std::vector<std::string> preset_names();

// Every parameter of the model, by name and shape, without allocating it
// (tied tensors are listed once).
ShapeList model_shapes(const ModelConfig& config);

struct ParamBreakdown {
    std::uint64_t embeddings = 0;  // token (+ position, segment, embedding LN)
    std::uint64_t per_encoder_layer = 0;
    std::uint64_t per_decoder_layer = 0;
    std::uint64_t final_norms = 0;
    std::uint64_t head = 0;  // generator (untied), or BERT pooler and masked-LM head
    std::uint64_t total = 0;
};
ParamBreakdown count_breakdown(const ModelConfig& config);

// Multiply-adds per token for one forward pass at sequence length seq_len.
std::uint64_t macs_per_token(const ModelConfig& config, arma::uword seq_len);

// The published size of each preset (for the tables and tests), in parameters,
// and how the publication rounded it.
struct Published {
    double params;        // 0 for the lesson preset (not a published model)
    std::string source;   // e.g. "Devlin et al. 2018, Table: 110M" (English; print tr(source))
    double rounding = 0;  // the unit the publication's figure is rounded to (1e6 for "124M")
};
Published published_size(const std::string& preset_name);

}  // namespace tfm
