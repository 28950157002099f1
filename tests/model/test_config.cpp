#include "core/error.hpp"
#include "model/config.hpp"
#include "model/transformer.hpp"
#include "nn/decoder.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/layer_norm.hpp"
#include "nn/linear.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

namespace {

// Names and shapes of a constructed module's params(), as a ShapeList.
ShapeList shapes_of(const ParamList& params) {
    ShapeList out;
    for (const Param& p : params) {
        if (p.is_vector)
            out.push_back({p.name, {p.value->n_elem}});
        else
            out.push_back({p.name, {p.value->n_rows, p.value->n_cols}});
    }
    return out;
}

void check_same(const ShapeList& declared, const ShapeList& built) {
    REQUIRE(declared.size() == built.size());
    for (std::size_t i = 0; i < declared.size(); ++i) {
        INFO("entry " << i << ": shapes() says " << declared[i].name << ", params() says "
                      << built[i].name);
        CHECK(declared[i].name == built[i].name);
        CHECK(declared[i].shape == built[i].shape);
    }
}

ModelConfig small(Architecture arch, bool norm_first) {
    ModelConfig c;
    c.architecture = arch;
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.encoder_layers = 2;
    c.decoder_layers = 3;
    c.src_vocab_size = 11;
    c.tgt_vocab_size = 7;
    c.max_positions = 6;
    c.segment_types = 2;
    c.norm_first = norm_first;
    return c;
}

}  // namespace

TEST_CASE("shapes() lists exactly the names and shapes that params() of the built modules list",
          "[stacks][config]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            const ModelConfig c = small(Architecture::encoder_decoder, norm_first);
            ParamList built;
            ShapeList declared;

            EncoderLayer enc_layer(c);
            enc_layer.params("x.", built);
            EncoderLayer::shapes("x.", c, declared);
            check_same(declared, shapes_of(built));

            built.clear();
            declared.clear();
            DecoderLayer dec_layer(c);
            dec_layer.params("x.", built);
            DecoderLayer::shapes("x.", c, declared);
            check_same(declared, shapes_of(built));

            built.clear();
            declared.clear();
            Encoder encoder(c, c.encoder_layers);
            encoder.params("encoder.", built);
            Encoder::shapes("encoder.", c, c.encoder_layers, declared);
            check_same(declared, shapes_of(built));

            built.clear();
            declared.clear();
            Decoder decoder(c, c.decoder_layers);
            decoder.params("decoder.", built);
            Decoder::shapes("decoder.", c, c.decoder_layers, declared);
            check_same(declared, shapes_of(built));
        }
    }
    SECTION("the whole encoder-decoder model, separate, shared and tied tables") {
        for (int variant = 0; variant < 3; ++variant) {
            ModelConfig c = small(Architecture::encoder_decoder, variant == 2);
            if (variant == 1) {
                c.share_embeddings = true;
                c.tgt_vocab_size = c.src_vocab_size;
            }
            c.tie_output = variant >= 1;
            Transformer model(c);
            check_same(model_shapes(c), shapes_of(model.params()));
        }
    }
    SECTION("a BERT-shaped model assembled from the modules") {
        const ModelConfig c = small(Architecture::encoder_only, false);
        Embedding embed(c.src_vocab_size, c.d_model), pos(c.max_positions, c.d_model),
            segment(c.segment_types, c.d_model);
        LayerNorm embed_norm(c.d_model);
        Encoder encoder(c, c.encoder_layers);
        Linear pooler(c.d_model, c.d_model);
        ParamList built;
        embed.params("embed.", built);
        pos.params("pos_embed.", built);
        segment.params("segment_embed.", built);
        embed_norm.params("embed_norm.", built);
        encoder.params("encoder.", built);
        pooler.params("pooler.", built);
        check_same(model_shapes(c), shapes_of(built));
    }
    SECTION("a GPT-shaped model assembled from the modules (blocks = encoder layers, causal)") {
        ModelConfig c = small(Architecture::decoder_only, true);
        c.tie_output = true;
        ModelConfig blocks = c;
        blocks.encoder_layers = c.decoder_layers;
        Embedding embed(c.src_vocab_size, c.d_model), pos(c.max_positions, c.d_model);
        Encoder stack(blocks, blocks.encoder_layers);
        ParamList built;
        embed.params("embed.", built);
        pos.params("pos_embed.", built);
        stack.params("decoder.", built);
        check_same(model_shapes(c), shapes_of(built));
    }
}

