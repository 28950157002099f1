#include "course/lesson_12.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "decode/sampling.hpp"
#include "io/safetensors.hpp"
#include "ops/softmax.hpp"
#include "train/checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace tfm::course {
namespace {

std::string share(arma::uword right, arma::uword total) {
    return total > 0
               ? printf_number(100.0 * static_cast<double>(right) / static_cast<double>(total),
                               "%.1f%%")
               : "-";
}

}  // namespace

MaskedText parse_masked_text(const Vocab& vocab, const std::string& text, arma::uword max_chars) {
    MaskedText m;
    m.ids.push_back(Vocab::bos);
    m.labels.push_back("<bos>");
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t mark = text.find(mask_token, at);
        const std::string plain = text.substr(at, mark == std::string::npos ? mark : mark - at);
        for (const std::string& c : tokenize_chars(plain)) {
            m.ids.push_back(vocab.id(c));
            m.labels.push_back(m.ids.back() == Vocab::unk ? "<unk>" : c);
            m.chars.push_back(c);
        }
        if (mark == std::string::npos) break;
        m.masks.push_back(m.ids.size());
        m.ids.push_back(mask_id);
        m.labels.push_back(mask_token);
        m.chars.push_back(mask_token);
        at = mark + std::string(mask_token).size();
    }
    require(!m.masks.empty(), tr("--text has no <mask>: mark the characters to fill in, as in "
                                 "\"床前明<mask>光\""));
    require(m.ids.size() - 1 <= max_chars,
            tr("--text has {1} characters and marks; the model reads {2} after <bos>",
               m.ids.size() - 1, max_chars));
    return m;
}

MaskedSource find_masked(const PoemCorpus& corpus, const MaskedText& text) {
    MaskedSource found;
    const std::vector<std::string>& pattern = text.chars;
    for (std::size_t i = 0; i < corpus.poems.size() && found.source.poem < 0; ++i) {
        const std::vector<std::string> chars = tokenize_chars(corpus.poems[i].text());
        for (std::size_t start = 0; start + pattern.size() <= chars.size(); ++start) {
            bool match = true;
            for (std::size_t j = 0; j < pattern.size() && match; ++j)
                match = pattern[j] == mask_token ? !is_punctuation(chars[start + j])
                                                 : pattern[j] == chars[start + j];
            if (!match) continue;
            // find_prompt traces the poem to the split by its whole text.
            found.source = find_prompt(corpus, corpus.poems[i].text());
            for (std::size_t j = 0; j < pattern.size(); ++j)
                if (pattern[j] == mask_token) found.hidden.push_back(chars[start + j]);
            break;
        }
    }
    return found;
}

bool is_punctuation(const std::string& token) {
    static const std::set<std::string> marks = {"，", "。", "？", "！", "；", "：", "、",
                                                "“",  "”",  "‘",  "’",  "《", "》", "·"};
    return marks.count(token) > 0;
}

arma::uvec answer_ids(const Vocab& vocab, bool marks) {
    arma::uvec allowed(vocab.size(), arma::fill::zeros);
    for (arma::uword id = mask_id + 1; id < vocab.size(); ++id)
        allowed(id) = is_punctuation(vocab.token(id)) == marks ? 1 : 0;
    return allowed;
}

arma::uword rank_of(const arma::rowvec& probs, arma::uword id) {
    const std::vector<arma::uword> ranked = rank_tokens(probs);
    return static_cast<arma::uword>(std::find(ranked.begin(), ranked.end(), id) - ranked.begin()) +
           1;
}

