#include "text/poems.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace tfm {
namespace {

// The line without its ANSI colour codes (ESC [ … m) and without a trailing \r.
std::string without_colour(const std::string& line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\033' && i + 1 < line.size() && line[i + 1] == '[') {
            std::size_t end = line.find('m', i + 2);
            if (end == std::string::npos) break;
            i = end;
            continue;
        }
        out += line[i];
    }
    while (!out.empty() && (out.back() == '\r' || out.back() == ' ')) out.pop_back();
    return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const char* const kLineEnds[] = {"，", "。", "？", "！", "；"};
const char* const kSentenceEnds[] = {"。", "？", "！"};

// text cut after each of `ends`, spaces and line breaks dropped, the last piece kept.
template <std::size_t N>
std::vector<std::string> cut_after(const std::string& text, const char* const (&ends)[N]) {
    std::vector<std::string> pieces;
    std::string piece;
    for (const std::string& c : tokenize_chars(text)) {
        if (c == "\n" || c == " ") continue;
        piece += c;
        for (const char* end : ends)
            if (c == end) {
                pieces.push_back(piece);
                piece.clear();
                break;
            }
    }
    if (!piece.empty()) pieces.push_back(piece);
    return pieces;
}

}  // namespace

std::string Poem::text() const {
    std::string t;
    for (const std::string& line : lines) t += line;
    return t;
}

std::vector<std::string> verse_lines(const std::string& text) { return cut_after(text, kLineEnds); }

std::vector<std::string> couplets(const std::string& text) {
    return cut_after(text, kSentenceEnds);
}

std::vector<Poem> parse_poems(const std::string& text, const std::string& name) {
    std::vector<Poem> poems;
    std::istringstream in(text);
    Poem poem;
    std::size_t line_no = 0, poem_start = 1;
    int part = 0;  // 0: expecting the title, 1: the author, 2: verse
    auto finish = [&] {
        if (part == 0) return;  // nothing since the last %
        require(part == 2 && !poem.lines.empty(),
                part == 1
                    ? tr("{1}: line {2}: a poem without an author line (作者：…)", name, poem_start)
                    : tr("{1}: line {2}: a poem without any verse", name, poem_start));
        poems.push_back(poem);
        poem = Poem();
        part = 0;
    };
    for (std::string raw; std::getline(in, raw);) {
        ++line_no;
        const std::string line = without_colour(raw);
        if (line == "%") {
            finish();
            poem_start = line_no + 1;
            continue;
        }
        if (line.empty()) continue;
        if (part == 0) {
            require(starts_with(line, "《") && ends_with(line, "》"),
                    tr("{1}: line {2}: expected a title 《…》, got '{3}'", name, line_no, line));
            poem.title = line.substr(3, line.size() - 6);
            part = 1;
        } else if (part == 1) {
            require(
                starts_with(line, "作者："),
                tr("{1}: line {2}: expected the author (作者：…), got '{3}'", name, line_no, line));
            poem.author = line.substr(std::string("作者：").size());
            part = 2;
        } else {
            for (const std::string& l : verse_lines(line)) poem.lines.push_back(l);
        }
    }
    finish();
    require(!poems.empty(), tr("{1}: no poems in the file", name));
    return poems;
}

std::vector<Poem> read_poems(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    require(static_cast<bool>(in),
            tr("{1}: cannot open the poems (Debian's fortunes-zh package has them; make "
               "installs it)",
               path));
    std::stringstream s;
    s << in.rdbuf();
    return parse_poems(s.str(), path);
}

std::string poems_path() {
    const char* env = std::getenv("TFM_POEMS");
    return env != nullptr && env[0] != '\0' ? env : "/usr/share/games/fortunes/tang300";
}

PoemSplit split_poems(const std::vector<Poem>& poems) {
    PoemSplit split;
    for (std::size_t i = 0; i < poems.size(); ++i)
        (i % 10 == 9 ? split.held_out : split.train).push_back(poems[i]);
    return split;
}

Vocab poem_vocab(const std::vector<Poem>& train, unsigned min_count) {
    std::map<std::string, unsigned> count;
    std::vector<std::string> order;
    for (const Poem& p : train)
        for (const std::string& c : tokenize_chars(p.text()))
            if (count[c]++ == 0) order.push_back(c);
    std::vector<std::string> tokens{mask_token};
    for (const std::string& c : order)
        if (count[c] >= min_count) tokens.push_back(c);
    return Vocab::from_tokens(tokens);
}