// Exact counts worked by hand from the architecture (d = d_model, V = vocabulary):
//   attention 4(d² + d), FFN 2·d·d_ff + d_ff + d, LayerNorm 2d.
//   transformer-base: V·d = 18,944,000; encoder layer 3,152,384 ×6; decoder layer
//     4,204,032 ×6; generator bias 37,000                          → 63,119,496
//   transformer-big:  37,888,000 + 12,596,224·6 + 16,796,672·6 + 37,000 → 214,282,376
//   bert-base: 23,440,896 + 393,216 + 1,536 + 1,536 = 23,837,184 embeddings;
//     7,087,872 ×12; pooler 590,592                                  → 109,482,240
//   bert-large: 31,254,528 + 524,288 + 2,048 + 2,048; 12,596,224 ×24; 1,049,600 → 335,141,888
//   gpt2-small: 38,597,376 + 786,432; 7,087,872 ×12; 1,536          → 124,439,808
//   gpt2-medium: 51,463,168 + 1,048,576; 12,596,224 ×24; 2,048      → 354,823,168
//   gpt2-large: 64,328,960 + 1,310,720; 19,677,440 ×36; 2,560       → 774,030,080
//   gpt2-xl: 80,411,200 + 1,638,400; 30,740,800 ×48; 3,200          → 1,557,611,200
//   gpt3-small: as gpt2-small with 2,048 positions                   → 125,226,240
//   gpt3-medium: 51,463,168 + 2,097,152; 12,596,224 ×24; 2,048       → 355,871,744
//   gpt3-large: 77,194,752 + 3,145,728; 28,331,520 ×24; 3,072        → 760,300,032
//   gpt3-xl: 102,926,336 + 4,194,304; 50,358,272 ×24; 4,096          → 1,315,723,264
TEST_CASE("every preset's parameter count equals the hand-worked count", "[stacks][config]") {
    const std::vector<std::pair<std::string, std::uint64_t>> expected = {
        {"transformer-base", 63119496ULL}, {"transformer-big", 214282376ULL},
        {"bert-base", 109482240ULL},       {"bert-large", 335141888ULL},
        {"gpt2-small", 124439808ULL},      {"gpt2-medium", 354823168ULL},
        {"gpt2-large", 774030080ULL},      {"gpt2-xl", 1557611200ULL},
        {"gpt3-small", 125226240ULL},      {"gpt3-medium", 355871744ULL},
        {"gpt3-large", 760300032ULL},      {"gpt3-xl", 1315723264ULL},
    };
    for (const auto& [name, count] : expected) {
        INFO(name);
        const ParamBreakdown b = count_breakdown(preset(name));
        CHECK(b.total == count);
        CHECK(count_params(model_shapes(preset(name))) == count);
        const ModelConfig c = preset(name);
        const std::uint64_t layers =
            b.per_encoder_layer *
                (c.architecture == Architecture::decoder_only ? 0 : c.encoder_layers) +
            b.per_decoder_layer *
                (c.architecture == Architecture::encoder_only ? 0 : c.decoder_layers);
        CHECK(b.embeddings + layers + b.final_norms + b.head == b.total);
    }
}

