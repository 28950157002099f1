// The tasks the project generates to train its models (no downloads), all character
// level (tokenize_chars: one token per UTF-8 character, spaces included):
//   copy     a random string of 1–10 digits  → the same string      "3141" → "3141"
//   reverse  a random string of 1–10 digits  → the string reversed  "3141" → "1413"
//   dates    a date in one of date_formats() → ISO "yyyy-mm-dd"     "25 Nov 2026" → "2026-11-25"
// Source and target share one vocabulary (the specials, then every character the
// task can write), so one vocabulary file describes a trained model.
#pragma once
#include "nn/embedding.hpp"
#include "text/tokenizer.hpp"
#include "train/dates.hpp"

#include <string>
#include <vector>

namespace tfm {

// One training or evaluation pair, as text and as ids (no <bos>/<eos>; batching adds them).
struct Example {
    std::string source, target;
    TokenIds src, tgt;
};

class Task {
public:
    explicit Task(const std::string& name);  // "copy" | "reverse" | "dates", else InputError

    const std::string& name() const { return name_; }
    const Vocab& vocab() const { return vocab_; }
    // The longest target the task writes, in tokens (without <eos>).
    arma::uword max_target_len() const;
    // The longest source it draws, in tokens (dates: "Wednesday 30th of September 2026"
    // is 32 characters; the bound leaves room). Training's memory estimate uses it.
    arma::uword max_source_len() const;

    Example sample(TaskRng& rng) const;
    // An example for the learner's own source text; target left empty for dates and
    // computed for copy/reverse. Characters outside the vocabulary become <unk>.
    Example from_source(const std::string& source) const;

    // n examples drawn from rng, all different (as source strings). InputError, naming
    // --eval-size, when 20·n + 10000 draws do not find n different ones (more than the
    // task has), instead of drawing for ever.
    std::vector<Example> sample_distinct(TaskRng& rng, std::size_t n) const;

private:
    Example make(const std::string& source, const std::string& target) const;

    std::string name_;
    Vocab vocab_;
};

// The task names, for --help and error messages.
std::vector<std::string> task_names();

// Ids → text (specials dropped, <unk> shown as "?"), for printing decoded outputs.
std::string detokenize(const Vocab& vocab, const TokenIds& ids);

}  // namespace tfm
