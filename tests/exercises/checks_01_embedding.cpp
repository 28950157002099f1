// The checks of lesson 01, embeddings and positions (checks.hpp; how they decide:
// checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "model/transformer.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder_layer.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/activation.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"
#include "rnn/spectral.hpp"
#include "rnn/vanilla_rnn.hpp"
#include "train/adam.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace ex {

using namespace check;

std::string check_embedding_lookup(decltype(&embedding_lookup) candidate) {
    // E[r, c] = 10·r + c: every entry names its row and column. vocab 7, d_model 4, and
    // the ids (n = 5, one repeated) are all < d_model, so a lookup by column runs too.
    const arma::uword vocab = 7, d_model = 4;
    arma::mat table(vocab, d_model);
    for (arma::uword r = 0; r < vocab; ++r)
        for (arma::uword c = 0; c < d_model; ++c) table(r, c) = 10.0 * r + c;
    const tfm::TokenIds ids = {2, 0, 3, 2, 1};
    arma::mat hand(ids.size(), d_model);
    for (arma::uword t = 0; t < ids.size(); ++t)
        for (arma::uword c = 0; c < d_model; ++c) hand(t, c) = 10.0 * ids[t] + c;

    arma::mat got;
    std::string why =
        attempt([&] { got = candidate(table, ids); },
                [](const std::string& what) {
                    return "threw on valid ids (" + what +
                           "): row t of the result is row ids[t] of E [vocab × d_model]";
                });
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        arma::uvec id_vec(ids.size());
        for (arma::uword t = 0; t < ids.size(); ++t) id_vec(t) = ids[t];
        arma::mat shifted(ids.size(), d_model);
        for (arma::uword t = 0; t < ids.size(); ++t) shifted.row(t) = table.row(ids[t] + 1);
        const std::string by_column =
            "looked up columns of E instead of rows: E is [vocab × d_model] and token id t is row "
            "t";
        why = first_match(
            got, {{by_column, table.cols(id_vec)},
                  {by_column, table.cols(id_vec).t()},
                  {"the lookup was multiplied by √d_model: that scaling belongs to "
                   "add_positions, not to the lookup",
                   hand * std::sqrt(static_cast<double>(d_model))},
                  {"rows are off by one: id t is row t of E (ids count from 0)", shifted}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected " + dims(hand) +
                   ": one row per id, each a row of E";
        return "the rows are not rows ids[0], ids[1], … of E: " + difference(hand, got);
    }

    // The core's lookup on a random table and other ids (repeats, the last row).
    tfm::set_seed(101);
    const arma::mat random_table = tfm::normal(9, 6);
    const tfm::TokenIds more = {8, 0, 5, 5};
    tfm::Embedding core(random_table.n_rows, random_table.n_cols);
    core.weight = random_table;
    const arma::mat expected = core.forward(more);
    why = attempt([&] { got = candidate(random_table, more); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected))
        return "differs from the course's lookup on a random [9 × 6] table: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got)
                                                        : "returned " + dims(got));

    // An id outside the vocabulary is the learner's error, not a read past the table.
    bool rejected = true;
    why = attempt(
        [&] {
            got = candidate(table, {1, vocab});
            rejected = false;
        },
        [](const std::string&) { return std::string(); });
    if (!why.empty()) return why;
    if (!rejected)
        return "an id ≥ vocab_size was accepted (id 7 in a table of 7 rows): check each id "
               "against table.n_rows and throw (tfm::require) instead of reading past E";
    return "";
}

