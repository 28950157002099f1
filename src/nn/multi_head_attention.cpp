#include "nn/multi_head_attention.hpp"

#include "core/error.hpp"

namespace tfm {

namespace {

arma::uword head_width(arma::uword d_model, arma::uword num_heads) {
    require(num_heads > 0 && d_model % num_heads == 0,
            "d_model " + std::to_string(d_model) + " is not divisible by " +
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
    require(sequences > 0 && query_in.n_rows % sequences == 0 && kv_in.n_rows % sequences == 0,
            "a batch of " + std::to_string(sequences) + " sequences cannot hold " +
                std::to_string(query_in.n_rows) + " query rows and " +
                std::to_string(kv_in.n_rows) + " key rows");
    const arma::uword n_q = query_in.n_rows / sequences, n_k = kv_in.n_rows / sequences;
    require(mask.is_empty() || (mask.n_rows == query_in.n_rows && mask.n_cols == n_k),
            "the mask is " + std::to_string(mask.n_rows) + " × " + std::to_string(mask.n_cols) +
                " but there are " + std::to_string(query_in.n_rows) + " queries and " +
                std::to_string(n_k) + " keys per sequence");
    mask_ = mask;
    sequences_ = sequences;
    q_ = wq.forward(query_in);
    k_ = wk.forward(kv_in);
    v_ = wv.forward(kv_in);

    heads_.resize(sequences * num_heads);  // kept between calls: same shapes, no new memory
    concat_.set_size(query_in.n_rows, d_model);
    for (arma::uword b = 0; b < sequences; ++b) {
        const arma::span qrows(b * n_q, (b + 1) * n_q - 1), krows(b * n_k, (b + 1) * n_k - 1);
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
    const arma::uword n_q = q_.n_rows / sequences_, n_k = k_.n_rows / sequences_;
    for (arma::uword b = 0; b < sequences_; ++b) {
        const arma::span qrows(b * n_q, (b + 1) * n_q - 1), krows(b * n_k, (b + 1) * n_k - 1);
        for (arma::uword j = 0; j < num_heads; ++j) {
            const arma::span cols(j * d_k, (j + 1) * d_k - 1);
            const AttentionGrads g = scaled_dot_product_attention_backward(
                q_(qrows, cols), k_(krows, cols), v_(krows, cols), heads_[b * num_heads + j].weights,
                dconcat(qrows, cols));
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