FillIn fill_in(Bert& bert, Gpt& gpt, const PoemCorpus& corpus, arma::uword poems) {
    FillIn f;
    const arma::uvec chars = answer_ids(corpus.vocab, false),
                     marks = answer_ids(corpus.vocab, true);
    const arma::rowvec unigram = corpus.ngrams->unigram_row();
    const arma::uword bert_n = bert.config.max_positions, gpt_n = gpt.config.max_positions;
    // The truth's rank among the answers of its kind, by the scores (logits or p).
    const auto count = [&](arma::uword bucket, FillIn::Model m, const arma::rowvec& scores,
                           arma::uword truth) {
        const arma::uvec& allowed = bucket == FillIn::marks ? marks : chars;
        arma::uword above = 0;
        for (arma::uword id = 0; id < scores.n_elem; ++id)
            above += allowed(id) && scores(id) > scores(truth);
        f.top1(bucket, m) += above == 0;
        f.top10(bucket, m) += above < 10;
    };
    f.poems = std::min<arma::uword>(poems, corpus.held_out.size());
    for (const TokenIds& p : corpus.train) f.train_characters += p.size() - 2;  // <bos>, <eos>
    for (arma::uword p = 0; p < f.poems; ++p) {
        const TokenIds& ids = corpus.held_out[p];
        // Each id's bucket: its place in its verse line − 1, the marks' bucket, or none.
        const arma::uword none = FillIn::buckets;
        std::vector<arma::uword> bucket(ids.size(), none);
        arma::uword run = 0;
        for (std::size_t i = 1; i + 1 < ids.size(); ++i) {
            if (marks(ids[i])) {
                bucket[i] = FillIn::marks;
                run = 0;
            } else {
                ++run;  // an <unk> takes its place in the line, but is not counted
                if (chars(ids[i])) bucket[i] = std::min(run, FillIn::places) - 1;
            }
        }
        // The GPT: one pass over each of the poem's pieces gives every prediction.
        const std::vector<TokenIds> pieces = lm_pieces({ids}, gpt_n + 1);
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            const arma::mat logits = gpt.forward(TokenIds(pieces[k].begin(), pieces[k].end() - 1));
            for (arma::uword r = 0; r < gpt_n; ++r) {
                const std::size_t i = k * gpt_n + r + 1;  // the id row r predicts
                if (i < ids.size() && bucket[i] != none)
                    count(bucket[i], FillIn::gpt, logits.row(r), ids[i]);
            }
        }
        // BERT: the poem in chunks of max_positions ids; each counted id of a chunk hidden
        // in its own copy of the chunk, all copies in one batch.
        for (std::size_t start = 0; start < ids.size(); start += bert_n) {
            const TokenIds chunk(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                 ids.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                                   ids.size(), start + bert_n)));
            std::vector<TokenIds> copies;
            std::vector<std::size_t> where;
            for (std::size_t j = 0; j < chunk.size(); ++j)
                if (bucket[start + j] != none) {
                    copies.push_back(chunk);
                    copies.back()[j] = mask_id;
                    where.push_back(j);
                }
            if (copies.empty()) continue;
            std::vector<arma::uword> rows;
            for (std::size_t c = 0; c < copies.size(); ++c)
                rows.push_back(c * chunk.size() + where[c]);
            const arma::mat logits = bert.forward_rows(copies, rows);
            for (std::size_t c = 0; c < copies.size(); ++c) {
                const std::size_t i = start + where[c];
                ++f.total(bucket[i]);
                count(bucket[i], FillIn::bert, logits.row(c), ids[i]);
                count(bucket[i], FillIn::unigram, unigram, ids[i]);
            }
        }
    }
    return f;
}

TextTable fill_in_table(const FillIn& f) {
    TextTable t{{tr("place in line"), tr("hidden"), "BERT", "GPT", tr("unigram"), "BERT top-10",
                 "GPT top-10", tr("unigram top-10")},
                {}};
    // top-10 of the marks is "-": there are fewer than ten marks to choose from.
    const auto row = [&](const std::string& label, arma::uword total, const arma::urowvec& top1,
                         const arma::urowvec& top10, bool marks = false) {
        const auto ten = [&](int m) { return marks ? std::string("-") : share(top10(m), total); };
        t.rows.push_back({label, std::to_string(total), share(top1(0), total),
                          share(top1(1), total), share(top1(2), total), ten(0), ten(1), ten(2)});
    };
    for (arma::uword b = 0; b < FillIn::places; ++b)
        if (f.total(b) > 0)
            row(b + 1 < FillIn::places ? std::to_string(b + 1) : tr("8 or later"), f.total(b),
                f.top1.row(b), f.top10.row(b));
    const arma::span characters(0, FillIn::places - 1);
    row(tr("every character"), arma::accu(f.total(characters)),
        arma::sum(f.top1.rows(characters), 0), arma::sum(f.top10.rows(characters), 0));
    row(tr("the marks ，。？！；"), f.total(FillIn::marks), f.top1.row(FillIn::marks),
        f.top10.row(FillIn::marks), true);
    return t;
}

