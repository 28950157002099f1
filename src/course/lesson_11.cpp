#include "course/lesson_11.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/safetensors.hpp"
#include "model/config.hpp"
#include "train/checkpoint.hpp"

#include <cstdio>

namespace tfm::course {
namespace {

std::string bits(double x) { return printf_number(x, "%.3f"); }
std::string share(double x) { return printf_number(100.0 * x, "%.0f%%"); }

}  // namespace

PoemCorpus load_corpus(const std::string& path) {
    PoemCorpus c;
    c.poems = read_poems(path);
    c.split = split_poems(c.poems);
    c.vocab = poem_vocab(c.split.train);
    for (const Poem& p : c.split.train) c.train.push_back(encode_poem(c.vocab, p));
    for (const Poem& p : c.split.held_out) c.held_out.push_back(encode_poem(c.vocab, p));
    c.ngrams = std::make_unique<CharNgrams>(c.vocab, c.train);
    return c;
}

PromptSource find_prompt(const PoemCorpus& corpus, const std::string& text) {
    PromptSource s;
    for (std::size_t i = 0; i < corpus.poems.size() && s.poem < 0; ++i)
        if (corpus.poems[i].text().find(text) != std::string::npos) s.poem = static_cast<long>(i);
    if (s.poem < 0) return s;
    const Poem& found = corpus.poems[static_cast<std::size_t>(s.poem)];
    s.trained_on = true;
    for (const Poem& p : corpus.split.held_out)
        if (p.title == found.title && p.author == found.author && p.text() == found.text())
            s.trained_on = false;
    return s;
}

std::string source_sentence(const PoemCorpus& corpus, const PromptSource& source) {
    if (source.poem < 0) return tr("This text is in none of the {1} poems.", corpus.poems.size());
    const Poem& p = corpus.poems[static_cast<std::size_t>(source.poem)];
    if (source.trained_on)
        return tr(
            "This text is from 《{1}》 by {2}, a poem the model TRAINED on: what it does "
            "here may be memory, not skill, so the held-out figures are the ones that count.",
            p.title, p.author);
    return tr(
        "This text is from 《{1}》 by {2}, a poem the model never saw (held out): what it "
        "does here is not memory.",
        p.title, p.author);
}

std::string poem_text(const Vocab& vocab, const TokenIds& ids) {
    std::string text;
    for (arma::uword id : ids)
        if (id > Vocab::eos && id != mask_id) text += vocab.token(id);
    return text;
}

TextTable family_table(const ModelConfig& ours, const std::string& label,
                       const std::vector<std::string>& presets) {
    TextTable t{{tr("model"), tr("blocks"), "d_model", tr("heads"), "d_ff", tr("positions"),
                 tr("vocabulary"), tr("parameters")},
                {}};
    auto row = [&](const std::string& name, const ModelConfig& c) {
        const arma::uword blocks =
            c.architecture == Architecture::encoder_only ? c.encoder_layers : c.decoder_layers;
        t.rows.push_back({name, std::to_string(blocks), std::to_string(c.d_model),
                          std::to_string(c.num_heads), std::to_string(c.d_ff),
                          std::to_string(c.max_positions), format_count(c.src_vocab_size),
                          format_count(count_breakdown(c).total)});
    };
    row(label, ours);
    for (const std::string& name : presets) row(name, preset(name));
    return t;
}

TextTable loss_table(double gpt_bits, const PoemCorpus& corpus) {
    const double bigram = corpus.ngrams->bigram_bits(corpus.held_out),
                 unigram = corpus.ngrams->unigram_bits(corpus.held_out);
    return {
        {tr("model"), tr("held-out bits/char"), tr("what it knows")},
        {{tr("GPT (this lesson)"), bits(gpt_bits), tr("every character before, up to its context")},
         {tr("bigram"), bits(bigram), tr("the one character before")},
         {tr("unigram"), bits(unigram), tr("nothing: how common each character is")}}};
}

std::string loss_sentence(double gpt_bits, const PoemCorpus& corpus) {
    const double bigram = corpus.ngrams->bigram_bits(corpus.held_out);
    const double gap = bigram - gpt_bits;
    std::size_t train_chars = 0;
    for (const TokenIds& p : corpus.train) train_chars += p.size() - 2;
    const std::string chars = format_count(train_chars);
    if (gap >= 0.1)
        return tr(
            "The GPT pays {1} bits per character less than counting pairs: it reads the "
            "whole line so far, and where in the line it is.",
            bits(gap));
    if (gap >= 0)
        return tr(
            "The GPT is only {1} bits below the bigram: {2} training characters are too "
            "few for it to learn which character follows which better than counting does "
            "(trained longer, it memorises them and the held-out loss rises; "
            "docs/11-gpt.md). What it does learn is the form of a poem, below.",
            bits(gap), chars);
    return tr(
        "The GPT is {1} bits above the bigram: {2} training characters are too few for it "
        "to learn which character follows which better than counting does (trained "
        "longer, it memorises them and the held-out loss rises; docs/11-gpt.md). What it "
        "does learn is the form of a poem, below.",
        bits(-gap), chars);
}

TextTable next_char_table(const Vocab& vocab, const arma::rowvec& probs, arma::uword k) {
    TextTable t{{tr("rank"), tr("character"), tr("probability")}, {}};
    const std::vector<arma::uword> ranked = rank_tokens(probs);
    for (arma::uword r = 0; r < k && r < ranked.size(); ++r)
        t.rows.push_back({std::to_string(r + 1), vocab.token(ranked[r]),
                          printf_number(probs(ranked[r]), "%.4f")});
    return t;
}

Writings write_poems(Gpt& model, const PoemCorpus& corpus, const TokenIds& prompt,
                     const SamplingOptions& options, arma::uword count, std::uint64_t seed) {
    Writings w;
    const arma::uword room = model.config.max_positions;  // generate stops when it is full
    for (arma::uword i = 0; i < count; ++i) {
        w.gpt.push_back(poem_text(corpus.vocab, generate(model, prompt, options, room, seed + i)));
        w.bigram.push_back(poem_text(
            corpus.vocab, generate_bigram(*corpus.ngrams, prompt, options, room, seed + i)));
    }
    return w;
}

TextTable line_form_table(const Writings& w, const PoemCorpus& corpus) {
    std::vector<std::string> poets;
    for (const Poem& p : corpus.poems) poets.push_back(p.text());
    TextTable t{{tr("written by"), tr("poems"), tr("lines"), tr("5 or 7 chars"),
                 tr("end in ，or 。"), tr("4 or 8 lines")},
                {}};
    auto row = [&](const std::string& who, const std::vector<std::string>& texts) {
        const LineForms f = line_forms(texts);
        t.rows.push_back({who, std::to_string(f.poems), std::to_string(f.lines),
                          share(f.five_or_seven), share(f.punctuated), share(f.four_or_eight)});
    };
    row(tr("the poets (every poem)"), poets);
    row("GPT", w.gpt);
    row(tr("bigram"), w.bigram);
    return t;
}

LmTrainOptions lesson_training() {
    LmTrainOptions o;
    o.steps = 1000;
    o.batch = 32;
    o.warmup = 100;
    o.lr_scale = 0.25;  // peak 0.25 / √(32 · 100) ≈ 4.4e-3
    o.label_smoothing = 0.3;
    o.dropout = 0.3;
    o.weight_decay = 1.0;
    o.eval_every = 100;
    return o;
}

std::map<std::string, std::string> training_metadata(const std::string& lesson,
                                                     const LmTrainOptions& training) {
    return {{"lesson", lesson},
            {"steps", std::to_string(training.steps)},
            {"batch", std::to_string(training.batch)},
            {"dropout", printf_number(training.dropout, "%g")},
            {"weight_decay", printf_number(training.weight_decay, "%g")},
            {"seed", std::to_string(training.seed)}};
}

ModelConfig read_poem_checkpoint(const std::string& path, const Vocab& vocab,
                                 const ModelConfig& fallback) {
    const CheckpointInfo info = read_checkpoint_info(path, fallback);
    const Vocab saved = read_checkpoint_vocab(path, info.metadata, Vocab());
    require(saved.text() == vocab.text(),
            tr("{1}: its vocabulary ({2} tokens) is not the poems' ({3}): trained on another "
               "corpus or split?",
               path, saved.size(), vocab.size()));
    check_checkpoint_tensors(path, info.config);
    return info.config;
}

void save_gpt(const std::string& path, Gpt& model, const Vocab& vocab,
              const LmTrainOptions& training) {
    save_checkpoint(path, model.params(), model.config, vocab, "tang-poems",
                    training_metadata("11_gpt", training));
}

std::unique_ptr<Gpt> load_gpt(const std::string& path, const Vocab& vocab) {
    auto model =
        std::make_unique<Gpt>(read_poem_checkpoint(path, vocab, gpt_lesson_config(vocab.size())));
    load_params(path, model->params());
    return model;
}

}  // namespace tfm::course
