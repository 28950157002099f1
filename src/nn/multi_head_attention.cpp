#include "nn/multi_head_attention.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "ops/alibi.hpp"
#include "ops/sequence_rows.hpp"

namespace tfm {

namespace {

arma::uword head_width(arma::uword d_model, arma::uword num_heads) {
    require(num_heads > 0 && d_model % num_heads == 0,
            [&] { return tr("d_model {1} is not divisible by {2} heads", d_model, num_heads); });
    return d_model / num_heads;
}

void refuse_cache_positions(const AttentionPositions& positions) {
    require(!positions.rope && !positions.alibi,
            [&] { return tr("multi-head attention: the KV cache does not apply RoPE or ALiBi"); });
}

}  // namespace

MultiHeadAttention::MultiHeadAttention(arma::uword d_model, arma::uword num_heads)
    : d_model(d_model),
      num_heads(num_heads),
      d_k(head_width(d_model, num_heads)),
      wq(d_model, d_model),
      wk(d_model, d_model),
      wv(d_model, d_model),
      wo(d_model, d_model) {}

arma::mat MultiHeadAttention::forward(const arma::mat& query_in, const arma::mat& kv_in,
                                      const Mask& mask, arma::uword sequences) {
    require(query_in.n_cols == d_model && kv_in.n_cols == d_model, [&] {
        return tr("multi-head attention expects inputs with d_model = {1} columns, got {2} and {3}",
                  d_model, query_in.n_cols, kv_in.n_cols);
    });
    const SequenceRows queries(query_in.n_rows, sequences, N_("query rows"));
    const SequenceRows keys(kv_in.n_rows, sequences, N_("key rows"));
    require(mask.is_empty() || (mask.n_rows == query_in.n_rows && mask.n_cols == keys.length), [&] {
        return tr("the mask is {1} but there are {2} queries and {3} keys per sequence",
                  shape_string(mask), query_in.n_rows, keys.length);
    });
    sequences_ = sequences;
    q_ = wq.forward(query_in);
    k_ = wk.forward(kv_in);
    v_ = wv.forward(kv_in);
    heads_.resize(sequences * num_heads);  // kept between calls: same shapes, no new memory
    concat_.set_size(query_in.n_rows, d_model);
    if (path == HeadPath::per_head)
        heads_per_head(mask);
    else
        heads_batched(mask);
    return wo.forward(concat_);
}

// Head j of sequence b: rows of b, columns j·d_k … (j+1)·d_k − 1 of Q, K, V.
void MultiHeadAttention::heads_per_head(const Mask& mask) {
    const SequenceRows queries(q_.n_rows, sequences_), keys(k_.n_rows, sequences_);
    const arma::rowvec slopes = positions.alibi ? alibi_slopes(num_heads) : arma::rowvec();
    for (arma::uword b = 0; b < sequences_; ++b) {
        const arma::span qrows = queries.of(b), krows = keys.of(b);
        const Mask block = mask.is_empty() ? Mask() : Mask(mask.rows(qrows));
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);  // head j's block of columns
            AttentionResult& head = heads_[b * num_heads + j];
            if (positions.rope) {  // each sequence's positions start at 0
                q_(qrows, cols) = rope_rotate(q_(qrows, cols), positions.rope_layout);
                k_(krows, cols) = rope_rotate(k_(krows, cols), positions.rope_layout);
            }
            const arma::mat bias =
                positions.alibi ? alibi_bias(queries.length, keys.length, slopes(j)) : arma::mat();
            scaled_dot_product_attention_into(q_(qrows, cols), k_(krows, cols), v_(krows, cols),
                                              block, head, bias);
            concat_(qrows, cols) = head.output;
        }
    }
}

void MultiHeadAttention::heads_batched(const Mask& mask) {
    const SequenceRows queries(q_.n_rows, sequences_), keys(k_.n_rows, sequences_);
    if (positions.rope) {
        rope_rotate_heads(q_, d_k, sequences_, positions.rope_layout);
        rope_rotate_heads(k_, d_k, sequences_, positions.rope_layout);
    }
    alibi_bias_.clear();
    if (positions.alibi) {
        const arma::rowvec slopes = alibi_slopes(num_heads);
        for (arma::uword j = 0; j < num_heads; ++j)
            alibi_bias_.push_back(alibi_bias(queries.length, keys.length, slopes(j)));
    }
    static const arma::mat no_bias;
    for (arma::uword b = 0; b < sequences_; ++b) {
        const arma::span qrows = queries.of(b), krows = keys.of(b);
        if (!mask.is_empty()) mask_block_ = mask.rows(qrows);
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);
            AttentionResult& head = heads_[b * num_heads + j];
            q_head_ = q_(qrows, cols);
            k_head_ = k_(krows, cols);
            v_head_ = v_(krows, cols);
            scaled_dot_product_attention_into(q_head_, k_head_, v_head_,
                                              mask.is_empty() ? mask : mask_block_, head,
                                              positions.alibi ? alibi_bias_[j] : no_bias);
            concat_(qrows, cols) = head.output;
        }
    }
}

MultiHeadAttention::Grads MultiHeadAttention::backward(const arma::mat& doutput) {
    const arma::mat dconcat = wo.backward(doutput);
    arma::mat dq(arma::size(q_)), dk(arma::size(k_)), dv(arma::size(v_));
    if (path == HeadPath::per_head)
        backward_per_head(dconcat, dq, dk, dv);
    else
        backward_batched(dconcat, dq, dk, dv);
    Grads grads;
    grads.dquery_in = wq.backward(dq);
    grads.dkv_in = wk.backward(dk) + wv.backward(dv);  // K and V both read kv_in
    return grads;
}

