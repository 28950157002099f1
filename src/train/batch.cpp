#include "train/batch.hpp"

#include "text/tokenizer.hpp"

#include <algorithm>

namespace tfm {

Batch make_batch(const std::vector<Example>& examples) {
    std::size_t src_len = 0, tgt_len = 0;
    for (const Example& e : examples) {
        src_len = std::max(src_len, e.src.size());
        tgt_len = std::max(tgt_len, e.tgt.size() + 1);
    }
    Batch batch;
    for (const Example& e : examples) {
        TokenIds src = e.src;
        src.resize(src_len, Vocab::pad);
        TokenIds tgt_in{Vocab::bos};
        tgt_in.insert(tgt_in.end(), e.tgt.begin(), e.tgt.end());
        TokenIds tgt_out = e.tgt;
        tgt_out.push_back(Vocab::eos);
        tgt_in.resize(tgt_len, Vocab::pad);
        tgt_out.resize(tgt_len, Vocab::pad);
        batch.src_tokens += e.src.size();
        batch.tgt_tokens += e.tgt.size() + 1;
        batch.src.push_back(std::move(src));
        batch.tgt_in.push_back(std::move(tgt_in));
        batch.tgt_out.push_back(std::move(tgt_out));
    }
    return batch;
}

}  // namespace tfm
