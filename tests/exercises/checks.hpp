// Checks for the exercises (lessons/exercises/). Each check runs a candidate
// implementation on chosen inputs — shapes that are never symmetric (n ≠ d_model ≠ d_k,
// two or more heads, masks that differ from their transpose), hand-computed values,
// the core's result (src/), and invariants — and returns
//   ""                              when the candidate is right,
//   "not implemented yet: …"         when it still throws ex::NotImplemented,
//   one sentence naming the likely mistake otherwise
//     ("scores are not divided by √d_k", "ε added outside the square root", …).
// Exceptions (an Armadillo size mismatch, say) become diagnoses too; a check never throws.
//
// Used by tests/exercises/test_exercises.cpp (the learner's files, the reference
// solutions, the untouched stubs) and by tests/bugzoo/ (plausible wrong
// implementations, each of which must be rejected with the right diagnosis).
#pragma once
#include "exercises.hpp"

#include <string>

namespace ex {

// 01 embedding
std::string check_embedding_lookup(decltype(&embedding_lookup) candidate);
std::string check_positional_encoding(decltype(&positional_encoding) candidate);
std::string check_add_positions(decltype(&add_positions) candidate);
// 02 qkv
std::string check_linear(decltype(&linear) candidate);
std::string check_qkv_projections(decltype(&qkv_projections) candidate);
// 03 attention
std::string check_softmax_rows(decltype(&softmax_rows) candidate);
std::string check_scaled_dot_product_attention(decltype(&scaled_dot_product_attention) candidate);
std::string check_causal_mask(decltype(&causal_mask) candidate);
std::string check_padding_mask(decltype(&padding_mask) candidate);
std::string check_softmax_rows_backward(decltype(&softmax_rows_backward) candidate);
// 04 multi_head
std::string check_split_heads(decltype(&split_heads) candidate);
std::string check_merge_heads(decltype(&merge_heads) candidate);
std::string check_multi_head_attention(decltype(&multi_head_attention) candidate);
// 05 ffn
std::string check_layer_norm(decltype(&layer_norm) candidate);
std::string check_feed_forward(decltype(&feed_forward) candidate);
std::string check_layer_norm_backward(decltype(&layer_norm_backward) candidate);
// 06 encoder
std::string check_encoder_layer(decltype(&encoder_layer) candidate);
// 07 decoder
std::string check_decoder_layer(decltype(&decoder_layer) candidate);
// 08 rnn_vs_attention
std::string check_rescale_to_spectral_radius(decltype(&rescale_to_spectral_radius) candidate);
std::string check_rnn_step_backward(decltype(&rnn_step_backward) candidate);
// 09 full_model
std::string check_greedy_decode(decltype(&greedy_decode) candidate);
std::string check_adam_step(decltype(&adam_step) candidate);
// 10 decoding
std::string check_sampling_distribution(decltype(&sampling_distribution) candidate);
std::string check_beam_step(decltype(&beam_step) candidate);
std::string check_kv_cache_step(decltype(&kv_cache_step) candidate);

// 11 GPT
std::string check_causal_lm_loss(decltype(&causal_lm_loss) candidate);
std::string check_generation_step(decltype(&generation_step) candidate);

// 12 BERT
std::string check_mlm_masking(decltype(&mlm_masking) candidate);
// 13 positions
std::string check_rope_attention(decltype(&rope_attention) candidate);
// 14 images
std::string check_patchify(decltype(&patchify) candidate);

}  // namespace ex
