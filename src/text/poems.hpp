// The Tang poems lessons 11 and 12 learn from: Debian's fortunes-zh file
// /usr/share/games/fortunes/tang300 (313 poems), read at training time; the repository
// ships no copy of the text.
//
// The fortune format: poems separated by lines holding only "%"; in each, a title line
// 《…》 and an author line 作者：…, both wrapped in ANSI colour codes, then the poem's
// text, one couplet per line. A verse line is what runs up to a closing ，。？！ or ；
// ("床前明月光，"), so a couplet line is two verse lines.
#pragma once
#include "text/tokenizer.hpp"

#include <armadillo>
#include <map>
#include <string>
#include <vector>

namespace tfm {

struct Poem {
    std::string title;               // 静夜思 (without 《》)
    std::string author;              // 李白
    std::vector<std::string> lines;  // verse lines, each with its closing punctuation
    std::string text() const;        // the lines joined: what the models read
};

// Every poem of a fortune file. InputError (naming the file and the line) when the file
// is missing, when a poem lacks its title or author line or has no verse, or when the
// text is not UTF-8.
std::vector<Poem> read_poems(const std::string& path);
// The same from the text of such a file.
std::vector<Poem> parse_poems(const std::string& text, const std::string& name);

// Where the corpus is: $TFM_POEMS when set, else Debian's fortunes-zh file.
std::string poems_path();

// The split every figure is measured on: poem i is held out when i % 10 == 9 (every
// tenth poem), the rest train. Deterministic: no seed.
struct PoemSplit {
    std::vector<Poem> train, held_out;
};
PoemSplit split_poems(const std::vector<Poem>& poems);

// The characters of the training poems that occur at least min_count times, in order of
// first appearance, after the reserved tokens (<pad> <unk> <bos> <eos> <mask>). Any other
// character reads as <unk>: with min_count 2 the training text has <unk> targets too (its
// characters seen once), so a model learns what an unseen character costs instead of
// paying 20 bits for each one in the held-out poems (measured: held-out 17.2 bits with
// every character, ≈ 8.3 with min_count 2 — the baselines move from 9.22 to 8.41 too).
Vocab poem_vocab(const std::vector<Poem>& train, unsigned min_count = 2);
inline constexpr const char* mask_token = "<mask>";
inline constexpr arma::uword mask_id = 4;  // its id in poem_vocab

// A poem as the models read it: <bos>, one id per character, <eos>.
std::vector<arma::uword> encode_poem(const Vocab& vocab, const Poem& poem);

// Counting baselines on the same split, in bits per character of the held-out poems
// (every character and the closing <eos>, predicted from what comes before):
//   unigram  p(c) = (n(c) + 1) / (N + V)                           (add-one)
//   bigram   p(c | b) = λ_b · n(b, c) / n(b) + (1 − λ_b) · p_unigram(c),
//            λ_b = n(b) / (n(b) + T(b)), T(b) the distinct successors of b (Witten–Bell)
class CharNgrams {
public:
    CharNgrams(const Vocab& vocab, const std::vector<std::vector<arma::uword>>& train);
    double unigram(arma::uword c) const;
    double bigram(arma::uword previous, arma::uword c) const;
    arma::rowvec unigram_row() const;                     // p(·), [1 × V]
    arma::rowvec bigram_row(arma::uword previous) const;  // p(· | previous)
    // Mean −log2 p over every predicted position of `sequences` (each starts with <bos>,
    // which is given, not predicted).
    double unigram_bits(const std::vector<std::vector<arma::uword>>& sequences) const;
    double bigram_bits(const std::vector<std::vector<arma::uword>>& sequences) const;

private:
    arma::uword vocab_size_;
    arma::vec unigram_counts_;
    double total_ = 0;
    std::vector<std::map<arma::uword, double>> bigram_counts_;  // by previous id
    arma::vec successor_totals_, successor_types_;
};

// The line forms the lessons compare (for generated poems, the corpus and the bigram
// model's samples): the share of verse lines of exactly 5 or 7 characters (the
// punctuation not counted), the share of verse lines that end in ， or 。 (a line the
// text cut short counts as not ending so), and the share of poems of 4 or 8 lines.
struct LineForms {
    double five_or_seven = 0, punctuated = 0, four_or_eight = 0;
    std::size_t lines = 0, poems = 0;
};
LineForms line_forms(const std::vector<std::string>& poem_texts);
// A text cut into verse lines at ，。？！；(the last piece kept even without one).
std::vector<std::string> verse_lines(const std::string& text);
// A text cut after each 。？！: the couplets a poem is printed in, one to a screen line
// (the last piece kept even without one).
std::vector<std::string> couplets(const std::string& text);

}  // namespace tfm
