// The exercise tests: one test case per exercise, run against the learner's files
// (make exercises), the reference solutions (make test: all pass) and the untouched
// stubs (make test: each fails). The checks themselves are in checks_NN_topic.cpp; a failure
// shows one sentence naming the likely mistake.
#include "support/catch.hpp"

#include "exercises.hpp"
#include "exercises/checks.hpp"

#include <string>

#define EXERCISE(name, title)                               \
    TEST_CASE(title) {                                      \
        const std::string why = ex::check_##name(ex::name); \
        INFO(why);                                          \
        CHECK(why.empty());                                 \
    }

EXERCISE(embedding_lookup, "01 embedding_lookup: rows of E for the token ids")
EXERCISE(positional_encoding, "01 positional_encoding: sin in even columns, cos in odd ones")
EXERCISE(add_positions, "01 add_positions: embeddings times sqrt(d_model) plus PE")
EXERCISE(linear, "02 linear: y = x W^T + b")
EXERCISE(qkv_projections, "02 qkv_projections: Q, K, V from their own weights")
EXERCISE(softmax_rows, "03 softmax_rows: stable, masked, row by row")
EXERCISE(scaled_dot_product_attention,
         "03 scaled_dot_product_attention: softmax(Q K^T / sqrt(d_k)) V")
EXERCISE(causal_mask, "03 causal_mask: block the future")
EXERCISE(padding_mask, "03 padding_mask: block padded keys")
EXERCISE(softmax_rows_backward, "03 softmax_rows_backward: dscores from the weights (backprop)")
EXERCISE(split_heads, "04 split_heads: contiguous blocks of d_k columns")
EXERCISE(merge_heads, "04 merge_heads: heads side by side in order")
EXERCISE(multi_head_attention, "04 multi_head_attention: project, split, attend, merge, project")
EXERCISE(layer_norm, "05 layer_norm: per row, biased variance, eps inside the root")
EXERCISE(feed_forward, "05 feed_forward: act(x W1^T + b1) W2^T + b2")
EXERCISE(layer_norm_backward, "05 layer_norm_backward: dx, dweight, dbias (backprop)")
EXERCISE(encoder_layer, "06 encoder_layer: self-attention, FFN, Add & Norm, post-LN and pre-LN")
EXERCISE(decoder_layer, "07 decoder_layer: masked self-attention, cross-attention on memory, FFN")
EXERCISE(rescale_to_spectral_radius, "08 rescale_to_spectral_radius: divide by max |eigenvalue|")
EXERCISE(rnn_step_backward, "08 rnn_step_backward: one step of BPTT (backprop)")
EXERCISE(greedy_decode, "09 greedy_decode: one token at a time until eos or max_len")
EXERCISE(adam_step, "09 adam_step: moments, bias correction, update (training)")
EXERCISE(sampling_distribution, "10 sampling_distribution: temperature, softmax, top-k, top-p")
EXERCISE(beam_step, "10 beam_step: expand every beam, rank by total log-probability, keep N")
EXERCISE(kv_cache_step,
         "10 kv_cache_step: append one K and V row, attend; cross-attention on memory")
EXERCISE(causal_lm_loss, "11 causal_lm_loss: position t predicts t + 1, <pad> not counted")
EXERCISE(generation_step, "11 generation_step: the last position's softmax(logits / T), one draw")
EXERCISE(mlm_masking, "12 mlm_masking: 15% chosen, then 80/10/10; targets on the chosen only")
EXERCISE(rope_attention, "13 rope_attention: rotate q and k by position, in the layout asked for")
EXERCISE(patchify, "14 patchify: an image cut into patches, one row each, row by row")