std::string fill_in_sentence(const FillIn& f) {
    const arma::span characters(0, FillIn::places - 1);
    const double n = static_cast<double>(arma::accu(f.total(characters)));
    const double marks = static_cast<double>(f.total(FillIn::marks));
    const auto pct = [](double right, double total) {
        return total > 0 ? 100.0 * right / total : 0.0;
    };
    const arma::urowvec top1 = arma::sum(f.top1.rows(characters), 0),
                        top10 = arma::sum(f.top10.rows(characters), 0);
    const auto text = [](double x) { return printf_number(x, "%.1f%%"); };
    // The marks: the form of a line.
    const double mb = pct(f.top1(FillIn::marks, 0), marks),
                 mg = pct(f.top1(FillIn::marks, 1), marks),
                 mu = pct(f.top1(FillIn::marks, 2), marks);
    // Two sentences, each whole: the marks, then the characters.
    std::string s;
    if (mb >= mg + 2.0)
        s =
            tr("Both models place the marks far better than counting (BERT {1}, GPT {2}, "
               "counting {3}): where a line ends is form, and both learned it; seeing the "
               "characters after the gap puts BERT ahead. ",
               text(mb), text(mg), text(mu));
    else if (mg >= mb + 2.0)
        s =
            tr("Both models place the marks far better than counting (BERT {1}, GPT {2}, "
               "counting {3}): where a line ends is form, and both learned it; the GPT, counting "
               "the characters before the gap, does better here. ",
               text(mb), text(mg), text(mu));
    else
        s =
            tr("Both models place the marks far better than counting (BERT {1}, GPT {2}, "
               "counting {3}): where a line ends is form, and both learned it, BERT from both "
               "sides and the GPT from the left alike. ",
               text(mb), text(mg), text(mu));
    // The characters: which one.
    // The shares as printed (one decimal), so that a difference the sentence gives is the
    // difference of the figures the learner reads.
    const auto shown = [](double x) { return std::round(10.0 * x) / 10.0; };
    const double b10 = shown(pct(top10(0), n)), g10 = shown(pct(top10(1), n)),
                 u10 = shown(pct(top10(2), n));
    const double spread = std::max({b10, g10, u10}) - std::min({b10, g10, u10});
    const std::string chars = format_count(f.train_characters);
    const std::string b1 = text(pct(top1(0), n)), g1 = text(pct(top1(1), n)),
                      u1 = text(pct(top1(2), n));
    if (b10 >= std::max(g10, u10) + 1.0)
        return s + tr("On the characters, the right one is among the first ten choices {1} of "
                      "the time for BERT, {2} for the GPT and {3} for counting (first choice: "
                      "{4}, {5}, {6}): reading both sides puts BERT {7} points ahead, and {8} "
                      "training characters are too few to learn which character fits where.",
                      text(b10), text(g10), text(u10), b1, g1, u1,
                      printf_number(b10 - std::max(g10, u10), "%.1f"), chars);
    if (g10 >= std::max(b10, u10) + 1.0)
        return s + tr("On the characters, the right one is among the first ten choices {1} of "
                      "the time for BERT, {2} for the GPT and {3} for counting (first choice: "
                      "{4}, {5}, {6}): the GPT, which sees only the left side, is {7} points "
                      "ahead. Seeing both sides does not make up for what BERT's training "
                      "misses: each step it learns from the {8} of positions it hid, the GPT "
                      "from every position, and {9} training characters are few for either.",
                      text(b10), text(g10), text(u10), b1, g1, u1,
                      printf_number(g10 - std::max(b10, u10), "%.1f"),
                      printf_number(100.0 * MaskingRecipe{}.chosen, "%.0f%%"), chars);
    if (std::max(b10, g10) < u10 + 1.0)
        return s + tr("On the characters, the right one is among the first ten choices {1} of "
                      "the time for BERT, {2} for the GPT and {3} for counting (first choice: "
                      "{4}, {5}, {6}): neither model beats counting by more than a point (the "
                      "three are within {7} points), and {8} training characters are too few "
                      "to learn which character fits where.",
                      text(b10), text(g10), text(u10), b1, g1, u1, printf_number(spread, "%.1f"),
                      chars);
    return s + tr("On the characters, the right one is among the first ten choices {1} of the "
                  "time for BERT, {2} for the GPT and {3} for counting (first choice: {4}, {5}, "
                  "{6}): both models beat counting, by {7} points at least, and are within a "
                  "point of each other; {8} training characters are few for either.",
                  text(b10), text(g10), text(u10), b1, g1, u1,
                  printf_number(std::min(b10, g10) - u10, "%.1f"), chars);
}

LmTrainOptions bert_training() {
    LmTrainOptions o;
    o.steps = 600;
    o.batch = 32;
    o.warmup = 100;
    o.lr_scale = 0.5;
    o.label_smoothing = 0.0;
    o.dropout = 0.1;
    o.weight_decay = 0.01;
    o.eval_every = 100;
    return o;
}

void save_bert(const std::string& path, Bert& model, const Vocab& vocab,
               const LmTrainOptions& training) {
    save_checkpoint(path, model.params(), model.config, vocab, "tang-poems-masked",
                    training_metadata("12_bert", training));
}

std::unique_ptr<Bert> load_bert(const std::string& path, const Vocab& vocab) {
    auto model =
        std::make_unique<Bert>(read_poem_checkpoint(path, vocab, bert_lesson_config(vocab.size())));
    load_params(path, model->params());
    return model;
}

}  // namespace tfm::course
