// Lesson 12 — BERT: a stack of encoders that fills in the missing characters of Tang poems.
//
// The article's §2: BERT is a stack of encoders. No causal mask: every position reads
// both sides, so it cannot write left to right as GPT does; instead it is trained to
// recover characters hidden in the middle of a line (the masked language model). Trained
// here on lesson 11's poems and split, it fills in a line and is measured against the
// GPT of lesson 11, which reads only the left side, and against counting.
//
//   build/lessons/12_bert --text "春眠不觉<mask>，"
//   build/lessons/12_bert --train --save-weights data/tang_bert.safetensors
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "course/lesson_12.hpp"
#include "io/files.hpp"
#include "ops/softmax.hpp"

#include <algorithm>
#include <cmath>

namespace {

using namespace tfm;

struct Settings {
    cli::Common common;
    bool train = false;
    LmTrainOptions training = course::bert_training();
    std::string text;
    arma::uword eval_poems = 0;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options(
        "12_bert", tr("Lesson 12: BERT, a stack of encoders that fills in missing characters"));
    const cli::Common defaults;
    cli::add_common(options, cli::weights, defaults);
    auto add = options.add_options(tr("Lesson 12"));
    add("text", tr("a line with <mask> where characters are missing"),
        cli::value<std::string>()->default_value("床前明<mask>光"), "TEXT");
    add("train", tr("train the model here (under 5 minutes), then use it"));
    add("steps", tr("training steps"), cli::value<long>()->default_value("600")->range(1, 5000),
        "N");
    add("eval-poems", tr("held-out poems in the BERT-against-GPT table"),
        cli::value<long>()->default_value("31")->range(1, 100), "N");
    options.examples({"build/lessons/12_bert --text \"春眠不觉<mask>，处处闻啼<mask>。\"",
                      "build/lessons/12_bert --train --save-weights my_bert.safetensors"},
                     "docs/12-bert.md");
    const cli::ParseResult r = cli::parse(options, argc, argv);
    Settings s;
    s.common = cli::read_common(r, cli::weights, defaults);
    s.train = r.count("train") > 0;
    s.training.steps = cli::size_of(r, "steps");
    s.training.seed = s.common.seed;
    s.text = r["text"].as<std::string>();
    s.eval_poems = cli::size_of(r, "eval-poems");
    require(!s.train || s.common.weights.empty(),
            tr("--train trains a model from random weights: give --train or --weights, not "
               "both"));
    return s;
}

void show(Printer& out, const TextTable& t) { out.table(t.header, t.rows); }

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer out(s.common.print);
    const course::PoemCorpus corpus = course::load_corpus(poems_path());
    const ModelConfig config = bert_lesson_config(corpus.vocab.size());
    const course::MaskedText text =
        course::parse_masked_text(corpus.vocab, s.text, config.max_positions - 1);
    // Every file is read before anything is printed: bad input leaves stdout empty.
    std::unique_ptr<Bert> model;
    const std::string weights = !s.common.weights.empty()
                                    ? s.common.weights
                                    : (s.train ? "" : data_path("tang_bert.safetensors"));
    if (!weights.empty()) model = course::load_bert(weights, corpus.vocab);
    const std::unique_ptr<Gpt> gpt =
        course::load_gpt(data_path("tang_gpt.safetensors"), corpus.vocab);

    out.heading(tr("1. The poems, and the model: a stack of encoders"));
    out.say(tr("Lesson 11's {1} poems, split and vocabulary ({2} train, {3} held out, {4} tokens).",
               corpus.poems.size(), corpus.split.train.size(), corpus.split.held_out.size(),
               corpus.vocab.size()));
    out.say(
        tr("Article §2: BERT is a stack of encoders. There is no causal mask, so every position "
           "reads both sides (post-LN and GELU, as BERT); on top, BERT's masked-LM head "
           "LN(gelu(h · Wᵀ + b)) · Eᵀ + bias scores every character for the position itself. "
           "The same axes as BERT-Base and BERT-Large:"));
    show(out, course::family_table(config, tr("this lesson's BERT"), {"bert-base", "bert-large"}));

