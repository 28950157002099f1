// The exercises: functions with the same inputs and outputs as the course's own
// (src/), whose bodies you write in lessons/exercises/NN_*.cpp. Until you do, each one
// throws ex::NotImplemented. Check your work with
//
//     make exercises        # "k/n exercises solved", and what is wrong with the rest
//
// Hints, one per exercise: docs/exercises.md. Shapes: n tokens (rows), d_model
// features (columns); a sequence is a matrix with one row per token.
// You may call anything in src/ that the exercise is not about (e.g. tfm::softmax_rows
// inside your attention), and anything in Armadillo.
#pragma once
#include "decode/search.hpp"
#include "model/gpt.hpp"
#include "model/transformer.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder_layer.hpp"
#include "nn/linear.hpp"
#include "nn/multi_head_attention.hpp"
#include "ops/activation.hpp"
#include "ops/mask.hpp"
#include "rnn/vanilla_rnn.hpp"
#include "train/adam.hpp"
#include "train/mlm.hpp"

#include <armadillo>
#include <stdexcept>
#include <string>
#include <vector>

namespace ex {

// What an exercise throws until you write it.
struct NotImplemented : std::logic_error {
    using std::logic_error::logic_error;
};

// ── 01 embedding ─────────────────────────────────────────────────────────────
// Rows ids[0], ids[1], … of the table E [vocab × d_model], stacked: [n × d_model].
// An id ≥ vocab is an error (throw; tfm::require throws tfm::InputError).
arma::mat embedding_lookup(const arma::mat& table, const tfm::TokenIds& ids);
// PE [seq_len × d_model]: PE[pos, 2i] = sin(pos / 10000^(2i/d_model)),
//                         PE[pos, 2i+1] = cos(pos / 10000^(2i/d_model)).
arma::mat positional_encoding(arma::uword seq_len, arma::uword d_model);
// The first layer's input: embeddings · √d_model + PE.   [n × d_model] → [n × d_model]
arma::mat add_positions(const arma::mat& embeddings);

// ── 02 qkv ───────────────────────────────────────────────────────────────────
// y = x · weightᵀ + bias   x [n × in], weight [out × in] (PyTorch's layout),
// bias [1 × out] (added to every row), y [n × out].
arma::mat linear(const arma::mat& x, const arma::mat& weight, const arma::mat& bias);
struct Projections {
    arma::mat q, k, v;  // each [n × d_model]
};
// Q = x·Wqᵀ + bq, K = x·Wkᵀ + bk, V = x·Wvᵀ + bv, from the three layers' weight and bias.
Projections qkv_projections(const arma::mat& x, const tfm::Linear& wq, const tfm::Linear& wk,
                            const tfm::Linear& wv);

// ── 03 attention ─────────────────────────────────────────────────────────────
// Row-wise softmax of scores [n_q × n_k], numerically stable (subtract each row's
// maximum), with mask (1 = blocked; empty = nothing blocked): blocked weights are
// exactly 0, the rest of the row sums to 1; a row with every position blocked is all 0.
arma::mat softmax_rows(const arma::mat& scores, const tfm::Mask& mask);
// softmax_rows(Q·Kᵀ / √d_k, mask) · V.   q [n_q × d_k], k [n_k × d_k], v [n_k × d_v],
// mask [n_q × n_k] or empty; returns the output [n_q × d_v].
arma::mat scaled_dot_product_attention(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                       const tfm::Mask& mask);
// [n × n], 1 where query i must not see key j because j comes after i.
tfm::Mask causal_mask(arma::uword n);
// [n_q × key_is_pad.size()], 1 in every column j whose key is padding.
tfm::Mask padding_mask(arma::uword n_q, const std::vector<bool>& key_is_pad);
// Backprop: dL/dscores from the softmax's output weights [n_q × n_k] and dL/dweights,
// row by row: dscores[i, j] = w[i, j] · (dw[i, j] − Σ_k w[i, k] · dw[i, k]).
arma::mat softmax_rows_backward(const arma::mat& weights, const arma::mat& dweights);

// ── 04 multi_head ────────────────────────────────────────────────────────────
// x [n × d_model] → num_heads blocks [n × d_k], d_k = d_model / num_heads; head j is
// columns j·d_k … (j+1)·d_k − 1 (PyTorch's split). Throw if num_heads does not divide d_model.
std::vector<arma::mat> split_heads(const arma::mat& x, arma::uword num_heads);
// The inverse: [heads_0 | heads_1 | …] side by side, [n × h·d_k].
arma::mat merge_heads(const std::vector<arma::mat>& heads);
// The whole module with mha's weights (mha.wq.weight, mha.wq.bias, … mha.wo.bias):
// project, split, attend per head (scale by √d_k of a head), merge, project with wo.
// query_in [n_q × d_model], kv_in [n_k × d_model], mask [n_q × n_k] or empty.
arma::mat multi_head_attention(const tfm::MultiHeadAttention& mha, const arma::mat& query_in,
                               const arma::mat& kv_in, const tfm::Mask& mask);

// ── 05 ffn ───────────────────────────────────────────────────────────────────
// Per row: μ = mean, σ² = mean((x − μ)²) (divide by d_model), x̂ = (x − μ)/√(σ² + eps),
// y = x̂ ⊙ weight + bias.   x [n × d_model], weight and bias [1 × d_model].
arma::mat layer_norm(const arma::mat& x, const arma::mat& weight, const arma::mat& bias,
                     double eps);
// FFN(x) = act(x·W1ᵀ + b1)·W2ᵀ + b2   x [n × d_model], w1 [d_ff × d_model], b1 [1 × d_ff],
// w2 [d_model × d_ff], b2 [1 × d_model]; act = ReLU or GELU (exact: x·Φ(x)).
arma::mat feed_forward(const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                       const arma::mat& w2, const arma::mat& b2, tfm::Activation activation);
// Backprop through y = layer_norm(x, weight, bias, eps), given dy = dL/dy [n × d_model]:
struct LayerNormGrads {
    arma::mat dx;       // dL/dx       [n × d_model]
    arma::mat dweight;  // dL/dweight  [1 × d_model]
    arma::mat dbias;    // dL/dbias    [1 × d_model]
};
LayerNormGrads layer_norm_backward(const arma::mat& x, const arma::mat& weight, double eps,
                                   const arma::mat& dy);

// ── 06 encoder ───────────────────────────────────────────────────────────────
// One encoder layer assembled from its pieces (layer.self_attn, layer.norm1, layer.ffn,
// layer.norm2 — call their forward(); not layer.forward, which is the answer):
//   post-LN (layer.norm_first false): a = norm1(x + self_attn(x, x, mask)); y = norm2(a + ffn(a))
//   pre-LN  (layer.norm_first true):  a = x + self_attn(n, n, mask) with n = norm1(x);
//                                     y = a + ffn(norm2(a))
// x [n × d_model] → y [n × d_model].
arma::mat encoder_layer(tfm::EncoderLayer& layer, const arma::mat& x, const tfm::Mask& mask);

// ── 07 decoder ───────────────────────────────────────────────────────────────
// One decoder layer from its pieces (self_attn, norm1, cross_attn, norm2, ffn, norm3):
//   post-LN: a = norm1(y + self_attn(y, y, tgt_mask))
//            b = norm2(a + cross_attn(a, memory, memory_mask))   queries from the decoder,
//            out = norm3(b + ffn(b))                             keys and values from memory
//   pre-LN:  a = y + self_attn(n1, n1, tgt_mask) with n1 = norm1(y)
//            b = a + cross_attn(norm2(a), memory, memory_mask);  out = b + ffn(norm3(b))
// y [n_tgt × d_model], memory [n_src × d_model] (the encoder's output), tgt_mask
// [n_tgt × n_tgt] (causal), memory_mask [n_tgt × n_src] or empty.
arma::mat decoder_layer(tfm::DecoderLayer& layer, const arma::mat& y, const arma::mat& memory,
                        const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask);

// ── 08 rnn_vs_attention ──────────────────────────────────────────────────────
// a · rho / ρ(a), where ρ(a) = max |λ_i(a)| over the eigenvalues of the square matrix a
// (complex in general). Throw if rho ≤ 0 or ρ(a) = 0.
arma::mat rescale_to_spectral_radius(const arma::mat& a, double rho);
// One step of backpropagation through time for h_t = act(h_prev·w_hhᵀ + x_t·w_xhᵀ + b)
// (rows, as in src/rnn/vanilla_rnn.hpp): given what the forward saw, its output h_t and
// dh = dL/dh_t, return dL/dh_prev, dL/dx_t and this step's dw_hh, dw_xh, dbias.
// act = tanh (tanh′ = 1 − h_t²) or linear (act′ = 1).
tfm::RnnStepGrads rnn_step_backward(const arma::mat& w_hh, const arma::mat& w_xh,
                                    tfm::RnnActivation act, const arma::rowvec& h_prev,
                                    const arma::rowvec& x_t, const arma::rowvec& h_t,
                                    const arma::rowvec& dh);

// ── 09 full_model ────────────────────────────────────────────────────────────
// Greedy decoding with model.encode, model.decode and model.generator (not
// tfm::greedy_decode, which is the answer): encode src once; start the target with bos;
// at each step decode the target so far, take the generator's logits at the LAST
// position, softmax them, pick the most probable token, record {token, probability}; stop
// after recording eos, or after max_len tokens. Returns the steps (bos not included).
std::vector<tfm::DecodeStep> greedy_decode(tfm::Transformer& model, const tfm::TokenIds& src,
                                           arma::uword bos, arma::uword eos, arma::uword max_len);
// Training: one Adam step on one parameter θ with gradient g, at step t (1 for the first),
// with options.beta1, options.beta2, options.eps (src/train/adam.hpp):
//   m = β1·m + (1 − β1)·g          v = β2·v + (1 − β2)·g²   (element-wise)
//   m̂ = m / (1 − β1ᵗ)              v̂ = v / (1 − β2ᵗ)
//   θ = θ − lr · m̂ / (√v̂ + ε)
// Updates theta, m and v in place (all the shape of grad).
void adam_step(arma::mat& theta, const arma::mat& grad, arma::mat& m, arma::mat& v,
               unsigned long long t, double lr, const tfm::AdamOptions& options);

// ── 10 decoding ──────────────────────────────────────────────────────────────
// The distribution a sampler draws the next token from, [1 × V] (src/decode/sampling.hpp):
//   p = softmax(logits / T)          T = 0: all the mass on the arg-max (the lower id on ties)
//   top-k: keep the k most likely (k = 0: all), zero the rest, renormalise
//   top-p: of what top-k kept, keep the smallest set of the most likely whose mass is ≥ p
//          (p = 1: all), renormalise
// Equal probabilities rank by the lower token id. Not tfm::sampling_distribution (the answer).
arma::rowvec sampling_distribution(const arma::rowvec& logits, double temperature,
                                   arma::uword top_k, double top_p);
// One step of beam search (src/decode/search.hpp): every beam b (log-probability so far
// beam_log_probs[b]) extended by every token v (log_probs(b, v), [beams × V]) scores
// total = beam_log_probs[b] + log_probs(b, v); return the `width` best {beam, token,
// total}, best first; equal totals: the lower beam, then the lower token.
// Not tfm::beam_step (the answer).
std::vector<tfm::BeamCandidate> beam_step(const std::vector<double>& beam_log_probs,
                                          const arma::mat& log_probs, arma::uword width);
// One decoding step of a decoder layer's two attentions with the KV cache. Both modules
// have ONE head (d_k = d_model = d); a module computes softmax(Q·Kᵀ/√d)·V·woᵀ + bo, with
// Q = query·wqᵀ + bq, K = keys_from·wkᵀ + bk, V = keys_from·wvᵀ + bv (Linear::weight, bias).
//   x_new [1 × d]: the newest position; k_cache, v_cache [t × d]: positions 0 … t−1.
//   self-attention:  append x_new's K and V rows to the caches (row t), then
//                    s = self_attn over all t + 1 cached rows, query x_new       [1 × d]
//   cross-attention: K and V from memory [m × d] (the encoder's output), query s → c [1 × d]
// Returns c; k_cache and v_cache come back with t + 1 rows.
// Not MultiHeadAttention::forward_step / attend (the answer).
arma::mat kv_cache_step(const arma::mat& x_new, const arma::mat& memory, arma::mat& k_cache,
                        arma::mat& v_cache, const tfm::MultiHeadAttention& self_attn,
                        const tfm::MultiHeadAttention& cross_attn);

// ── 11 GPT ───────────────────────────────────────────────────────────────────
// The causal language-model loss of one window (src/train/lm.hpp). window holds n + 1
// ids; logits [n × V] are the model's outputs for the input window[0 … n). Position t
// predicts the NEXT id, window[t + 1]:
//   loss = mean, over the t whose target window[t + 1] is not <pad> (tfm::Vocab::pad),
//          of −ln softmax(logits.row(t))[window[t + 1]]          (0 when none counts)
// Not tfm::lm_loss or tfm::cross_entropy (the answer).
double causal_lm_loss(const arma::mat& logits, const tfm::TokenIds& window);
// One step of writing (src/decode/generate.hpp), with temperature only: run
// model.forward(ids) ([n × V]), take the logits of the LAST position, p = softmax(logits /
// T) (T = 0: all the mass on the arg-max, the lower id on ties), and return the first id
// (in id order) whose running sum of p exceeds u, for u in [0, 1).
// Not tfm::generate, tfm::sampling_distribution or tfm::draw_token (the answer).
arma::uword generation_step(tfm::Gpt& model, const tfm::TokenIds& ids, double temperature,
                            double u);

// ── 12 BERT ──────────────────────────────────────────────────────────────────
// BERT's masking recipe (src/train/mlm.hpp), on given uniform draws u [n × 4], one row
// per position of ids (n = ids.size()), vocabulary size V:
//   a position is chosen when it holds a character — not <pad>, <bos>, <eos> or <mask>
//   (tfm::Vocab::pad, bos, eos; tfm::mask_id) — and u(t,0) < 0.15;
//   a chosen position's input becomes <mask> when u(t,1) < 0.8, else the random character
//   5 + ⌊u(t,3) · (V − 5)⌋ when u(t,2) < 0.5, else it stays itself;
//   its target is the original id; every other position keeps its input and has target
//   <pad>, so that the loss counts the chosen positions only.
// Not tfm::mask_tokens (the answer).
tfm::MaskedExample mlm_masking(const tfm::TokenIds& ids, const arma::mat& u, arma::uword V);

// ── 13 positions ─────────────────────────────────────────────────────────────
// One head of attention with RoPE (src/ops/rope.hpp): row r of q [n × d_k] and of
// k [n × d_k] is at position r. Rotate pair i of every row of q and of k by the angle
// r·θ_i, θ_i = 10000^(−2i / d_k) (i = 0 … d_k/2 − 1):
//   (a, b) → (a·cos(r·θ_i) − b·sin(r·θ_i),  a·sin(r·θ_i) + b·cos(r·θ_i))
// where pair i is columns (2i, 2i + 1) when half_split is false (interleaved), and
// columns (i, i + d_k/2) when it is true. Then return softmax_rows(q̃ · k̃ᵀ / √d_k) · v
// [n × d_v], with v as it is (positions enter through q and k only).
// Not tfm::rope_rotate or MultiHeadAttention's positions (the answer).
arma::mat rope_attention(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                         bool half_split);

// ── 14 images ────────────────────────────────────────────────────────────────
// Cut image [H × W] into square patches of patch × patch pixels (patch divides H and W),
// one row each [N × patch²], N = (H/patch)·(W/patch):
//   row r·(W/patch) + c is the patch at patch-row r, patch-column c (left to right, then
//   down, as one reads); column i·patch + j of it is its pixel (i, j), also row by row,
//   i.e. image(r·patch + i, c·patch + j). The patches tile the image: no pixel twice.
// Not tfm::patchify (the answer).
arma::mat patchify(const arma::mat& image, arma::uword patch);

}  // namespace ex
