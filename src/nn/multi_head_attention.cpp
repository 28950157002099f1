#include "nn/multi_head_attention.hpp"

#include "core/error.hpp"
#include "core/shape.hpp"
#include "ops/sequence_rows.hpp"

namespace tfm {

namespace {

arma::uword head_width(arma::uword d_model, arma::uword num_heads) {
    require(num_heads > 0 && d_model % num_heads == 0, "d_model " + std::to_string(d_model) +
                                                           " is not divisible by " +
                                                           std::to_string(num_heads) + " heads");
    return d_model / num_heads;
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
    require(query_in.n_cols == d_model && kv_in.n_cols == d_model,
            "multi-head attention expects inputs with d_model = " + std::to_string(d_model) +
                " columns, got " + std::to_string(query_in.n_cols) + " and " +
                std::to_string(kv_in.n_cols));
    const SequenceRows queries(query_in.n_rows, sequences, "query rows");
    const SequenceRows keys(kv_in.n_rows, sequences, "key rows");
    require(mask.is_empty() || (mask.n_rows == query_in.n_rows && mask.n_cols == keys.length),
            "the mask is " + shape_string(mask) + " but there are " +
                std::to_string(query_in.n_rows) + " queries and " + std::to_string(keys.length) +
                " keys per sequence");
    sequences_ = sequences;
    q_ = wq.forward(query_in);
    k_ = wk.forward(kv_in);
    v_ = wv.forward(kv_in);

    heads_.resize(sequences * num_heads);  // kept between calls: same shapes, no new memory
    concat_.set_size(query_in.n_rows, d_model);
    for (arma::uword b = 0; b < sequences; ++b) {
        const arma::span qrows = queries.of(b), krows = keys.of(b);
        const Mask block = mask.is_empty() ? Mask() : Mask(mask.rows(qrows));
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);  // head j's block of columns
            AttentionResult& head = heads_[b * num_heads + j];
            scaled_dot_product_attention_into(q_(qrows, cols), k_(krows, cols), v_(krows, cols),
                                              block, head);
            concat_(qrows, cols) = head.output;
        }
    }
    return wo.forward(concat_);
}

MultiHeadAttention::Grads MultiHeadAttention::backward(const arma::mat& doutput) {
    const arma::mat dconcat = wo.backward(doutput);
    arma::mat dq(arma::size(q_)), dk(arma::size(k_)), dv(arma::size(v_));
    const SequenceRows queries(q_.n_rows, sequences_), keys(k_.n_rows, sequences_);
    for (arma::uword b = 0; b < sequences_; ++b) {
        const arma::span qrows = queries.of(b), krows = keys.of(b);
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);
            const AttentionGrads g = scaled_dot_product_attention_backward(
                q_(qrows, cols), k_(krows, cols), v_(krows, cols),
                heads_[b * num_heads + j].weights, dconcat(qrows, cols));
            dq(qrows, cols) = g.dq;
            dk(krows, cols) = g.dk;
            dv(krows, cols) = g.dv;
        }
    }
    Grads grads;
    grads.dquery_in = wq.backward(dq);
    grads.dkv_in = wk.backward(dk) + wv.backward(dv);  // K and V both read kv_in
    return grads;
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
