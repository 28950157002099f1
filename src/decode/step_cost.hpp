// What producing one new token costs, in multiply-adds of the matrix products
// (analysis/cost.hpp's convention: an [r × m] · [m × c] product is r·m·c), for an
// encoder–decoder whose target prefix has n tokens and whose source has m tokens.
// Per decoder layer (d = d_model, d_ff, L layers, V the target vocabulary):
//
//   with the cache (one row goes through):
//     self-attention   q, k, v, o of one row 4·d²    scores + mixing over n keys 2·n·d
//     cross-attention  q, o of one row 2·d²          scores + mixing over m keys 2·m·d
//     FFN              2·d·d_ff
//   without it (the whole prefix again, n rows):
//     self-attention   4·n·d² + 2·n²·d       (every row's scores over the n keys)
//     cross-attention  2·n·d² + 2·n·m·d + 2·m·d²   (K, V of the memory recomputed)
//     FFN              2·n·d·d_ff
//   then the generator, for the last row only in both:  d·V.
//
// The cache's one-off cost, K and V of the memory for every layer (2·m·d² each), is
// paid once per source, before the first token: cross_kv_multiply_adds.
// So with the cache a token costs a + b·n (linear in n); without it a' + b'·n + c·n².
#pragma once
#include "model/config.hpp"

#include <armadillo>
#include <cstdint>

namespace tfm {

std::uint64_t step_multiply_adds(const ModelConfig& config, arma::uword n, arma::uword m,
                                 bool cached);
std::uint64_t cross_kv_multiply_adds(const ModelConfig& config, arma::uword m);

}  // namespace tfm
