// Lesson 07 — The decoder: masked self-attention, cross-attention, a stack of N.
//
// A decoder layer has three sub-layers, each with Add & Norm: causal self-attention
// (a token sees itself and what came before), cross-attention (queries from the
// decoder, keys and values from the encoder's final output), and the FFN. Every layer
// of the stack reads the same encoder output. GPT is a decoder without the cross-attention.
//
//   build/lessons/07_decoder --text "the cat sat on the mat" --target "猫坐在垫子上"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/i18n.hpp"
#include "course/lesson_07.hpp"
#include "io/npy.hpp"
#include "io/printer.hpp"
#include "model/size_table.hpp"
#include "nn/decoder.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/positional_encoding.hpp"
#include "text/tokenizer.hpp"

namespace {

constexpr unsigned kFeatures = tfm::cli::sizes | tfm::cli::heads | tfm::cli::ffn |
                               tfm::cli::layers | tfm::cli::activation | tfm::cli::norm_first |
                               tfm::cli::text | tfm::cli::input | tfm::cli::memory |
                               tfm::cli::weights | tfm::cli::grad_output;

int lesson(int argc, char** argv) {
    using tfm::tr;
    tfm::cli::Options options(
        "07_decoder", tr("Lesson 07: masked self-attention, cross-attention, a stack of N"));
    tfm::cli::add_common(options, kFeatures, tfm::cli::Common{});
    options.add_options()("target", tr("the decoder's input sentence (<bos> is put in front)"),
                          tfm::cli::value<std::string>()->default_value("猫坐在垫子上"), "TEXT");
    const tfm::cli::ParseResult args = tfm::cli::parse(options, argc, argv);
    const tfm::cli::Common s = tfm::cli::read_common(args, kFeatures, {});
    tfm::Printer out(s.print);

    const tfm::ModelConfig config =
        tfm::layer_config(s.d_model, s.num_heads, s.d_ff, s.layers, s.norm_first, s.activation);
    // Drawn first: the same weights whatever the inputs are.
    tfm::Decoder decoder(config, config.decoder_layers);
    const tfm::ParamList params = tfm::cli::draw_course_stack(decoder, s.seed);
    tfm::cli::apply_weight_files(s, params, "07_decoder", kFeatures);

    // Every file is read before the first line is printed: a bad one leaves stdout empty.
    // The target's rows come from the course's target embedding, tgt_embed.weight, over the
    // same vocabulary as lesson 01.
    std::vector<std::string> tgt_tokens{"<bos>"}, src_tokens;
    const std::string target = args["target"].as<std::string>();
    tfm::require_utf8("--target", target);
    for (const std::string& t : tfm::tokenize_words(target)) tgt_tokens.push_back(t);
    const tfm::Vocab tgt_vocab = tfm::Vocab::lesson_default();
    tfm::Embedding tgt_embed(tgt_vocab.size(), s.d_model);
    tfm::ParamList embed_params;
    tgt_embed.params("embed.", embed_params);
    tfm::draw_params(embed_params, s.seed, tfm::cli::course::target_embedding());
    tfm::TokenIds tgt_ids = tgt_vocab.encode(tgt_tokens);
    // The target's rows against the budget, beside the sentence's (read_common).
    tfm::cli::require_budget(s, kFeatures, tgt_tokens.size(),
                             s.memory.empty() ? tfm::tokenize_words(s.text).size() + 1
                                              : tfm::read_npy_shape(s.memory).rows);
    const tfm::cli::TokenLabels labelled = tfm::cli::label_tokens(tgt_vocab, tgt_tokens);
    const std::size_t unknown_targets = labelled.unknown;
    tgt_tokens = labelled.labels;
    arma::mat y;
    if (!s.input.empty()) {
        y = tfm::cli::read_rows("input", s.input, s.d_model);
        tgt_tokens.clear();
    } else {
        y = tfm::add_positions(tgt_embed.forward(tgt_ids));
    }
    const arma::mat grad_output = tfm::cli::read_grad_output(s, y.n_rows);
    arma::mat memory;
    if (!s.memory.empty()) memory = tfm::cli::read_rows("memory", s.memory, s.d_model);
    out.heading(tr("0. The inputs: the target prefix Y and the encoder's output (memory)"));
    if (!s.memory.empty()) {
        out.say(tr("memory is read from {1}.", s.memory));
    } else {
        // Lesson 06's encoder: the same names, so the same weights and the same output.
        const tfm::cli::LessonInput in = tfm::cli::lesson_input("", s.text, s.d_model, 0, s.seed);
        src_tokens = in.labels;
        tfm::Encoder encoder(config, config.encoder_layers);
        tfm::cli::draw_course_stack(encoder, s.seed);
        memory = encoder.forward(in.x);
        out.say(
            tr("memory = lesson 06's output: its {1}-layer encoder, with the same weights "
               "(drawn by the same names), over \"{2}\".",
               s.layers, s.text));
    }
    out.say(tfm::cli::unknown_note(unknown_targets, tgt_tokens.size()));
    const tfm::Labels by_tgt{tgt_tokens, {}}, by_src{src_tokens, {}};
    out.tensor("Y", y, by_tgt, tr("the decoder's input, one row per target token"));
    out.tensor("memory", memory, by_src, tr("keys and values of every cross-attention"));

    const arma::uword n = y.n_rows;
    const tfm::Mask causal = tfm::causal_mask(n);
    out.heading(tr("1. The causal mask"));
    out.say(
        tr("1 = blocked: token i may look at tokens 0 … i only, so that training on a whole "
           "sentence at once cannot peek at the word it must predict."));
    out.integers("causal_mask", arma::conv_to<arma::mat>::from(causal), {tgt_tokens, tgt_tokens},
                 tr("1 = blocked"), tfm::Shade::weights);

    const arma::mat output = decoder.forward(y, memory, causal);
    const tfm::DecoderLayer& first = decoder.layers[0];
    out.heading(tr("2. One decoder layer (layer 0), sub-layer by sub-layer"));
    out.say(
        tr("The article (3.2): masked self-attention relates the target tokens to each other; the "
           "encoder-decoder attention connects output to input; the FFN adds non-linearity."));
    out.say(tr(
        "Head 0 of each attention is shown; other heads and the sub-layers' outputs: --dump-dir."));
    tfm::cli::print_head_weights(out, "layer0.self_weights", first.self_attn,
                                 {tgt_tokens, tgt_tokens},
                                 tr("lower triangular: zeros above the diagonal"), 1);
    out.dump("layer0.self_out", first.self_out_);
    out.tensor("layer0.a", first.a_, by_tgt,
               s.norm_first ? "Y + SelfAttn(LN1(Y))" : "LN1(Y + SelfAttn(Y))");
    tfm::cli::print_head_weights(out, "layer0.cross_weights", first.cross_attn,
                                 {tgt_tokens, src_tokens},
                                 tr("target × source: which input word each output word reads"), 1);
    out.dump("layer0.cross_out", first.cross_out_);
    out.tensor("layer0.b", first.b_, by_tgt,
               s.norm_first ? "a + CrossAttn(LN2(a), memory)" : "LN2(a + CrossAttn(a, memory))");
    out.dump("layer0.ffn_out", first.ffn_out_);
    if (decoder.layers.size() == 1 && !decoder.has_final_norm)
        out.dump("layer0.output", first.output_);  // printed once below, as output
    else
        out.tensor("layer0.output", first.output_, by_tgt,
                   s.norm_first ? "b + FFN(LN3(b))" : "LN3(b + FFN(b))");

    out.heading(tr("3. A stack of {1} layers", s.layers));
    out.say(
        tr("The article (section 3): each decoder layer reads the previous decoder layer's "
           "output, and the top encoder layer's output goes to every decoder layer: all use the "
           "same memory."));
    tfm::cli::print_stack_outputs(out, decoder.layer_outputs_, decoder.has_final_norm, by_tgt,
                                  [](std::size_t) { return std::string(); });
    out.tensor("output", output, by_tgt,
               tr("what the generator (lesson 09) turns into word probabilities"));

    if (n >= 2) {
        out.heading(tr("4. Causality, measured"));
        arma::mat changed = y;
        std::string what = tr("row {1} of Y (+1 everywhere)", n - 1);
        if (tgt_tokens.empty()) {
            changed.row(n - 1) += 1.0;
        } else {
            tgt_ids[n - 1] = tgt_ids[1] != tgt_ids[n - 1] ? tgt_ids[1] : tfm::Vocab::unk;
            changed = tfm::add_positions(tgt_embed.forward(tgt_ids));
            what =
                tr("last token '{1}' → '{2}'", tgt_tokens[n - 1], tgt_vocab.token(tgt_ids[n - 1]));
        }
        const tfm::course::CausalityGap gap =
            tfm::course::measure_causality(decoder, y, changed, memory, n - 1);
        out.table({tr("changed"), tr("max |Δ| rows 0…{1}", n - 2), tr("max |Δ| last row")},
                  {{what, tfm::format_number(gap.earlier_rows, s.print.precision),
                    tfm::format_number(gap.later_rows, s.print.precision)}});
        out.say(
            tr("The earlier rows did not move at all (exactly 0, not just small): no path through "
               "any layer carries information from a later token to an earlier one."));
    }

    if (!s.grad_output.empty()) {
        out.heading(tr("5. Backward"));
        decoder.zero_grad();
        const tfm::Decoder::Grads grads = decoder.backward(grad_output);
        out.tensor("grad_input", grads.dy, by_tgt, "dL/dY");
        out.tensor("grad_memory", grads.dmemory, by_src,
                   tr("dL/dmemory, summed over every layer's cross-attention"));
        tfm::cli::finish_grad_output(out, s, params);
    }

    out.heading(tr("Decoder-only models: GPT-2 and GPT-3"));
    out.say(
        tr("GPT keeps only the decoder's causal self-attention and FFN (no encoder, so no "
           "cross-attention), pre-LN, with learned positions. Depths side by side:"));
    const tfm::TextTable depths = tfm::gpt_depth_table();
    out.table(depths.header, depths.rows);
    const tfm::GptDepths d = tfm::gpt_depths();
    out.say(
        tr("The article (section 2) gives GPT-3 Small…XL {1} blocks. Those are GPT-2's depths "
           "({2}); the GPT-3 paper (Table 2.1) has {3} and makes Large and XL wider (d_model) "
           "instead of deeper. Parameter counts from the same modules, against the "
           "publications:",
           d.article, d.gpt2, d.gpt3));
    const tfm::TextTable sizes =
        tfm::parts_table({"gpt2-small", "gpt2-medium", "gpt2-large", "gpt2-xl", "gpt3-small",
                          "gpt3-medium", "gpt3-large", "gpt3-xl"});
    out.table(sizes.header, sizes.rows);
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
