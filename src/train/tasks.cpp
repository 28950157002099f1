#include "train/tasks.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <set>

namespace tfm {

namespace {

constexpr arma::uword kMaxDigits = 10;  // copy/reverse: 1 … 10 digits

std::vector<std::string> task_characters(const std::string& name) {
    std::vector<std::string> chars;
    for (char c = '0'; c <= '9'; ++c) chars.push_back(std::string(1, c));
    if (name != "dates") return chars;
    for (const char* c : {"-", " ", ",", ".", "/"}) chars.push_back(c);
    for (char c = 'a'; c <= 'z'; ++c) chars.push_back(std::string(1, c));
    for (char c = 'A'; c <= 'Z'; ++c) chars.push_back(std::string(1, c));
    return chars;
}

}  // namespace

std::vector<std::string> task_names() { return {"copy", "reverse", "dates"}; }

Task::Task(const std::string& name) : name_(name) {
    const std::vector<std::string> names = task_names();
    require(std::find(names.begin(), names.end(), name) != names.end(),
            tr("unknown task '{1}' (expected copy, reverse or dates)", name));
    vocab_ = Vocab::from_tokens(task_characters(name));
}

arma::uword Task::max_target_len() const { return name_ == "dates" ? 10 : kMaxDigits; }
arma::uword Task::max_source_len() const { return name_ == "dates" ? 40 : kMaxDigits; }

Example Task::make(const std::string& source, const std::string& target) const {
    Example e;
    e.source = source;
    e.target = target;
    e.src = vocab_.encode(tokenize_chars(source));
    e.tgt = vocab_.encode(tokenize_chars(target));
    return e;
}

Example Task::sample(TaskRng& rng) const {
    if (name_ == "dates") {
        const Date d = random_date(rng);
        const std::size_t format = rng.below(date_formats().size());
        return make(format_date(d, format), iso(d));
    }
    const arma::uword length = 1 + rng.below(kMaxDigits);
    std::string digits;
    for (arma::uword i = 0; i < length; ++i) digits += static_cast<char>('0' + rng.below(10));
    return from_source(digits);
}

Example Task::from_source(const std::string& source) const {
    if (name_ == "copy") return make(source, source);
    if (name_ == "reverse") {
        std::vector<std::string> chars = tokenize_chars(source);
        std::reverse(chars.begin(), chars.end());
        std::string reversed;
        for (const std::string& c : chars) reversed += c;
        return make(source, reversed);
    }
    return make(source, "");
}

std::vector<Example> Task::sample_distinct(TaskRng& rng, std::size_t n) const {
    std::vector<Example> examples;
    std::set<std::string> seen;
    const std::size_t max_draws = 20 * n + 10000;
    for (std::size_t draws = 0; examples.size() < n; ++draws) {
        require(draws < max_draws,
                tr("--eval-size {1}: the {2} task gave only {3} different examples in {4} draws; "
                   "ask for fewer",
                   n, name_, examples.size(), max_draws));
        Example e = sample(rng);
        if (seen.insert(e.source).second) examples.push_back(std::move(e));
    }
    return examples;
}

std::string detokenize(const Vocab& vocab, const TokenIds& ids) {
    std::string text;
    for (arma::uword id : ids) {
        if (id == Vocab::pad || id == Vocab::bos || id == Vocab::eos) continue;
        text += id == Vocab::unk ? std::string("?") : vocab.token(id);
    }
    return text;
}

}  // namespace tfm