std::string check_positional_encoding(decltype(&positional_encoding) candidate) {
    // d_model = 4: columns 2, 3 have frequency 1/10000^(2/4) = 1/100.
    //   PE[0] = [sin 0, cos 0, sin 0, cos 0] = [0, 1, 0, 1]
    //   PE[1] = [sin 1, cos 1, sin 0.01, cos 0.01],  PE[2] = [sin 2, cos 2, sin 0.02, cos 0.02]
    const arma::mat hand = {{0.0, 1.0, 0.0, 1.0},
                            {std::sin(1.0), std::cos(1.0), std::sin(0.01), std::cos(0.01)},
                            {std::sin(2.0), std::cos(2.0), std::sin(0.02), std::cos(0.02)}};
    // The diagnostic case: 5 positions, d_model 6 (three frequencies).
    const arma::uword seq_len = 5, d_model = 6;
    const arma::mat expected = tfm::positional_encoding(seq_len, d_model);

    arma::mat got;
    std::string why = attempt([&] { got = candidate(seq_len, d_model); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        if (arma::size(got) == arma::size(expected.t()))
            return "returned " + dims(got) +
                   ": PE has one row per position, [seq_len × d_model] = " + dims(expected);
        why = first_match(
            got,
            {{"sin and cos swapped: even columns 2i take sin, odd columns 2i+1 take cos",
              model_pe(seq_len, d_model, PeMistake::swapped)},
             {"2i/d_model was computed in integer arithmetic (it is 0 for every column): "
              "divide as double",
              model_pe(seq_len, d_model, PeMistake::integer_exponent)},
             {"column 2i+1 must share column 2i's frequency: the exponent is 2i/d_model for "
              "both, not (column index)/d_model",
              model_pe(seq_len, d_model, PeMistake::column_exponent)},
             {"the exponent is 2i/d_model, but i/d_model was used (i = the pair index)",
              model_pe(seq_len, d_model, PeMistake::pair_exponent)},
             {"the angle is pos / 10000^(2i/d_model): pos was multiplied by 10000^(2i/d_model) "
              "instead of divided",
              model_pe(seq_len, d_model, PeMistake::multiplied)},
             {"positions count from 0: row 0 of PE is [sin 0, cos 0, …] = [0, 1, 0, 1, …]",
              model_pe(seq_len, d_model, PeMistake::from_one)},
             {"sin fills the first half of the columns and cos the second: this course "
              "interleaves them (sin in even columns 2i, cos in odd columns 2i+1)",
              model_pe(seq_len, d_model, PeMistake::halves)}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + ", expected [seq_len × d_model] = " + dims(expected);
        return "PE differs from sin(pos / 10000^(2i/d_model)), cos(…): " +
               difference(expected, got);
    }
    why = attempt([&] { got = candidate(3, 4); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand))
        return "PE for 3 positions and d_model 4 differs from the hand-computed values: " +
               (arma::size(got) == arma::size(hand) ? difference(hand, got)
                                                    : "returned " + dims(got));
    if (!same(expected, model_pe(seq_len, d_model)))
        return "the course's positional_encoding disagrees with the formula (a bug in src/, not in "
               "your code)";
    return "";
}

std::string check_add_positions(decltype(&add_positions) candidate) {
    // Hand: embeddings of ones, d_model 4 → 1·√4 + PE = 2 + PE (PE as in the check above).
    const arma::mat pe34 = {{0.0, 1.0, 0.0, 1.0},
                            {std::sin(1.0), std::cos(1.0), std::sin(0.01), std::cos(0.01)},
                            {std::sin(2.0), std::cos(2.0), std::sin(0.02), std::cos(0.02)}};
    const arma::mat hand = 2.0 + pe34;

    tfm::set_seed(102);
    const arma::mat emb = tfm::normal(5, 6);  // n = 5 tokens, d_model = 6
    const arma::mat expected = tfm::add_positions(emb);
    const arma::mat pe = model_pe(5, 6);
    const double root_d = std::sqrt(6.0);

    arma::mat got;
    std::string why = attempt([&] { got = candidate(emb); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(
            got,
            {{"the embeddings were not multiplied by √d_model before adding PE", emb + pe},
             {"√d_model multiplies the embeddings only, not PE", (emb + pe) * root_d},
             {"the embeddings were divided by √d_model; multiply them", emb / root_d + pe},
             {"the embeddings were multiplied by d_model instead of √d_model", emb * 6.0 + pe},
             {"scaled by √(number of tokens) instead of √d_model (d_model = the number of columns)",
              emb * std::sqrt(5.0) + pe},
             {"PE was left out: X = embeddings · √d_model + PE", emb * root_d}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + ", expected " + dims(expected) +
                   " (the embeddings' shape)";
        return "differs from embeddings · √d_model + PE: " + difference(expected, got);
    }
    why =
        attempt([&] { got = candidate(arma::mat(3, 4, arma::fill::ones)); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand))
        return "embeddings of ones [3 × 4] should give 2 + PE: " +
               (arma::size(got) == arma::size(hand) ? difference(hand, got)
                                                    : "returned " + dims(got));
    return "";
}

}  // namespace ex
