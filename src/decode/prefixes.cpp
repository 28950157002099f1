#include "decode/prefixes.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/sequence_rows.hpp"

#include <string>
#include <utility>

namespace tfm {

Prefixes::Prefixes(Transformer& model, const Encoded& encoded, arma::uword sources,
                   std::vector<arma::uword> source_of, arma::uword bos, bool use_cache,
                   arma::uword capacity)
    : model_(model),
      encoded_(encoded),
      sources_(sources),
      source_of_(std::move(source_of)),
      use_cache_(use_cache),
      tokens_(source_of_.size(), TokenIds{bos}) {
    require(!source_of_.empty(), tr("decoding needs at least one prefix"));
    const SequenceRows rows(encoded.memory.n_rows, sources, N_("memory rows"));
    for (arma::uword s : source_of_)
        require(s < sources, tr("a prefix continues source {1} of {2}", s, sources));
    if (use_cache_) cache_ = model_.start_decoding(encoded_, sources_, source_of_, capacity);
}

arma::mat Prefixes::next_logits() {
    if (use_cache_) {
        require(cache_.length() + 1 == tokens_.front().size(),
                "next_logits: the cache holds " + std::to_string(cache_.length()) +
                    " positions of prefixes of " + std::to_string(tokens_.front().size()) +
                    " tokens (append a token first)");
        TokenIds newest(tokens_.size());
        for (std::size_t b = 0; b < tokens_.size(); ++b) newest[b] = tokens_[b].back();
        return model_.generate(model_.decode_step(newest, cache_));
    }
    // The memory of each prefix's source, stacked in prefix order, and its padding.
    const SequenceRows src_rows(encoded_.memory.n_rows, sources_);
    arma::mat memory(tokens_.size() * src_rows.length, encoded_.memory.n_cols);
    Mask padding;
    if (!encoded_.src_padding.is_empty()) padding.set_size(tokens_.size(), src_rows.length);
    const SequenceRows rows(memory.n_rows, tokens_.size());
    for (std::size_t b = 0; b < tokens_.size(); ++b) {
        memory.rows(rows.of(b)) = encoded_.memory.rows(src_rows.of(source_of_[b]));
        if (!padding.is_empty()) padding.row(b) = encoded_.src_padding.row(source_of_[b]);
    }
    const arma::mat h = model_.decode_batch(tokens_, memory, padding);
    const SequenceRows out_rows(h.n_rows, tokens_.size());
    arma::mat last(tokens_.size(), h.n_cols);
    for (std::size_t b = 0; b < tokens_.size(); ++b) last.row(b) = h.row(out_rows.last(b));
    return model_.generate(last);
}

void Prefixes::append(const TokenIds& tokens) {
    require(tokens.size() == tokens_.size(),
            tr("{1} tokens for {2} prefixes", tokens.size(), tokens_.size()));
    for (std::size_t b = 0; b < tokens.size(); ++b) tokens_[b].push_back(tokens[b]);
}

void Prefixes::reorder(const std::vector<arma::uword>& parents) {
    TokenBatch kept(parents.size());
    std::vector<arma::uword> sources(parents.size());
    for (std::size_t b = 0; b < parents.size(); ++b) {
        kept[b] = tokens_.at(parents[b]);
        sources[b] = source_of_.at(parents[b]);
    }
    tokens_ = std::move(kept);
    source_of_ = std::move(sources);
    if (use_cache_) cache_.reorder(parents);
}

}  // namespace tfm
