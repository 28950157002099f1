// Lesson 11 — GPT: a stack of decoders that writes Tang poems.
//
// The article's §2: GPT is a stack of decoders. With no encoder there is nothing to
// cross-attend to, so each block is masked self-attention and an FFN; the mask lets
// position t read only positions ≤ t, and the output layer gives "the probability of each
// word at this position" (§3), here of the next character. Trained here on Debian's
// fortunes-zh Tang poems, it continues a first line, measured against counting.
//
//   build/lessons/11_gpt --prompt "春眠不觉晓，"
//   build/lessons/11_gpt --train --save-weights data/tang_gpt.safetensors
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/text_width.hpp"
#include "course/lesson_11.hpp"
#include "io/files.hpp"
#include "io/printer.hpp"
#include "model/config.hpp"

#include <algorithm>
#include <cmath>

namespace {

using namespace tfm;

struct Settings {
    cli::Common common;
    bool train = false;
    LmTrainOptions training = course::lesson_training();
    std::string prompt;
    SamplingOptions sampling;
    arma::uword poems = 20;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("11_gpt",
                         tr("Lesson 11: GPT, a stack of decoders that writes Tang poems"));
    const cli::Common defaults;
    cli::add_common(options, cli::weights, defaults);
    auto add = options.add_options(tr("Lesson 11"));
    add("prompt", tr("the poem's beginning"),
        cli::value<std::string>()->default_value("床前明月光，"), "TEXT");
    add("train", tr("train the model here (under 5 minutes), then use it"));
    add("steps", tr("training steps"),
        cli::value<long>()
            ->default_value(std::to_string(course::lesson_training().steps))
            ->range(1, 5000),
        "N");
    add("temperature", tr("sampling: T ≥ 0 (0: greedy)"),
        cli::value<double>()->default_value("0.8"), "T");
    add("top-k", tr("sampling: keep the K most likely characters (0: all)"),
        cli::value<long>()->default_value("0")->range(0, 100000), "K");
    add("top-p", tr("sampling: keep the smallest set of mass ≥ P, in (0, 1]"),
        cli::value<double>()->default_value("0.9"), "P");
    add("poems", tr("poems written for the line-form table"),
        cli::value<long>()->default_value("20")->range(1, 100), "N");
    options.examples({"build/lessons/11_gpt --prompt \"春眠不觉晓，\" --temperature 0.5",
                      "build/lessons/11_gpt --train --save-weights my_gpt.safetensors"},
                     "docs/11-gpt.md");
    const cli::ParseResult r = cli::parse(options, argc, argv);
    Settings s;
    s.common = cli::read_common(r, cli::weights, defaults);
    s.train = r.count("train") > 0;
    s.training.steps = cli::size_of(r, "steps");
    s.training.seed = s.common.seed;
    s.prompt = r["prompt"].as<std::string>();
    s.sampling.temperature = r["temperature"].as<double>();
    s.sampling.top_k = cli::size_of(r, "top-k");
    s.sampling.top_p = r["top-p"].as<double>();
    s.poems = cli::size_of(r, "poems");
    require(!s.prompt.empty(), tr("--prompt is empty: give the poem's first characters"));
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
    std::vector<std::string> prompt_chars = tokenize_chars(s.prompt);
    TokenIds prompt{Vocab::bos};
    for (const std::string& c : prompt_chars) prompt.push_back(corpus.vocab.id(c));
    const ModelConfig config = gpt_lesson_config(corpus.vocab.size());
    require(prompt.size() < config.max_positions,
            tr("--prompt has {1} characters; the model reads {2} after <bos>", prompt_chars.size(),
               config.max_positions - 1));
    s.sampling.validate(corpus.vocab.size());
    // Every file is read before anything is printed: bad input leaves stdout empty.
    std::unique_ptr<Gpt> model;
    const std::string weights = !s.common.weights.empty()
                                    ? s.common.weights
                                    : (s.train ? "" : data_path("tang_gpt.safetensors"));
    if (!weights.empty()) model = course::load_gpt(weights, corpus.vocab);

    out.heading(tr("1. The poems, and the model: a stack of decoders"));
    out.say(
        tr("{1} Tang poems ({2}): every tenth is held out ({3}), {4} train. The vocabulary: "
           "the {5} characters seen at least twice in training, and 5 reserved tokens; any "
           "other character reads as <unk>.",
           corpus.poems.size(), poems_path(), corpus.split.held_out.size(),
           corpus.split.train.size(), corpus.vocab.size() - 5));
    out.say(
        tr("Article §2: GPT is a stack of decoders. With no encoder there is no memory, so "
           "a block is masked self-attention and an FFN (pre-LN, as GPT-2); then a final "
           "LayerNorm, and the output layer is the token table E itself: logits = h · Eᵀ. "
           "The same axes as GPT-2 and GPT-3:"));
    show(out, course::family_table(config, tr("this lesson's GPT"),
                                   {"gpt2-small", "gpt2-xl", "gpt3-xl"}));

