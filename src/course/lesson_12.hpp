// Lesson 12's own measurements: a masked line as the model reads it, where it comes from,
// the heart of the article's §2 measured (filling in one held-out character at a time by
// BERT, which reads both sides, by lesson 11's GPT, which reads the left, and by
// counting), the checkpoint, and the tables the lesson prints. The corpus, the split and
// the GPT are lesson 11's (course/lesson_11.hpp).
#pragma once
#include "course/lesson_11.hpp"
#include "model/bert.hpp"
#include "train/mlm.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tfm::course {

// --text: characters and "<mask>" marks, read as <bos> then one id per character (a
// <mask> mark as <mask>). labels: what each position shows ("<bos>", "床", "<mask>", …);
// masks: the positions of the marks. InputError when there is no mark, or when the
// text has more than max_chars characters and marks.
struct MaskedText {
    TokenIds ids;
    std::vector<std::string> labels, chars;
    std::vector<arma::uword> masks;
};
MaskedText parse_masked_text(const Vocab& vocab, const std::string& text, arma::uword max_chars);

// Where a masked text comes from: the first poem holding it with each mark standing for
// any one character, the characters the marks hide there (empty when none holds it), and
// whether that poem was trained on.
struct MaskedSource {
    PromptSource source;
    std::vector<std::string> hidden;  // one per mark
};
MaskedSource find_masked(const PoemCorpus& corpus, const MaskedText& text);

// Punctuation (，。？！；：、 and quotation marks): the marks that end a verse line.
bool is_punctuation(const std::string& token);
// The ids a fill-in may answer for a hidden character (marks = false: the vocabulary's
// characters, no reserved id, no <unk>, no punctuation) or a hidden mark (marks = true:
// the punctuation ids), 1 for each.
arma::uvec answer_ids(const Vocab& vocab, bool marks = false);
// The 1-based rank of `id` in probs (1: the most likely).
arma::uword rank_of(const arma::rowvec& probs, arma::uword id);

// The heart of §2, measured on the first `poems` held-out poems: every character and
// every mark hidden in turn (not <unk>), the rest shown. BERT reads the poem's chunk of
// max_positions ids with that one position as <mask>; the GPT predicts it from the ids
// before it, as lm_bits reads a poem; the unigram from nothing. Each is told whether a
// character or a mark is hidden, and ranks the answers of that kind (answer_ids) by its
// scores: right when the truth ranks first (top-1) or in the first ten (top-10). Counted
// by the character's place in its verse line (1 … 7, and 8 for "8 or later"), and the
// marks apart (bucket 9).
struct FillIn {
    static constexpr arma::uword places = 8, buckets = 9, marks = 8;
    enum Model { bert, gpt, unigram, models };
    arma::uvec total = arma::uvec(buckets, arma::fill::zeros);
    arma::umat top1 = arma::umat(buckets, models, arma::fill::zeros),
               top10 = arma::umat(buckets, models, arma::fill::zeros);
    arma::uword poems = 0;
    arma::uword train_characters = 0;  // what the models learned from (and marks)
};
FillIn fill_in(Bert& bert, Gpt& gpt, const PoemCorpus& corpus, arma::uword poems);
// place in line | hidden | top-1 and top-10 of BERT, GPT and the unigram; a row for every
// character together, and one for the marks.
TextTable fill_in_table(const FillIn& f);
// What the table shows, in two or three sentences written from its numbers.
std::string fill_in_sentence(const FillIn& f);

// The training lesson 12 ships: bert_training() are its defaults (the shipped checkpoint's).
LmTrainOptions bert_training();

// The checkpoint: one file, weights with the lesson's metadata and the vocabulary.
void save_bert(const std::string& path, Bert& model, const Vocab& vocab,
               const LmTrainOptions& training);
// The model of the checkpoint at path, checked against the corpus's vocabulary and its
// tensors against the configuration before anything is allocated (as load_gpt).
std::unique_ptr<Bert> load_bert(const std::string& path, const Vocab& vocab);

}  // namespace tfm::course
