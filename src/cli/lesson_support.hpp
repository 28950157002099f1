// What the lessons share beyond the options: where their input X comes from, the
// weight and gradient files around their module, and how they name shapes in narration.
//
// The input X of the lessons after 01 (DESIGN §4, --input): either the matrix in
// --input FILE.npy, which must have d_model columns, or the sentence taken through
// lesson 01's steps — tokens → ids → rows of E (src_embed.weight, drawn by name from the
// seed, so it is lesson 01's E) scaled by √d_model, plus the positional encoding.
#pragma once
#include "core/params.hpp"
#include "io/printer.hpp"
#include "io/table.hpp"
#include "nn/decoder.hpp"
#include "nn/encoder.hpp"
#include "ops/activation.hpp"
#include "text/tokenizer.hpp"

#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

namespace tfm {
class MultiHeadAttention;  // nn/multi_head_attention.hpp
}

namespace tfm::cli {

struct Common;  // cli/options.hpp

struct LessonInput {
    arma::mat x;                      // [n × d_model]
    std::vector<std::string> labels;  // one per row: the token ("word(unk)" when the
                                      // vocabulary lacks it), or r0, r1, … for a file
    std::vector<bool> is_pad;         // one per row: a padding position
    std::size_t unknown = 0;          // tokens the vocabulary does not have (<unk>)
    bool from_file = false;
};

// Where each lesson's module sits in the course's encoder–decoder (DESIGN §5): the rules
// that turn its short parameter names into canonical ones for draw_params, so that
// lesson 02's wq.weight is encoder.layers.0.self_attn.wq.weight, the same tensor as
// lesson 04's and lesson 06's.
namespace course {
const NameMap& source_embedding();        // embed.weight → src_embed.weight
const NameMap& target_embedding();        // embed.weight → tgt_embed.weight
const NameMap& encoder_self_attention();  // wq.weight → encoder.layers.0.self_attn.wq.weight
const NameMap& encoder_norm1();           // weight → encoder.layers.0.norm1.weight
const NameMap& encoder_ffn();         // linear1.* → encoder.layers.0.ffn.*, norm.* → .norm2.*
NameMap encoder(arma::uword layers);  // one layer: encoder.layers.0.*; a stack: encoder.*
NameMap decoder(arma::uword layers);  // one layer: decoder.layers.0.*; a stack: decoder.*
}  // namespace course

// Encoder layer 0 computed the way lessons 04 and 05 compute it, each module drawn by
// its canonical name: attention = lesson 04's output, MultiHead(X) (no mask);
// ffn_input = what the layer feeds its FFN, LN1(X + attention) post-LN or
// X + MultiHead(LN1(X)) pre-LN (lesson 05's X); output = lesson 05's output. Lesson 06
// checks its layer 0 against these.
struct EncoderLayerByLessons {
    arma::mat attention, ffn_input, output;
};
EncoderLayerByLessons encoder_layer0_by_lessons(const arma::mat& x, arma::uword d_model,
                                                arma::uword num_heads, arma::uword d_ff,
                                                Activation activation, bool norm_first,
                                                std::uint64_t seed);

// "word(unk)" for a token the vocabulary lacks, else the token.
std::string token_label(const std::string& token, bool known);
// Every token's label, and how many the vocabulary lacks (the lessons that read text).
struct TokenLabels {
    std::vector<std::string> labels;
    std::size_t unknown = 0;
};
TokenLabels label_tokens(const Vocab& vocab, const std::vector<std::string>& tokens);

// Lesson 06's encoder and lesson 07's decoder: `layers` layers and, when there are more
// than one, the stack's final LayerNorm (one layer alone is just that layer, named as
// such), every tensor drawn by its canonical name from `seed`. Returns the parameters
// (for --weights / --save-weights).
ParamList draw_course_stack(Encoder& encoder, std::uint64_t seed);
ParamList draw_course_stack(Decoder& decoder, std::uint64_t seed);
// "3 of 8 tokens are unknown to the vocabulary and read as <unk> (marked (unk))." —
// empty when every token is known.
std::string unknown_note(std::size_t unknown, std::size_t total);

// With num_pad > 0 the sentence gets num_pad "<pad>" tokens appended; for a file, its
// last num_pad rows are marked as padding instead. InputError when the file has the
// wrong width, no rows, or no row left that is not padding.
// Call it after drawing the module's own weights, so that the same seed gives the same
// weights whether X comes from a file or from the sentence.
LessonInput lesson_input(const std::string& input_path, const std::string& text,
                         arma::uword d_model, arma::uword num_pad, std::uint64_t seed);
// The same from the shared options: --input or --text, --d-model, and --pad when
// --mask is padding.
LessonInput lesson_input(const Common& common);

// A sentence through lesson 01's steps with the embedding the NameMap names (source or
// target), tokens prefixed by `first` when not empty (the decoder's <bos>), and num_pad
// "<pad>" tokens appended.
LessonInput embed_text(const std::string& text, arma::uword d_model, std::uint64_t seed,
                       const NameMap& embedding, const std::string& first = "",
                       arma::uword num_pad = 0);

// The --row of lessons 02 and 05: InputError unless a row the learner gave is a row of
// x; the default (not given) falls back to the last row when x is shorter.
arma::uword pick_row(arma::uword row, bool given, const arma::mat& x);

// Every head's attention weights, heat-shaded, as NAME.head0, NAME.head1, …
// Lessons 06 and 07: layer1.output … of a stack, each reading the one before. A post-LN
// stack's last layer output is the stack's output, so it is only dumped (and said once),
// to be printed as `output`. note(i) is the note printed with layer i's output.
void print_stack_outputs(Printer& out, const std::vector<arma::mat>& layer_outputs,
                         bool has_final_norm, const Labels& labels,
                         std::string (*note)(std::size_t layer));

// The first `shown` heads are printed, the rest only dumped and drawn (--out, --html).
void print_head_weights(Printer& out, const std::string& name, const MultiHeadAttention& attention,
                        const Labels& labels, const std::string& note, std::size_t shown = 1000);

// A matrix the learner hands in (--input, --memory): n × d_model with n ≥ 1 and every
// entry finite (require_matrix, core/shape.hpp, the check read_grad_output and weight
// files share), else InputError naming the option, the file and both shapes, or the
// first entry that is not a finite number.
arma::mat read_rows(const std::string& option, const std::string& path, arma::uword d_model);

// --weights, then --save-weights (DESIGN §4), right after the module has drawn its
// parameters: fill them from --weights when given, and write the ones this run uses
// to --save-weights when asked. The file written carries lesson_weight_metadata (the
// lesson's name and the sizes among its `features`, cli/weight_files.hpp); a --weights
// file whose metadata disagrees with the options is an InputError naming both values,
// and one without metadata is checked by names and shapes only.
void apply_weight_files(const Common& common, const ParamList& params, const std::string& lesson,
                        unsigned features);

// --grad-output's dL/d(output), which must have the output's shape, n_rows × d_model,
// and finite entries (require_matrix); empty without --grad-output. Read it before
// computing anything, so that a wrong file stops the lesson at once.
arma::mat read_grad_output(const Common& common, arma::uword n_rows);

// The end of a lesson's backward pass: write grad.PARAM.npy for every parameter to
// --dump-dir and say so, or say how to get them.
void finish_grad_output(Printer& out, const Common& common, const ParamList& params);

// "the, cat, sat", printf_number, format_diff, shape_of: the formats of io/table.hpp, which
// src/course uses too (course sits below cli).
using tfm::format_diff;
using tfm::join_labels;
using tfm::printf_number;
using tfm::shape_of;

// A comma-separated list of numbers > 0, one to max_count of them ("0.5,0.9,1.2");
// InputError naming the option otherwise.
std::vector<double> parse_positive_list(const std::string& option, const std::string& list,
                                        std::size_t max_count);

}  // namespace tfm::cli
