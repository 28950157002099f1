#include "cli/lesson_support.hpp"

#include "cli/options.hpp"
#include "cli/weight_files.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "nn/embedding.hpp"
#include "nn/ffn_block.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "text/tokenizer.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace tfm::cli {

LessonInput lesson_input(const std::string& input_path, const std::string& text,
                         arma::uword d_model, arma::uword num_pad, std::uint64_t seed) {
    LessonInput in;
    if (!input_path.empty()) {
        in.x = read_rows("input", input_path, d_model);
        in.from_file = true;
        require(num_pad < in.x.n_rows,
                tr("--pad {1} would mark every one of the {2} rows of --input {3} as padding",
                   num_pad, in.x.n_rows, input_path));
        for (arma::uword i = 0; i < in.x.n_rows; ++i) {
            const bool pad = i + num_pad >= in.x.n_rows;
            in.labels.push_back("r" + std::to_string(i) + (pad ? "(pad)" : ""));
            in.is_pad.push_back(pad);
        }
        return in;
    }
    return embed_text(text, d_model, seed, course::source_embedding(), "", num_pad);
}

namespace course {
const NameMap& source_embedding() {
    static const NameMap map{{"embed.", "src_embed."}};
    return map;
}
const NameMap& target_embedding() {
    static const NameMap map{{"embed.", "tgt_embed."}};
    return map;
}
const NameMap& encoder_self_attention() {
    static const NameMap map{{"", "encoder.layers.0.self_attn."}};
    return map;
}
const NameMap& encoder_norm1() {
    static const NameMap map{{"", "encoder.layers.0.norm1."}};
    return map;
}
const NameMap& encoder_ffn() {
    static const NameMap map{{"norm.", "encoder.layers.0.norm2."}, {"", "encoder.layers.0.ffn."}};
    return map;
}
NameMap encoder(arma::uword layers) {
    return {{"", layers == 1 ? "encoder.layers.0." : "encoder."}};
}
NameMap decoder(arma::uword layers) {
    return {{"", layers == 1 ? "decoder.layers.0." : "decoder."}};
}
}  // namespace course

EncoderLayerByLessons encoder_layer0_by_lessons(const arma::mat& x, arma::uword d_model,
                                                arma::uword num_heads, arma::uword d_ff,
                                                Activation activation, bool norm_first,
                                                std::uint64_t seed) {
    MultiHeadAttention attention(d_model, num_heads);
    LayerNorm norm1(d_model);
    FfnBlock block(d_model, d_ff, activation, norm_first);
    ParamList attention_params, norm_params, block_params;
    attention.params("", attention_params);
    norm1.params("", norm_params);
    block.params("", block_params);
    draw_params(attention_params, seed, course::encoder_self_attention());
    draw_params(norm_params, seed, course::encoder_norm1());
    draw_params(block_params, seed, course::encoder_ffn());
    EncoderLayerByLessons layer;
    if (norm_first) {
        const arma::mat normed = norm1.forward(x);
        layer.attention = attention.forward(normed, normed);
        layer.ffn_input = x + layer.attention;
    } else {
        layer.attention = attention.forward(x, x);
        layer.ffn_input = norm1.forward(x + layer.attention);
    }
    layer.output = block.forward(layer.ffn_input);
    return layer;
}

std::string token_label(const std::string& token, bool known) {
    return known ? token : token + "(unk)";
}

std::string unknown_note(std::size_t unknown, std::size_t total) {
    if (unknown == 0) return "";
    if (total == 1)
        return tr(
            "{1} of {2} token is unknown to the vocabulary and read as <unk>, one shared "
            "row of E (marked (unk) below).",
            unknown, total);
    return tr(
        "{1} of {2} tokens are unknown to the vocabulary and read as <unk>, one shared row "
        "of E (marked (unk) below).",
        unknown, total);
}

LessonInput embed_text(const std::string& text, arma::uword d_model, std::uint64_t seed,
                       const NameMap& embedding, const std::string& first, arma::uword num_pad) {
    const Vocab vocab = Vocab::lesson_default();
    std::vector<std::string> tokens = tokenize_words(text);
    require(!tokens.empty(), tr("--text '{1}' has no tokens", text));
    if (!first.empty()) tokens.insert(tokens.begin(), first);
    Embedding embed(vocab.size(), d_model);
    ParamList params;
    embed.params("embed.", params);
    draw_params(params, seed, embedding);
    LessonInput in;
    const TokenLabels labelled = label_tokens(vocab, tokens);
    in.labels = labelled.labels;
    in.unknown = labelled.unknown;
    in.is_pad.assign(tokens.size(), false);
    TokenIds ids = vocab.encode(tokens);
    for (arma::uword i = 0; i < num_pad; ++i) {
        ids.push_back(Vocab::pad);
        in.labels.push_back(vocab.token(Vocab::pad));
        in.is_pad.push_back(true);
    }
    in.x = add_positions(embed.forward(ids));
    return in;
}

TokenLabels label_tokens(const Vocab& vocab, const std::vector<std::string>& tokens) {
    TokenLabels t;
    for (const std::string& token : tokens) {
        const bool known = vocab.contains(token);
        t.labels.push_back(token_label(token, known));
        if (!known) ++t.unknown;
    }
    return t;
}