void MultiHeadAttention::backward_per_head(const arma::mat& dconcat, arma::mat& dq, arma::mat& dk,
                                           arma::mat& dv) {
    const SequenceRows queries(q_.n_rows, sequences_), keys(k_.n_rows, sequences_);
    for (arma::uword b = 0; b < sequences_; ++b) {
        const arma::span qrows = queries.of(b), krows = keys.of(b);
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);
            const AttentionGrads g = scaled_dot_product_attention_backward(
                q_(qrows, cols), k_(krows, cols), v_(krows, cols),
                heads_[b * num_heads + j].weights, dconcat(qrows, cols));
            // RoPE: the scores saw the rotated rows; the rotation's transpose undoes it.
            const bool rope = positions.rope;
            dq(qrows, cols) = rope ? rope_rotate(g.dq, positions.rope_layout, 0, true) : g.dq;
            dk(krows, cols) = rope ? rope_rotate(g.dk, positions.rope_layout, 0, true) : g.dk;
            dv(krows, cols) = g.dv;
        }
    }
}

void MultiHeadAttention::backward_batched(const arma::mat& dconcat, arma::mat& dq, arma::mat& dk,
                                          arma::mat& dv) {
    const SequenceRows queries(q_.n_rows, sequences_), keys(k_.n_rows, sequences_);
    for (arma::uword b = 0; b < sequences_; ++b) {
        const arma::span qrows = queries.of(b), krows = keys.of(b);
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);
            q_head_ = q_(qrows, cols);
            k_head_ = k_(krows, cols);
            v_head_ = v_(krows, cols);
            doutput_head_ = dconcat(qrows, cols);
            scaled_dot_product_attention_backward_into(q_head_, k_head_, v_head_,
                                                       heads_[b * num_heads + j].weights,
                                                       doutput_head_, head_grads_);
            dq(qrows, cols) = head_grads_.dq;
            dk(krows, cols) = head_grads_.dk;
            dv(krows, cols) = head_grads_.dv;
        }
    }
    if (positions.rope) {  // the rotation's transpose, on every head at once
        rope_rotate_heads(dq, d_k, sequences_, positions.rope_layout, true);
        rope_rotate_heads(dk, d_k, sequences_, positions.rope_layout, true);
    }
}

arma::mat MultiHeadAttention::forward_step(const arma::mat& query_in, KVCache& cache) {
    refuse_cache_positions(positions);
    cache.append(wk.forward(query_in), wv.forward(query_in));
    std::vector<arma::uword> own(query_in.n_rows);
    for (arma::uword b = 0; b < own.size(); ++b) own[b] = b;
    return attend(query_in, cache, own);
}

KVCache MultiHeadAttention::project_memory(const arma::mat& memory, arma::uword sources) {
    const SequenceRows rows(memory.n_rows, sources, N_("memory rows"));
    KVCache cache(sources, d_model, rows.length);
    cache.assign(wk.forward(memory), wv.forward(memory));
    return cache;
}

arma::mat MultiHeadAttention::attend(const arma::mat& query_in, const KVCache& cache,
                                     const std::vector<arma::uword>& entry_of,
                                     const Mask& key_padding) {
    refuse_cache_positions(positions);
    require(query_in.n_cols == d_model && cache.d_model() == d_model, [&] {
        return tr(
            "multi-head attention expects d_model = {1} columns, got a query of {2} and a "
            "cache of {3}",
            d_model, query_in.n_cols, cache.d_model());
    });
    require(entry_of.size() == query_in.n_rows, [&] {
        return "attend needs one cache entry per query row: " + std::to_string(entry_of.size()) +
               " for " + std::to_string(query_in.n_rows);
    });
    require(key_padding.is_empty() ||
                (key_padding.n_rows == cache.entries() && key_padding.n_cols == cache.length()),
            [&] {
                return tr("the key padding is {1}, expected {2}", shape_string(key_padding),
                          shape_string(cache.entries(), cache.length()));
            });
    sequences_ = query_in.n_rows;
    q_ = wq.forward(query_in);
    heads_.resize(query_in.n_rows * num_heads);
    concat_.set_size(query_in.n_rows, d_model);
    for (arma::uword b = 0; b < query_in.n_rows; ++b) {
        const arma::uword e = entry_of[b];
        require(e < cache.entries(), [&] { return "attend: no cache entry " + std::to_string(e); });
        const Mask block = key_padding.is_empty() ? Mask() : Mask(key_padding.row(e));
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);
            AttentionResult& head = heads_[b * num_heads + j];
            scaled_dot_product_attention_into(q_(arma::span(b), cols), cache.keys(e, cols),
                                              cache.values(e, cols), block, head);
            concat_(arma::span(b), cols) = head.output;
        }
    }
    return wo.forward(concat_);
}

void MultiHeadAttention::zero_grad() {
    wq.zero_grad();
    wk.zero_grad();
    wv.zero_grad();
    wo.zero_grad();
}

void MultiHeadAttention::params(const std::string& prefix, ParamList& out) {
    wq.params(prefix + "wq.", out);
    wk.params(prefix + "wk.", out);
    wv.params(prefix + "wv.", out);
    wo.params(prefix + "wo.", out);
}

void MultiHeadAttention::shapes(const std::string& prefix, arma::uword d_model, ShapeList& out) {
    for (const char* name : {"wq.", "wk.", "wv.", "wo."})
        Linear::shapes(prefix + name, d_model, d_model, out);
}

}  // namespace tfm
