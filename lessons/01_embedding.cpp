// Lesson 01 — Embedding: from a sentence to the matrix X.
//
// A sentence is split into tokens, each token becomes an id in the vocabulary, and each
// id picks one row of the embedding matrix E. Picking a row is the same arithmetic as
// multiplying a one-hot vector by E. The rows are scaled by √d_model and the sinusoidal
// positional encoding is added: X, one row per token, is what every later layer reads.
//
//   build/lessons/01_embedding --text "the cat sat on the mat" --d-model 8
#include "analysis/matrix_stats.hpp"
#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "draw/heatmap.hpp"
#include "io/printer.hpp"
#include "nn/embedding.hpp"
#include "nn/positional_encoding.hpp"
#include "text/tokenizer.hpp"

#include <cmath>

namespace {

using namespace tfm;
constexpr unsigned kFeatures = cli::sizes | cli::text | cli::weights;

struct Settings {
    cli::Common common;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("01_embedding",
                         tr("Lesson 01: text → tokens → ids → rows of E, × √d_model, + positions"));
    const cli::Common defaults;
    cli::add_common(options, kFeatures, defaults);
    const cli::ParseResult result = cli::parse(options, argc, argv);
    return {cli::read_common(result, kFeatures, defaults)};
}

std::string fmt(double x) { return format_number(x, 4); }

// The first known token that occurs twice: positions first < second with the same
// token (two different unknown words share the <unk> id but are not the same token).
bool find_repeat(const std::vector<std::string>& tokens, const Vocab& vocab, std::size_t& first,
                 std::size_t& second) {
    for (first = 0; first < tokens.size(); ++first)
        for (second = first + 1; second < tokens.size(); ++second)
            if (tokens[first] == tokens[second] && vocab.contains(tokens[first])) return true;
    return false;
}

// The positional encoding of many positions as a picture: the waves show at a glance.
Svg pe_picture(arma::uword positions, arma::uword d_model) {
    HeatMap map;
    map.name = "PE_" + std::to_string(positions) + "_positions";
    map.note = "PE[pos, 2i] = sin(pos / 10000^(2i/d_model)), PE[pos, 2i+1] = cos(…)";
    for (arma::uword p = 0; p < positions; ++p)
        map.row_labels.push_back("pos " + std::to_string(p));
    map.row_axis = tr("position");
    map.col_axis = tr("dimension");
    map.scale = Scale::diverging;
    return svg_heatmap(positional_encoding(positions, d_model), map);
}

int lesson(int argc, char** argv) {
    const Settings settings = read_settings(argc, argv);
    const cli::Common& c = settings.common;
    Printer out(c.print);

    const Vocab vocab = Vocab::lesson_default();
    const std::vector<std::string> tokens = tokenize_words(c.text);
    require(!tokens.empty(), tr("--text '{1}' has no tokens", c.text));
    const TokenIds ids = vocab.encode(tokens);
    const auto [labels, unknown] = cli::label_tokens(vocab, tokens);

    // E is the course's source embedding: drawn by its name, src_embed.weight, so the
    // lessons after this one read the same rows.
    Embedding embed(vocab.size(), c.d_model);
    ParamList params;
    embed.params("embed.", params);
    draw_params(params, c.seed, cli::course::source_embedding());
    cli::apply_weight_files(c, params, "01_embedding", kFeatures);

    out.heading(tr("1. Text → tokens → ids"));
    out.say(
        tr("A model cannot read letters, only numbers. The sentence is split into tokens "
           "(lower-cased words and punctuation; one token per CJK character), and each token "
           "is looked up in a vocabulary of {1} entries. Ids 0–3 are reserved: <pad>, <unk> "
           "(a word the vocabulary lacks), <bos>, <eos>.",
           vocab.size()));
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        rows.push_back({std::to_string(i), labels[i], std::to_string(ids[i]), vocab.token(ids[i])});
    out.table({tr("position"), tr("token"), tr("id"), tr("vocabulary entry")}, rows);
    out.say(cli::unknown_note(unknown, tokens.size()));

    out.heading(tr("2. The embedding matrix E"));
    if (c.weights.empty())
        out.say(
            tr("E holds one row of d_model = {1} numbers per vocabulary entry (article §3.4: "
               "the word-embedding matrix turns a word into a dense vector; real models use "
               "hundreds to thousands of columns; a few fit on a screen). Training adjusts E; "
               "inference keeps it fixed. Here E is drawn from N(0, 1/d_model) with the seed "
               "and its name, src_embed.weight, so every later lesson reads these same rows; "
               "--weights loads your own.",
               c.d_model));
    else
        out.say(
            tr("E holds one row of d_model = {1} numbers per vocabulary entry (article §3.4: "
               "the word-embedding matrix turns a word into a dense vector; real models use "
               "hundreds to thousands of columns; a few fit on a screen). Training adjusts E; "
               "inference keeps it fixed. Here E comes from --weights {2}.",
               c.d_model, c.weights));
    std::vector<std::string> vocab_labels;
    for (arma::uword id = 0; id < vocab.size(); ++id) vocab_labels.push_back(vocab.token(id));
    out.tensor("embed.weight", embed.weight,
               {vocab_labels, {}, tr("vocabulary entry"), tr("feature")},
               tr("E: one row per vocabulary entry"), Shade::signed_values);

    out.heading(tr("3. Lookup = one-hot · E"));
    const arma::mat embeddings = embed.forward(ids);
    out.say(
        tr("Each token's vector is simply row `id` of E. The lookup gives one row per token, "
           "a {1} matrix.",
           cli::shape_of(embeddings)));
    out.tensor("embeddings", embeddings, {labels, {}}, tr("row i = E[id of token i]"),
               Shade::signed_values);
    const arma::mat onehot = one_hot(ids, vocab.size());
    out.say(
        tr("The same rows come out of a matrix product: a one-hot row has a single 1 in "
           "column `id`, so one_hot {1} · E {2} selects row `id`. The lookup is that "
           "product without the multiplications by zero.",
           cli::shape_of(onehot), cli::shape_of(embed.weight)));
    out.integers("one_hot", onehot, {labels, vocab_labels}, tr("a single 1 per row, in column id"));
    const arma::mat product = onehot * embed.weight;
    out.table({tr("check"), tr("value")}, {{"max |one_hot · E − embeddings|",
                                            cli::format_diff(max_abs_diff(product, embeddings))}});

    out.heading(tr("4. Scale by √d_model, add positions"));
    const double scale = std::sqrt(static_cast<double>(c.d_model));
    const arma::mat scaled = embeddings * scale;
    const arma::mat pe = positional_encoding(tokens.size(), c.d_model);
    out.say(
        tr("The 2017 paper multiplies the embeddings by √d_model = {1}. Its embedding "
           "entries are small (variance 1/d_model, the table shared with the output layer), "
           "and the scaling brings them to about 1, the size of the positional encoding, so "
           "that neither drowns the other. The table below measures both.",
           fmt(scale)));
    out.tensor("scaled", scaled, {labels, {}}, "embeddings · √d_model");
    out.say(
        tr("Attention itself ignores order: shuffle the tokens and each gets the same vector. "
           "So each position adds its own pattern: PE[pos, 2i] = sin(pos / 10000^(2i/d_model)), "
           "PE[pos, 2i+1] = cos(…). Column pairs are sine waves of falling frequency; column 0 "
           "changes fastest from row to row, the last columns barely move."));
    std::vector<std::string> positions;
    for (std::size_t i = 0; i < tokens.size(); ++i) positions.push_back("pos " + std::to_string(i));
    out.tensor("PE", pe, {positions, {}, tr("position"), tr("dimension")},
               tr("one row per position, whatever the token"), Shade::signed_values);
    if (out.draws()) {
        const arma::uword many = 64;
        out.picture("PE_64_positions", pe_picture(many, c.d_model));
        out.say(
            tr("PE_64_positions draws the same formula for {1} positions: each column is a "
               "wave down the rows, slower from left to right.",
               many));
    }
    const arma::mat x = add_positions(embeddings);
    out.tensor("X", x, {labels, {}}, tr("scaled + PE; also written as output.npy"),
               Shade::signed_values);
    out.dump("output", x);
    out.table({tr("measure"), tr("value")},
              {{tr("rms of {1}", "embeddings"), fmt(rms(embeddings))},
               {tr("rms of {1}", "scaled"), fmt(rms(scaled))},
               {tr("rms of {1}", "PE"), fmt(rms(pe))},
               {"max |X − (scaled + PE)|", cli::format_diff(max_abs_diff(x, scaled + pe))}});
    out.say(tr("X {1} — one row per token, d_model columns — is the input of lesson 02.",
               cli::shape_of(x)));
    std::size_t first = 0, second = 0;
    if (find_repeat(tokens, vocab, first, second))
        out.say(
            tr("\"{1}\" is token {2} and token {3}: the same row of E (max |difference| {4}), "
               "but different rows of X (max |difference| {5}): their positions differ.",
               tokens[first], first, second,
               cli::format_diff(max_abs_diff(embeddings.row(first), embeddings.row(second))),
               fmt(max_abs_diff(x.row(first), x.row(second)))));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
