// B target prefixes growing one token at a time, and the logits of each one's next token,
// computed with the KV cache or without it — the one loop every decoder here runs.
//
//   Prefixes p(model, encoded, sources, source_of, bos, use_cache);   // every prefix: <bos>
//   loop:  logits = p.next_logits();          [B × V]: row b predicts prefix b's next token
//          p.append(chosen);                   one token per prefix
//          p.reorder(parents);                 beam search: prefix b := prefix parents[b]
//
// Without the cache, next_logits() runs the decoder over every whole prefix again (a
// prefix of n tokens: n rows through every layer, n² attention scores) and reads the last
// row; with it, only the newest token goes through, attending over the cached K and V
// (one row, n scores). The two give the same logits (tests/decode/ checks 1e-12).
#pragma once
#include "model/transformer.hpp"
#include "nn/decoder.hpp"

#include <armadillo>
#include <vector>

namespace tfm {

class Prefixes {
public:
    // `encoded` holds `sources` sources; prefix b continues source source_of[b].
    Prefixes(Transformer& model, const Encoded& encoded, arma::uword sources,
             std::vector<arma::uword> source_of, arma::uword bos, bool use_cache,
             arma::uword capacity = 16);

    arma::mat next_logits();
    void append(const TokenIds& tokens);
    void reorder(const std::vector<arma::uword>& parents);

    const TokenBatch& tokens() const { return tokens_; }  // every prefix, <bos> first
    arma::uword size() const { return static_cast<arma::uword>(tokens_.size()); }
    bool uses_cache() const { return use_cache_; }
    const DecoderCache& cache() const { return cache_; }  // empty without the cache

private:
    Transformer& model_;
    Encoded encoded_;
    arma::uword sources_;
    std::vector<arma::uword> source_of_;
    bool use_cache_;
    TokenBatch tokens_;
    DecoderCache cache_;
};

}  // namespace tfm
