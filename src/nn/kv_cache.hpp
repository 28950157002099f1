// The KV cache of one attention module, for incremental decoding (forward only).
//
// Decoding writes one token at a time, and the keys and values of the tokens already
// written never change (the causal mask stops them from seeing anything newer). So each
// step needs only the new token's key and value row, appended to those kept from before:
//   entry b:  K_b, V_b [t × d_model]   (every head: head j owns columns j·d_k … (j+1)·d_k − 1)
// Self-attention appends one row per entry (sequence) and step; cross-attention fills each
// entry once with the memory's projections (one entry per source) and only reads it after.
// The rows live in a block of `capacity` rows that doubles when full, so an append copies
// one row, not the cache.
#pragma once
#include <armadillo>
#include <vector>

namespace tfm {

class KVCache {
public:
    KVCache() = default;
    KVCache(arma::uword entries, arma::uword d_model, arma::uword capacity = 16);

    // Row b of k_rows and v_rows [entries × d_model] goes to the end of entry b.
    void append(const arma::mat& k_rows, const arma::mat& v_rows);
    // Every entry's K and V at once, B blocks of `length` rows stacked: [B·length × d_model]
    // (cross-attention: the projections of the memory of B sources).
    void assign(const arma::mat& k, const arma::mat& v);
    // Beam search: entry b becomes a copy of what entry parents[b] was (as many entries as
    // parents: a beam that shrinks keeps fewer).
    void reorder(const std::vector<arma::uword>& parents);

    // Forgets every row after the first `length` (timing one step again, without a copy).
    void truncate(arma::uword length);

    arma::uword entries() const { return static_cast<arma::uword>(k_.size()); }
    arma::uword length() const { return length_; }  // rows per entry so far (t)
    arma::uword d_model() const { return d_model_; }
    // The first length() rows of entry b: K_b, V_b [t × d_model].
    arma::mat keys(arma::uword b) const;
    arma::mat values(arma::uword b) const;
    // The columns of one head of entry b [t × d_k], the slices attention reads.
    arma::mat keys(arma::uword b, const arma::span& cols) const;
    arma::mat values(arma::uword b, const arma::span& cols) const;

private:
    std::vector<arma::mat> k_, v_;  // [capacity × d_model] each; rows 0 … length_ − 1 used
    arma::uword length_ = 0, d_model_ = 0;
};

}  // namespace tfm