    if (!model) {
        model = std::make_unique<Gpt>(config);
        draw_params(model->params(), s.common.seed);
        out.heading(tr("Training: predict every next character"));
        std::fflush(stdout);
        const LmTrainReport r = train_lm(*model, corpus.train, corpus.held_out, s.training, stderr);
        out.say(
            tr("Trained {1} steps of {2} windows of {3} characters in {4} s: held-out {5} → "
               "{6} bits per character.",
               s.training.steps, s.training.batch, config.max_positions + 1,
               printf_number(r.seconds, "%.0f"), printf_number(r.initial_bits, "%.2f"),
               printf_number(r.final_bits, "%.3f")));
        if (!s.common.save_weights.empty()) {
            course::save_gpt(s.common.save_weights, *model, corpus.vocab, s.training);
            out.say(tr("Wrote {1}.", s.common.save_weights));
        }
    }

    out.heading(tr("2. The loss against counting"));
    const double gpt_bits = lm_bits(*model, corpus.held_out);
    show(out, course::loss_table(gpt_bits, corpus));
    out.say(
        tr("Bits per held-out character, −log2 p of each next one: lower is better, and "
           "log2({1}) = {2} is a uniform guess. {3}",
           corpus.vocab.size(),
           printf_number(std::log2(static_cast<double>(corpus.vocab.size())), "%.2f"),
           course::loss_sentence(gpt_bits, corpus)));

    out.heading(tr("3. The prompt through the model: the causal mask at work"));
    out.say(course::source_sentence(corpus, course::find_prompt(corpus, s.prompt)));
    const arma::mat logits = model->forward(prompt);
    // For NumPy and PyTorch (--dump-dir): the ids read and every position's logits.
    out.dump("prompt.ids", arma::conv_to<arma::mat>::from(arma::Row<arma::uword>(prompt)));
    out.dump("logits", logits);
    std::vector<std::string> labels{"<bos>"};
    for (std::size_t i = 0; i < prompt_chars.size(); ++i)
        labels.push_back(prompt[i + 1] == Vocab::unk ? "<unk>" : prompt_chars[i]);
    out.tensor("decoder.layers.0.self_attn.head0.weights",
               model->decoder.layers.front().self_attn.heads_.front().weights, {labels, labels},
               tr("row t reads only keys ≤ t: 0 above the diagonal"), Shade::weights);

    out.heading(tr("4. The next character: the probability of each at this position"));
    const arma::rowvec next = temperature_softmax(logits.tail_rows(1), 1.0);
    const std::vector<arma::uword> ranked = rank_tokens(next);
    double top5 = 0;
    for (std::size_t r = 0; r < 5 && r < ranked.size(); ++r) top5 += next(ranked[r]);
    out.say(
        tr("The last row of the logits [1 × {1}], through softmax: the probability of each "
           "character coming next after \"{2}\". The five most likely hold {3} of it.",
           next.n_elem, s.prompt, printf_number(100.0 * top5, "%.1f%%")));
    show(out, course::next_char_table(corpus.vocab, next, 5));

    out.heading(tr("5. Writing, and what counting pairs cannot do"));
    const course::Writings w =
        course::write_poems(*model, corpus, prompt, s.sampling, s.poems, s.common.seed);
    out.say(
        tr("Three of the GPT's {1} poems (temperature {2}, top-p {3}, through the KV cache), "
           "then the bigram's:",
           s.poems, printf_number(s.sampling.temperature, "%g"),
           printf_number(s.sampling.top_p, "%g")));
    // The poems are generated text, printed as they are, a couplet to a line, after the
    // label of who wrote them (the labels padded to one width). A couplet wider than the
    // screen (a model's text need not close a line with 。) is wrapped like narration.
    const std::string bigram = tr("bigram");
    const std::size_t indent = 2 + std::max(display_width("GPT"), display_width(bigram)) + 2;
    const std::size_t room = static_cast<std::size_t>(out.options().width) - indent;
    const auto print_poem = [&](const std::string& label, const std::string& poem) {
        std::vector<std::string> lines;
        std::string lead = "  " + label + std::string(indent - 2 - display_width(label), ' ');
        for (const std::string& couplet : couplets(poem))
            for (const std::string& piece : wrap_words(couplet, room)) {
                lines.push_back(lead + piece);
                lead = std::string(indent, ' ');
            }
        out.block(lines);
    };
    for (std::size_t i = 0; i < 3 && i < w.gpt.size(); ++i) print_poem("GPT", w.gpt[i]);
    print_poem(bigram, w.bigram.front());
    show(out, course::line_form_table(w, corpus));
    out.say(
        tr("A bigram knows which character follows which, not where it stands in the line; "
           "the 5- and 7-character lines, closed by ，and 。, are what attention over the "
           "whole line so far buys."));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