// The tolerance: a published figure like "124M" is the true count rounded to the unit it
// is written in (here 1M), so it can differ from the exact count by at most half that
// unit. Where a publication's figure is NOT our count rounded, the test says so and
// states the measured difference instead of bending the model to fit:
//   transformer-base: 63.12M vs "65M" (−2.89%). The paper gives no breakdown; with its
//     shared 37,000-token vocabulary and tied embeddings, the architecture has 63.1M.
//   transformer-big: 214.28M vs "213M" (+0.60%), same paper, same caveat.
//   gpt3-medium: 355.87M vs "350M" (+1.68%); at two significant figures 355.9M would be
//     "360M" — GPT-3's table names the model more loosely than it counts it.
TEST_CASE("every preset matches its published size within the publication's rounding",
          "[stacks][config]") {
    const std::map<std::string, double> known_gap = {
        {"transformer-base", 0.030}, {"transformer-big", 0.007}, {"gpt3-medium", 0.017}};
    for (const std::string& name : preset_names()) {
        if (name == "lesson") continue;
        const Published pub = published_size(name);
        const double ours = static_cast<double>(count_breakdown(preset(name)).total);
        const double diff = ours - pub.params;
        INFO(name << ": ours " << ours << ", published " << pub.params << " (" << pub.source
                  << "), difference " << 100.0 * diff / pub.params << "%");
        REQUIRE(pub.rounding > 0);
        const auto gap = known_gap.find(name);
        if (gap == known_gap.end()) {
            CHECK(std::abs(diff) <= pub.rounding / 2);
        } else {
            CHECK(std::abs(diff) > pub.rounding / 2);  // the gap is real, and documented above
            CHECK(std::abs(diff) / pub.params <= gap->second);
        }
    }
}

TEST_CASE("the presets have the published shapes", "[stacks][config]") {
    const ModelConfig bert = preset("bert-large");
    CHECK(bert.architecture == Architecture::encoder_only);
    CHECK(bert.encoder_layers == 24);
    CHECK(bert.d_model == 1024);
    CHECK(bert.num_heads == 16);
    CHECK(bert.d_ff == 4096);
    CHECK(bert.segment_types == 2);
    CHECK(bert.activation == Activation::gelu);
    CHECK_FALSE(bert.norm_first);
    const std::vector<std::pair<std::string, arma::uword>> depths = {
        {"gpt2-small", 12}, {"gpt2-medium", 24}, {"gpt2-large", 36}, {"gpt2-xl", 48},
        {"gpt3-small", 12}, {"gpt3-medium", 24}, {"gpt3-large", 24}, {"gpt3-xl", 24}};
    for (const auto& [name, depth] : depths) {
        INFO(name);
        const ModelConfig c = preset(name);
        CHECK(c.decoder_layers == depth);
        CHECK(c.norm_first);
        CHECK(c.tie_output);
        CHECK(c.src_vocab_size == 50257);
    }
    CHECK(preset("gpt3-large").d_k() == 96);
    CHECK(preset("gpt3-xl").d_k() == 128);
    CHECK(preset("gpt2-xl").d_k() == 64);
}

// gpt2-small at 1,024 tokens, by hand: per block 4·768² + 2·768·3072 = 7,077,888 weight
// MACs, plus scores and mixing 2·1024·768 = 1,572,864; ×12 blocks = 103,809,024; the tied
// output projection 50,257·768 = 38,597,376. Total 142,406,400.
// lesson (d 8, d_ff 32, 2+2 layers, vocab 16) at 8 tokens: encoder layer 4·64 + 2·256 +
// 2·8·8 = 896; decoder layer 8·64 + 2·256 + 2·2·8·8 = 1,280; ×2 each = 4,352; the
// separate (untied) generator 16·8 = 128. Total 4,480.
TEST_CASE("multiply-adds per token follow from the shapes plus attention's products",
          "[stacks][config]") {
    CHECK(macs_per_token(preset("gpt2-small"), 1024) == 142406400ULL);
    CHECK(macs_per_token(preset("lesson"), 8) == 4480ULL);
    // Attention's share grows linearly with the sequence; the weights' share does not.
    const ModelConfig c = preset("bert-base");
    CHECK(macs_per_token(c, 512) - macs_per_token(c, 256) == 12ULL * 2 * 256 * 768);
}

TEST_CASE("impossible configurations and unknown presets are input errors", "[stacks][config]") {
    CHECK_THROWS_AS(preset("gpt5"), InputError);
    ModelConfig c;
    c.num_heads = 3;
    CHECK_THROWS_AS(c.validate(), InputError);
    CHECK_THROWS_AS(model_shapes(c), InputError);
    c.num_heads = 0;
    CHECK_THROWS_AS(c.validate(), InputError);
    for (const std::string& name : preset_names()) CHECK_NOTHROW(preset(name).validate());
}