    out.heading(tr("2. How BERT learns: hide 15% of the characters, predict only those"));
    {
        std::mt19937_64 rng(s.common.seed);
        // The start of the first held-out poem with no <unk> in it: one character a column.
        std::size_t pick = 0;
        const auto start_of = [&](std::size_t p) {
            const TokenIds& poem = corpus.held_out[p];
            return TokenIds(poem.begin(), poem.begin() + std::min<std::ptrdiff_t>(25, poem.size()));
        };
        const auto has_unk = [](const TokenIds& ids) {
            return std::find(ids.begin(), ids.end(), Vocab::unk) != ids.end();
        };
        while (pick + 1 < corpus.held_out.size() && has_unk(start_of(pick))) ++pick;
        const TokenIds line = start_of(pick);
        const MaskedExample e = mask_tokens(line, corpus.vocab.size(), rng);
        std::string original, shown, targets;
        arma::uword masked = 0, random = 0, kept = 0;
        for (std::size_t t = 1; t < line.size(); ++t) {
            original += corpus.vocab.token(line[t]);
            shown += e.input[t] == mask_id ? "Ｍ" : corpus.vocab.token(e.input[t]);
            const bool chosen = e.target[t] != Vocab::pad;
            targets += chosen ? corpus.vocab.token(e.target[t]) : "・";
            if (chosen) {
                masked += e.input[t] == mask_id;
                kept += e.input[t] == line[t];
                random += e.input[t] != mask_id && e.input[t] != line[t];
            }
        }
        out.say(
            tr("The start of a held-out poem, masked by BERT's recipe (seed {1}): each "
               "character or mark is chosen with probability 15%; a chosen one becomes "
               "<mask> (Ｍ) 80% of the time, a random character 10%, and stays itself 10%.",
               s.common.seed));
        show(out, {{"", tr("the first {1} characters and marks", line.size() - 1)},
                   {{tr("poem"), original}, {tr("input"), shown}, {tr("targets"), targets}}});
        out.say(
            tr("Here {1} chosen: {2} <mask>, {3} random, {4} kept. The loss counts the chosen "
               "positions only (・ is not a target): the model cannot tell a kept character "
               "from one it must fix, so it learns to check every position.",
               masked + random + kept, masked, random, kept));
    }

    if (!model) {
        model = std::make_unique<Bert>(config);
        draw_params(model->params(), s.common.seed);
        out.heading(tr("Training: fill in the hidden characters"));
        std::fflush(stdout);
        const LmTrainReport r =
            train_mlm(*model, corpus.train, corpus.held_out, s.training, stderr);
        out.say(
            tr("Trained {1} steps of {2} pieces of {3} characters in {4} s: held-out {5} → {6} "
               "bits per masked character.",
               s.training.steps, s.training.batch, config.max_positions,
               printf_number(r.seconds, "%.0f"), printf_number(r.initial_bits, "%.2f"),
               printf_number(r.final_bits, "%.3f")));
        if (!s.common.save_weights.empty()) {
            course::save_bert(s.common.save_weights, *model, corpus.vocab, s.training);
            out.say(tr("Wrote {1}.", s.common.save_weights));
        }
    }

    out.heading(tr("3. Filling in: {1}", s.text));
    const course::MaskedSource source = course::find_masked(corpus, text);
    out.say(course::source_sentence(corpus, source.source));
    const arma::mat logits = model->forward(text.ids);
    // For NumPy and PyTorch (--dump-dir): the ids read and every position's logits.
    out.dump("text.ids", arma::conv_to<arma::mat>::from(arma::Row<arma::uword>(text.ids)));
    out.dump("logits", logits);
    for (std::size_t m = 0; m < text.masks.size(); ++m) {
        const arma::rowvec p = softmax_rows(logits.row(text.masks[m]));
        out.say(tr("<mask> at position {1}: the most likely characters there.", text.masks[m]));
        show(out, course::next_char_table(corpus.vocab, p, 5));
        if (m < source.hidden.size()) {
            const arma::uword id = corpus.vocab.id(source.hidden[m]);
            if (id == Vocab::unk)
                out.say(tr("The poem has {1} here, a character outside the vocabulary.",
                           source.hidden[m]));
            else
                out.say(tr("The poem has {1} here: BERT ranks it {2} of {3} (p = {4}).",
                           source.hidden[m], course::rank_of(p, id), corpus.vocab.size(),
                           printf_number(p(id), "%.4f")));
        }
    }
    {
        const arma::uword at = text.masks.front();
        const EncoderLayer& last = model->encoder.layers.back();
        arma::mat rows(last.self_attn.heads_.size(), text.ids.size());
        std::vector<std::string> heads;
        for (std::size_t h = 0; h < last.self_attn.heads_.size(); ++h) {
            rows.row(h) = last.self_attn.heads_[h].weights.row(at);
            heads.push_back("head" + std::to_string(h));
        }
        out.tensor("encoder.layers." + std::to_string(model->encoder.layers.size() - 1) +
                       ".self_attn.weights[" + std::to_string(at) + "]",
                   rows, {heads, text.labels, tr("head (query: the <mask>)"), tr("key")},
                   tr("the <mask> row of each head"), Shade::weights);
    }

    out.heading(tr("4. The heart of §2: both sides against the left side"));
    const course::FillIn f = course::fill_in(*model, *gpt, corpus, s.eval_poems);
    out.say(
        tr("Each character and mark of {1} held-out poems hidden in turn: BERT sees the rest "
           "of the poem around <mask>, lesson 11's GPT only what comes before, the unigram "
           "nothing. Told whether a character or a mark is missing, each ranks the answers "
           "of that kind: right when the truth is its first choice (top-1), or among its "
           "first ten (top-10).",
           f.poems));
    show(out, course::fill_in_table(f));
    out.say(course::fill_in_sentence(f));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
