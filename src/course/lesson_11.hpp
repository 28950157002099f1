// Lesson 11's own measurements: the poems as the models read them, the counting
// baselines, the family table, the line forms of written poems, the checkpoint, and the
// tables the lesson prints. Lesson 12 (BERT) reads the same corpus and this GPT.
#pragma once
#include "decode/generate.hpp"
#include "io/table.hpp"
#include "model/gpt.hpp"
#include "text/poems.hpp"
#include "train/lm.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tfm::course {

// The corpus on one split: poems, the training vocabulary, each poem as ids, and the
// n-gram baselines counted on the training poems.
struct PoemCorpus {
    std::vector<Poem> poems;
    PoemSplit split;
    Vocab vocab;
    std::vector<TokenIds> train, held_out;  // encode_poem of each
    std::unique_ptr<CharNgrams> ngrams;
};
PoemCorpus load_corpus(const std::string& path);

// Where a text comes from: the first poem that contains it, and whether that poem is in
// the training split (a model may have memorised it) or held out. poem -1: in none.
struct PromptSource {
    long poem = -1;
    bool trained_on = false;
};
PromptSource find_prompt(const PoemCorpus& corpus, const std::string& text);
// One sentence saying so, for the lessons.
std::string source_sentence(const PoemCorpus& corpus, const PromptSource& source);

// The text of ids, the reserved tokens left out (<bos> and <eos> included).
std::string poem_text(const Vocab& vocab, const TokenIds& ids);

// A lesson's model (`label`) beside published presets, on the same axes: blocks (the
// stack's layers), d_model, heads, d_ff, positions, vocabulary, parameters. Lesson 11
// lists GPT-2 and GPT-3, lesson 12 BERT.
TextTable family_table(const ModelConfig& ours, const std::string& label,
                       const std::vector<std::string>& presets);
// model | held-out bits per character | what it knows, for the GPT, the bigram and the
// unigram.
TextTable loss_table(double gpt_bits, const PoemCorpus& corpus);
// What the loss table shows, in one or two sentences written from the numbers.
std::string loss_sentence(double gpt_bits, const PoemCorpus& corpus);
// The k most likely next characters with their probabilities.
TextTable next_char_table(const Vocab& vocab, const arma::rowvec& probs, arma::uword k);

// `count` poems written from `prompt` by the GPT and by the bigram model (seeds seed,
// seed + 1, …), and the table of their line forms beside the whole corpus's.
struct Writings {
    std::vector<std::string> gpt, bigram;
};
Writings write_poems(Gpt& model, const PoemCorpus& corpus, const TokenIds& prompt,
                     const SamplingOptions& options, arma::uword count, std::uint64_t seed);
TextTable line_form_table(const Writings& w, const PoemCorpus& corpus);

// The training lesson 11 ships: lesson_training() are its defaults (the shipped
// checkpoint's), measured on the split in docs/11-gpt.md.
LmTrainOptions lesson_training();

// What both poem lessons write beside their weights: the lesson and its training.
std::map<std::string, std::string> training_metadata(const std::string& lesson,
                                                     const LmTrainOptions& training);
// A poem checkpoint's configuration (`fallback`: the lesson's model), the file's
// vocabulary checked against the corpus's (an InputError when it was trained on another
// split or corpus) and its tensors against the configuration, before anything is
// allocated: what load_gpt and load_bert build their models from.
ModelConfig read_poem_checkpoint(const std::string& path, const Vocab& vocab,
                                 const ModelConfig& fallback);

// The checkpoint: one file, weights with the lesson's metadata and the vocabulary.
void save_gpt(const std::string& path, Gpt& model, const Vocab& vocab,
              const LmTrainOptions& training);
// The model of the checkpoint at path, checked against the corpus's vocabulary (an
// InputError when it was trained on another split or corpus) and its tensors against the
// configuration before anything is allocated.
std::unique_ptr<Gpt> load_gpt(const std::string& path, const Vocab& vocab);

}  // namespace tfm::course
