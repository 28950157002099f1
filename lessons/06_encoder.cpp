// Lesson 06 — The encoder: one layer, then a stack of N.
//
// An encoder layer is two sub-layers, each wrapped in "Add & Norm": self-attention lets
// every token look at every other token, then a position-wise feed-forward network
// transforms each token on its own. Stacking N layers, each reading the previous
// layer's output, is the whole encoder; BERT is only this stack (12 or 24 layers).
//
//   build/lessons/06_encoder --layers 2 --text "the cat sat on the mat"
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/i18n.hpp"
#include "io/printer.hpp"
#include "model/size_table.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/positional_encoding.hpp"
#include "text/tokenizer.hpp"

namespace {

constexpr unsigned kFeatures = tfm::cli::sizes | tfm::cli::heads | tfm::cli::ffn |
                               tfm::cli::layers | tfm::cli::activation | tfm::cli::norm_first |
                               tfm::cli::text | tfm::cli::input | tfm::cli::weights |
                               tfm::cli::grad_output;

int lesson(int argc, char** argv) {
    tfm::cli::Options options("06_encoder",
                              tfm::tr("Lesson 06: one encoder layer, then a stack of N"));
    tfm::cli::add_common(options, kFeatures, tfm::cli::Common{});
    const tfm::cli::Common s =
        tfm::cli::read_common(tfm::cli::parse(options, argc, argv), kFeatures, {});
    tfm::Printer out(s.print);

    const tfm::ModelConfig config =
        tfm::layer_config(s.d_model, s.num_heads, s.d_ff, s.layers, s.norm_first, s.activation);
    // The stack draws its weights first, so they do not depend on where X comes from.
    tfm::Encoder encoder(config, config.encoder_layers);
    const tfm::ParamList params = tfm::cli::draw_course_stack(encoder, s.seed);
    tfm::cli::apply_weight_files(s, params, "06_encoder", kFeatures);

    // Every file is read before the first line is printed: a bad one leaves stdout empty.
    std::vector<std::string> tokens;
    const tfm::cli::LessonInput in =
        s.input.empty() ? tfm::cli::lesson_input(s) : tfm::cli::LessonInput{};
    const arma::mat x = s.input.empty() ? in.x : tfm::cli::read_rows("input", s.input, s.d_model);
    const arma::mat grad_output = tfm::cli::read_grad_output(s, x.n_rows);
    out.heading(tfm::tr("0. The input X"));
    if (!s.input.empty()) {
        out.say(tfm::tr("X is read from {1}.", s.input));
    } else {
        tokens = in.labels;
        out.say(
            tfm::tr("X is lesson 01's output for \"{1}\": E[ids]·√d_model + PE, the same "
                    "numbers lessons 02–05 started from.",
                    s.text));
        out.say(tfm::cli::unknown_note(in.unknown, tokens.size()));
    }
    const tfm::Labels by_token{tokens, {}};
    out.tensor("X", x, by_token, tfm::tr("one row per token"));

    const arma::mat y = encoder.forward(x);
    const tfm::EncoderLayer& first = encoder.layers[0];
    out.heading(tfm::tr("1. One encoder layer (layer 0), sub-layer by sub-layer"));
    out.say(s.norm_first
                ? tfm::tr("Pre-LN (--norm-first): a = X + SelfAttn(LN1(X)), then y = a + "
                          "FFN(LN2(a)). The residual path is never normalised; the stack ends "
                          "with one final LayerNorm.")
                : tfm::tr("Post-LN, as the 2017 paper and the article's figure: a = LN1(X + "
                          "SelfAttn(X)), then y = LN2(a + FFN(a)). The article (3.1): the "
                          "self-attention sub-layer captures relations between positions; the "
                          "feed-forward sub-layer adds non-linearity."));
    tfm::cli::print_head_weights(out, "layer0.weights", first.self_attn, {tokens, tokens},
                                 tfm::tr("softmax(Q·Kᵀ/√d_k): each row sums to 1"));
    out.tensor("layer0.attn_out", first.attn_out_, by_token,
               tfm::tr("SelfAttn(·): multi-head attention, lesson 04"));
    out.tensor("layer0.mid", first.mid_, by_token,
               s.norm_first ? "a = X + attn_out" : "a = LN1(X + attn_out)");
    out.tensor("layer0.ffn_out", first.ffn_out_, by_token,
               tfm::tr("FFN(·): lesson 05, the same for every row"));
    const bool one_layer = encoder.layers.size() == 1 && !encoder.has_final_norm;
    if (one_layer)
        out.dump("layer0.output", first.output_);  // printed once below, as output
    else
        out.tensor("layer0.output", first.output_, by_token,
                   s.norm_first ? "a + ffn_out"
                                : tfm::tr("LN2(a + ffn_out): every row has mean 0, variance ≈ 1"));
    if (s.weights.empty() && s.input.empty()) {
        // Lessons 04 and 05 computed this layer's two halves on their own, with their own
        // modules drawn by the same names; layer 0 must reproduce them exactly.
        const tfm::cli::EncoderLayerByLessons parts = tfm::cli::encoder_layer0_by_lessons(
            x, s.d_model, s.num_heads, s.d_ff, s.activation, s.norm_first, s.seed);
        out.table({tfm::tr("layer 0 against the earlier lessons"), tfm::tr("max |difference|")},
                  {{tfm::tr("layer0.attn_out − lesson 04's output"),
                    tfm::cli::format_diff(tfm::max_abs_diff(first.attn_out_, parts.attention))},
                   {tfm::tr("layer0.mid − lesson 05's X"),
                    tfm::cli::format_diff(tfm::max_abs_diff(first.mid_, parts.ffn_input))},
                   {tfm::tr("layer0.output − lesson 05's output"),
                    tfm::cli::format_diff(tfm::max_abs_diff(first.output_, parts.output))}});
    }

    out.heading(tfm::tr("2. A stack of {1} layers", s.layers));
    out.say(
        tfm::tr("The article (section 3): each encoder layer's input is the previous layer's "
                "output. The shapes never change, n × d_model in and out, which is what lets the "
                "layers stack."));
    tfm::cli::print_stack_outputs(
        out, encoder.layer_outputs_, encoder.has_final_norm, by_token,
        [](std::size_t i) { return tfm::tr("layer {1} reads layer {2}'s output", i, i - 1); });
    out.tensor("output", y, by_token,
               encoder.has_final_norm
                   ? tfm::tr("the final LayerNorm of the last layer's output (pre-LN)")
                   : tfm::tr("the last layer's output: what the decoder will read (lesson 07)"));

    if (!s.grad_output.empty()) {
        out.heading(tfm::tr("3. Backward"));
        encoder.zero_grad();
        out.tensor("grad_input", encoder.backward(grad_output), by_token, "dL/dX");
        tfm::cli::finish_grad_output(out, s, params);
    }

    out.heading(tfm::tr("Encoder-only models: BERT"));
    out.say(
        tfm::tr("The article (section 2): BERT is one encoder stack, {1} identical layers in "
                "BERT-Base, {2} in BERT-Large. Counted from the same modules this lesson ran "
                "(token, position and segment embeddings plus a LayerNorm; the layers; the "
                "pooler), against the paper's figures:",
                tfm::preset("bert-base").encoder_layers, tfm::preset("bert-large").encoder_layers));
    const tfm::TextTable bert = tfm::parts_table({"bert-base", "bert-large"});
    out.table(bert.header, bert.rows);
    const tfm::ParamBreakdown large = tfm::count_breakdown(tfm::preset("bert-large"));
    out.say(
        tfm::tr("BERT-Large's {1} is what the paper rounds to \"{2}\". Most of it is in the "
                "layers: about 12·d_model² each (attention 4·d², FFN 8·d²), here {3} per "
                "layer.",
                tfm::format_size(static_cast<double>(large.total)),
                tfm::format_size(tfm::published_size("bert-large").params),
                tfm::format_count(large.per_encoder_layer)));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