namespace {
template <class Stack>
ParamList draw_stack(Stack& stack, std::uint64_t seed, const NameMap& names) {
    const bool one_layer = stack.layers.size() == 1;
    if (one_layer) stack.has_final_norm = false;  // one layer: no stack, no final norm
    ParamList params;
    if (one_layer)
        stack.layers[0].params("", params);
    else
        stack.params("", params);
    draw_params(params, seed, names);
    return params;
}
}  // namespace

ParamList draw_course_stack(Encoder& encoder, std::uint64_t seed) {
    return draw_stack(encoder, seed, course::encoder(encoder.layers.size()));
}

ParamList draw_course_stack(Decoder& decoder, std::uint64_t seed) {
    return draw_stack(decoder, seed, course::decoder(decoder.layers.size()));
}

arma::uword pick_row(arma::uword row, bool given, const arma::mat& x) {
    if (!given) return std::min<arma::uword>(row, x.n_rows - 1);
    require(row < x.n_rows,
            tr("--row {1}: X has only {2} rows (0 … {3})", row, x.n_rows, x.n_rows - 1));
    return row;
}

void print_head_weights(Printer& out, const std::string& name, const MultiHeadAttention& attention,
                        const Labels& labels, const std::string& note, std::size_t shown) {
    for (std::size_t h = 0; h < attention.heads_.size(); ++h) {
        const std::string head = name + ".head" + std::to_string(h);
        if (h < shown)
            out.tensor(head, attention.heads_[h].weights, labels, note, Shade::weights);
        else  // not on screen, but dumped and drawn
            out.draw(head, attention.heads_[h].weights, labels, note, Shade::weights);
    }
}

void print_stack_outputs(Printer& out, const std::vector<arma::mat>& layer_outputs,
                         bool has_final_norm, const Labels& labels,
                         std::string (*note)(std::size_t layer)) {
    for (std::size_t i = 1; i < layer_outputs.size(); ++i) {
        const std::string name = "layer" + std::to_string(i) + ".output";
        if (i + 1 == layer_outputs.size() && !has_final_norm) {
            out.dump(name, layer_outputs[i]);
            out.say(
                tr("{1} is the stack's output (post-LN has no final norm), printed below.", name));
            continue;
        }
        out.tensor(name, layer_outputs[i], labels, note(i));
    }
}

arma::mat read_rows(const std::string& option, const std::string& path, arma::uword d_model) {
    const arma::mat m = load_npy(path);
    // What the file must be, said after "--input X.npy is [3 × 5], need ".
    const std::string need =
        m.n_cols != d_model && m.n_cols > 0
            ? tr("n × d_model with n ≥ 1: {1} columns for --d-model {1} (or pass --d-model {2})",
                 d_model, m.n_cols)
            : tr("n × d_model with n ≥ 1: {1} columns for --d-model {1}", d_model);
    require_matrix("--" + option + " " + path, m, 0, d_model, need);
    return m;
}

void apply_weight_files(const Common& common, const ParamList& params, const std::string& lesson,
                        unsigned features) {
    const Metadata ours = lesson_weight_metadata(common, lesson, features);
    if (!common.weights.empty()) {
        check_weight_metadata(common.weights, read_safetensors_metadata(common.weights), ours);
        load_params(common.weights, params);
    }
    if (!common.save_weights.empty()) save_params(common.save_weights, params, ours);
}

arma::mat read_grad_output(const Common& common, arma::uword n_rows) {
    if (common.grad_output.empty()) return {};
    const arma::mat g = load_npy(common.grad_output);
    require_matrix(
        "--grad-output " + common.grad_output, g, n_rows, common.d_model,
        tr("the output's shape, [{1}] (n × d_model)", shape_string(n_rows, common.d_model)));
    return g;
}

void finish_grad_output(Printer& out, const Common& common, const ParamList& params) {
    const std::string& dir = common.print.dump_dir;
    if (!dir.empty()) dump_param_grads(dir, params);
    out.say(dir.empty() ? tr("Add --dump-dir DIR to also write grad.PARAM.npy for every parameter.")
                        : tr("Wrote grad.PARAM.npy for every parameter to {1}.", dir));
}

LessonInput lesson_input(const Common& common) {
    return lesson_input(common.input, common.text, common.d_model,
                        common.mask == "padding" ? common.pad : 0, common.seed);
}

std::vector<double> parse_positive_list(const std::string& option, const std::string& list,
                                        std::size_t max_count) {
    std::vector<double> values;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        std::size_t used = 0;
        double value = 0.0;
        try {
            value = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        require(used > 0 && used == item.size(),
                tr("{1}: '{2}' is not a number", "--" + option, item));
        require(std::isfinite(value) && value > 0.0,
                tr("--{1} must be > 0 (got {2})", option, item));
        values.push_back(value);
    }
    require(!values.empty() && values.size() <= max_count,
            tr("--{1} needs 1 to {2} comma-separated values", option, max_count));
    return values;
}

}  // namespace tfm::cli
