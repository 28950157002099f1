// Where a token is: the five position schemes of lesson 13, side by side.
//   none        X = E[ids]·√d_model                  self-attention alone cannot tell order
//   sinusoidal  X = E[ids]·√d_model + PE[0 … n)      fixed (nn/positional_encoding.hpp)
//   learned     X = E[ids]·√d_model + P[0 … n)       P [max_positions × d_model] learned,
//                                                    an Embedding looked up by position,
//                                                    drawn N(0, 1) like E[ids]·√d_model
//   rope        X = E[ids]·√d_model; attention rotates Q and K by position (ops/rope.hpp)
//   alibi       X = E[ids]·√d_model; attention adds −m_j·|i − t| to the scores (ops/alibi.hpp)
// InputPositions is what is added to the input (sinusoidal, learned); attention_positions
// what each attention layer does (rope, alibi). A batch of B sequences of one length n is
// [B·n × d_model]; each sequence starts at position 0.
#pragma once
#include "core/params.hpp"
#include "nn/embedding.hpp"
#include "nn/multi_head_attention.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

enum class PositionKind { none, sinusoidal, learned, rope, alibi };
PositionKind position_kind(const std::string& name);  // InputError on an unknown name
std::string to_string(PositionKind kind);
const std::vector<PositionKind>& position_kinds();  // in the order above
std::string position_kind_names();                  // "none|sinusoidal|learned|rope|alibi"

AttentionPositions attention_positions(PositionKind kind,
                                       RopeLayout layout = RopeLayout::interleaved);

// Moves a RoPE attention layer to the other layout without changing what it computes:
// the rows of wq and wk (weights and biases) of every head are permuted by
// rope_layout_permutation, and positions.rope_layout becomes `to` (nothing if it is).
void convert_rope_layout(MultiHeadAttention& attention, RopeLayout to);

class InputPositions {
public:
    // max_positions: the rows of P (learned); the other kinds take any length.
    InputPositions(PositionKind kind, arma::uword max_positions, arma::uword d_model);

    arma::mat forward(const arma::mat& embeddings, arma::uword sequences = 1);
    arma::mat backward(const arma::mat& dx);  // d(embeddings) = dx·√d_model; adds into P's grad

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // learned: prefix + "weight"
    static void shapes(const std::string& prefix, PositionKind kind, arma::uword max_positions,
                       arma::uword d_model, ShapeList& out);

    PositionKind kind;
    arma::uword max_positions;
    Embedding table;  // P, learned only (0 rows otherwise)
};

}  // namespace tfm