std::vector<arma::uword> encode_poem(const Vocab& vocab, const Poem& poem) {
    std::vector<arma::uword> ids{Vocab::bos};
    for (const std::string& c : tokenize_chars(poem.text())) ids.push_back(vocab.id(c));
    ids.push_back(Vocab::eos);
    return ids;
}

CharNgrams::CharNgrams(const Vocab& vocab, const std::vector<std::vector<arma::uword>>& train)
    : vocab_size_(vocab.size()),
      unigram_counts_(vocab.size(), arma::fill::zeros),
      bigram_counts_(vocab.size()),
      successor_totals_(vocab.size(), arma::fill::zeros),
      successor_types_(vocab.size(), arma::fill::zeros) {
    for (const auto& seq : train)
        for (std::size_t t = 1; t < seq.size(); ++t) {
            unigram_counts_(seq[t]) += 1;
            total_ += 1;
            double& n = bigram_counts_[seq[t - 1]][seq[t]];
            if (n == 0) successor_types_(seq[t - 1]) += 1;
            n += 1;
            successor_totals_(seq[t - 1]) += 1;
        }
}

double CharNgrams::unigram(arma::uword c) const {
    return (unigram_counts_(c) + 1.0) / (total_ + static_cast<double>(vocab_size_));
}

double CharNgrams::bigram(arma::uword previous, arma::uword c) const {
    const double n = successor_totals_(previous);
    if (n == 0) return unigram(c);
    const double lambda = n / (n + successor_types_(previous));
    const auto it = bigram_counts_[previous].find(c);
    const double seen = it == bigram_counts_[previous].end() ? 0.0 : it->second;
    return lambda * seen / n + (1 - lambda) * unigram(c);
}

arma::rowvec CharNgrams::unigram_row() const {
    arma::rowvec p(vocab_size_);
    for (arma::uword c = 0; c < vocab_size_; ++c) p(c) = unigram(c);
    return p;
}

arma::rowvec CharNgrams::bigram_row(arma::uword previous) const {
    arma::rowvec p(vocab_size_);
    for (arma::uword c = 0; c < vocab_size_; ++c) p(c) = bigram(previous, c);
    return p;
}

double CharNgrams::unigram_bits(const std::vector<std::vector<arma::uword>>& sequences) const {
    double bits = 0, n = 0;
    for (const auto& seq : sequences)
        for (std::size_t t = 1; t < seq.size(); ++t, ++n) bits -= std::log2(unigram(seq[t]));
    return n > 0 ? bits / n : 0.0;
}

double CharNgrams::bigram_bits(const std::vector<std::vector<arma::uword>>& sequences) const {
    double bits = 0, n = 0;
    for (const auto& seq : sequences)
        for (std::size_t t = 1; t < seq.size(); ++t, ++n)
            bits -= std::log2(bigram(seq[t - 1], seq[t]));
    return n > 0 ? bits / n : 0.0;
}

LineForms line_forms(const std::vector<std::string>& poem_texts) {
    LineForms f;
    double five_or_seven = 0, punctuated = 0, four_or_eight = 0;
    for (const std::string& text : poem_texts) {
        const std::vector<std::string> lines = verse_lines(text);
        ++f.poems;
        if (lines.size() == 4 || lines.size() == 8) four_or_eight += 1;
        for (const std::string& line : lines) {
            ++f.lines;
            const std::vector<std::string> chars = tokenize_chars(line);
            const bool closed = ends_with(line, "，") || ends_with(line, "。");
            bool any_end = false;
            for (const char* end : kLineEnds) any_end = any_end || ends_with(line, end);
            const std::size_t body = chars.size() - (any_end ? 1 : 0);
            if (body == 5 || body == 7) five_or_seven += 1;
            if (closed) punctuated += 1;
        }
    }
    if (f.lines > 0) {
        f.five_or_seven = five_or_seven / static_cast<double>(f.lines);
        f.punctuated = punctuated / static_cast<double>(f.lines);
    }
    if (f.poems > 0) f.four_or_eight = four_or_eight / static_cast<double>(f.poems);
    return f;
}

}  // namespace tfm
