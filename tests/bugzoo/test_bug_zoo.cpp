// The bug zoo: plausible wrong implementations of the exercises, as a learner might
// write them, each with one mistake. Every one must be rejected by its exercise check
// (tests/exercises/checks_NN_topic.cpp) with a diagnosis that names the mistake — so the
// exercise tests have teeth, and their messages teach. A few correct implementations,
// written independently of the core, must be accepted (the checks are not so strict
// that only the core's own code passes).
#include "support/catch.hpp"

#include "exercises/checks.hpp"
#include "ops/softmax.hpp"

#include <cmath>
#include <string>

namespace zoo {

const double inf = arma::datum::inf;

arma::uvec as_uvec(const tfm::TokenIds& ids) { return arma::uvec(ids); }

arma::mat scores_with_mask(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat s = scores;
    if (!mask.is_empty()) s.elem(arma::find(mask)).fill(-inf);
    return s;
}

// ── 01 ──
arma::mat lookup_by_column(const arma::mat& table, const tfm::TokenIds& ids) {
    return table.cols(as_uvec(ids)).t();
}
arma::mat lookup_scaled(const arma::mat& table, const tfm::TokenIds& ids) {
    return table.rows(as_uvec(ids)) * std::sqrt(static_cast<double>(table.n_cols));
}
arma::mat lookup_by_one_hot(const arma::mat& table, const tfm::TokenIds& ids) {  // correct
    for (arma::uword id : ids)
        if (id >= table.n_rows) throw std::out_of_range("token id outside the vocabulary");
    arma::mat hot(ids.size(), table.n_rows, arma::fill::zeros);
    for (arma::uword t = 0; t < ids.size(); ++t) hot(t, ids[t]) = 1.0;
    return hot * table;
}

arma::mat pe_sin_cos_swapped(arma::uword seq_len, arma::uword d_model) {
    arma::mat pe(seq_len, d_model);
    for (arma::uword pos = 0; pos < seq_len; ++pos)
        for (arma::uword i = 0; 2 * i < d_model; ++i) {
            const double angle = pos / std::pow(10000.0, 2.0 * i / d_model);
            pe(pos, 2 * i) = std::cos(angle);
            if (2 * i + 1 < d_model) pe(pos, 2 * i + 1) = std::sin(angle);
        }
    return pe;
}
arma::mat pe_integer_exponent(arma::uword seq_len, arma::uword d_model) {
    arma::mat pe(seq_len, d_model);
    for (arma::uword pos = 0; pos < seq_len; ++pos)
        for (arma::uword i = 0; 2 * i < d_model; ++i) {
            const double angle = pos / std::pow(10000.0, (2 * i) / d_model);  // integer division
            pe(pos, 2 * i) = std::sin(angle);
            if (2 * i + 1 < d_model) pe(pos, 2 * i + 1) = std::cos(angle);
        }
    return pe;
}
arma::mat pe_correct(arma::uword seq_len, arma::uword d_model) {  // correct, vectorised
    const arma::vec pos = arma::regspace<arma::vec>(0, double(seq_len) - 1);
    arma::mat pe(seq_len, d_model);
    for (arma::uword c = 0; c < d_model; c += 2) {
        const arma::vec angle = pos / std::pow(10000.0, double(c) / double(d_model));
        pe.col(c) = arma::sin(angle);
        if (c + 1 < d_model) pe.col(c + 1) = arma::cos(angle);
    }
    return pe;
}

arma::mat add_positions_unscaled(const arma::mat& embeddings) {
    return embeddings + pe_correct(embeddings.n_rows, embeddings.n_cols);
}

// ── 02 ──
arma::mat linear_not_transposed(const arma::mat& x, const arma::mat& weight,
                                const arma::mat& bias) {
    arma::mat y = x * weight;
    y.each_row() += bias;
    return y;
}
arma::mat linear_without_bias(const arma::mat& x, const arma::mat& weight, const arma::mat&) {
    return x * weight.t();
}

ex::Projections qkv_copy_paste(const arma::mat& x, const tfm::Linear& wq, const tfm::Linear&,
                               const tfm::Linear& wv) {
    const auto project = [&](const tfm::Linear& l) {
        arma::mat y = x * l.weight.t();
        y.each_row() += l.bias;
        return y;
    };
    return {project(wq), project(wq), project(wv)};  // K from Wq
}

// ── 03 ──
arma::mat softmax_over_columns(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat z = scores_with_mask(scores, mask);
    z.each_row() -= arma::max(z);  // max() and sum() default to dim = 0: per column
    arma::mat e = arma::exp(z);
    e.each_row() /= arma::sum(e);
    return e;
}
arma::mat softmax_without_max(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat e = arma::exp(scores);
    if (!mask.is_empty()) e.elem(arma::find(mask)).zeros();
    arma::vec total = arma::sum(e, 1);
    total.replace(0.0, 1.0);
    e.each_col() /= total;
    return e;
}
arma::mat softmax_mask_after(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat z = scores;
    z.each_col() -= arma::max(z, 1);
    arma::mat e = arma::exp(z);
    e.each_col() /= arma::sum(e, 1);
    if (!mask.is_empty()) e.elem(arma::find(mask)).zeros();
    return e;
}
arma::mat softmax_nan_when_all_blocked(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat z = scores_with_mask(scores, mask);
    z.each_col() -= arma::max(z, 1);  // −∞ − (−∞) = NaN in an all-blocked row
    arma::mat e = arma::exp(z);
    e.each_col() /= arma::sum(e, 1);
    return e;
}
arma::mat softmax_correct(const arma::mat& scores, const tfm::Mask& mask) {  // correct
    arma::mat w(arma::size(scores), arma::fill::zeros);
    for (arma::uword i = 0; i < scores.n_rows; ++i) {
        double top = -inf;
        for (arma::uword j = 0; j < scores.n_cols; ++j)
            if (mask.is_empty() || !mask(i, j)) top = std::max(top, scores(i, j));
        if (top == -inf) continue;
        for (arma::uword j = 0; j < scores.n_cols; ++j)
            if (mask.is_empty() || !mask(i, j)) w(i, j) = std::exp(scores(i, j) - top);
        w.row(i) /= arma::accu(w.row(i));
    }
    return w;
}

arma::mat attention_unscaled(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                             const tfm::Mask& mask) {
    return tfm::softmax_rows(q * k.t(), mask) * v;
}
arma::mat attention_over_d_k(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                             const tfm::Mask& mask) {
    return tfm::softmax_rows(q * k.t() / double(q.n_cols), mask) * v;
}
arma::mat attention_k_not_transposed(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                     const tfm::Mask& mask) {
    return tfm::softmax_rows(q * k / std::sqrt(double(q.n_cols)), mask) * v;
}
arma::mat attention_mask_after(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                               const tfm::Mask& mask) {
    arma::mat w = tfm::softmax_rows(q * k.t() / std::sqrt(double(q.n_cols)));
    if (!mask.is_empty()) w.elem(arma::find(mask)).zeros();
    return w * v;
}
arma::mat attention_correct(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                            const tfm::Mask& mask) {  // correct, with the softmax above
    const arma::mat scaled = (q * k.t()) / std::sqrt(double(k.n_cols));
    return softmax_correct(scaled, mask) * v;
}

// Wrong in a way no named mistake describes: the check must say where, not guess why.
arma::mat attention_one_entry_off(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                  const tfm::Mask& mask) {
    arma::mat out = attention_correct(q, k, v, mask);
    out(0, 2) += 0.05;  // in case D, (0, 2) is where a blocked key's weight would show
    return out;
}
arma::mat attention_scaled_by_1_01(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                   const tfm::Mask& mask) {
    return 1.01 * attention_correct(q, k, v, mask);
}
arma::mat softmax_scaled_by_1_01(const arma::mat& scores, const tfm::Mask& mask) {
    return 1.01 * softmax_correct(scores, mask);
}

tfm::Mask causal_diagonal_blocked(arma::uword n) {
    return arma::trimatu(tfm::Mask(n, n, arma::fill::ones));  // j ≥ i
}
tfm::Mask causal_transposed(arma::uword n) {
    tfm::Mask m(n, n, arma::fill::zeros);
    for (arma::uword i = 0; i < n; ++i)
        for (arma::uword j = 0; j < i; ++j) m(i, j) = 1;
    return m;
}
tfm::Mask causal_correct(arma::uword n) {                                      // correct
    const tfm::Mask upper = arma::trimatu(tfm::Mask(n, n, arma::fill::ones));  // j ≥ i
    return upper - tfm::Mask(n, n, arma::fill::eye);                           // j > i
}

tfm::Mask padding_by_rows(arma::uword n_q, const std::vector<bool>& key_is_pad) {
    tfm::Mask m(key_is_pad.size(), n_q, arma::fill::zeros);
    for (arma::uword j = 0; j < key_is_pad.size(); ++j)
        if (key_is_pad[j]) m.row(j).ones();
    return m;
}

// ── 04 ──
std::vector<arma::mat> split_interleaved(const arma::mat& x, arma::uword h) {
    if (h == 0 || x.n_cols % h != 0) throw std::invalid_argument("heads must divide d_model");
    std::vector<arma::mat> heads;
    for (arma::uword j = 0; j < h; ++j)
        heads.push_back(x.cols(arma::regspace<arma::uvec>(j, h, x.n_cols - 1)));
    return heads;
}
std::vector<arma::mat> split_correct(const arma::mat& x, arma::uword h) {  // correct
    if (h == 0 || x.n_cols % h != 0) throw std::invalid_argument("heads must divide d_model");
    const arma::uword d_k = x.n_cols / h;
    std::vector<arma::mat> heads;
    for (arma::uword j = 0; j < h; ++j) heads.push_back(x.cols(j * d_k, j * d_k + d_k - 1));
    return heads;
}

arma::mat merge_reversed(const std::vector<arma::mat>& heads) {
    arma::mat out;
    for (const arma::mat& head : heads) out = arma::join_rows(head, out);
    return out;
}
arma::mat merge_vertically(const std::vector<arma::mat>& heads) {
    arma::mat out;
    for (const arma::mat& head : heads) out = arma::join_cols(out, head);
    return out;
}

arma::mat project(const tfm::Linear& layer, const arma::mat& x) {
    arma::mat y = x * layer.weight.t();
    y.each_row() += layer.bias;
    return y;
}
arma::mat mha(const tfm::MultiHeadAttention& m, const arma::mat& query_in, const arma::mat& kv_in,
              const tfm::Mask& mask, double scale, bool apply_wo) {
    const arma::mat q = project(m.wq, query_in), k = project(m.wk, kv_in), v = project(m.wv, kv_in);
    arma::mat concat;
    for (arma::uword j = 0; j < m.num_heads; ++j) {
        const arma::span cols(j * m.d_k, (j + 1) * m.d_k - 1);
        const arma::mat w = tfm::softmax_rows(q.cols(cols) * k.cols(cols).t() / scale, mask);
        concat = arma::join_rows(concat, w * v.cols(cols));
    }
    return apply_wo ? project(m.wo, concat) : concat;
}
arma::mat mha_scaled_by_d_model(const tfm::MultiHeadAttention& m, const arma::mat& query_in,
                                const arma::mat& kv_in, const tfm::Mask& mask) {
    return mha(m, query_in, kv_in, mask, std::sqrt(double(m.d_model)), true);
}
arma::mat mha_without_wo(const tfm::MultiHeadAttention& m, const arma::mat& query_in,
                         const arma::mat& kv_in, const tfm::Mask& mask) {
    return mha(m, query_in, kv_in, mask, std::sqrt(double(m.d_k)), false);
}
arma::mat mha_correct(const tfm::MultiHeadAttention& m, const arma::mat& query_in,
                      const arma::mat& kv_in, const tfm::Mask& mask) {  // correct
    return mha(m, query_in, kv_in, mask, std::sqrt(double(m.d_k)), true);
}

// ── 05 ──
arma::mat affine(arma::mat xhat, const arma::mat& weight, const arma::mat& bias) {
    xhat.each_row() %= weight;
    xhat.each_row() += bias;
    return xhat;
}
arma::mat layer_norm_eps_outside(const arma::mat& x, const arma::mat& weight, const arma::mat& bias,
                                 double eps) {
    const arma::mat centered = x.each_col() - arma::mean(x, 1);
    const arma::vec sd = arma::sqrt(arma::mean(arma::square(centered), 1));
    return affine(centered.each_col() / (sd + eps), weight, bias);
}
arma::mat layer_norm_sample_variance(const arma::mat& x, const arma::mat& weight,
                                     const arma::mat& bias, double eps) {
    const arma::mat centered = x.each_col() - arma::mean(x, 1);
    const arma::vec var = arma::var(x, 0, 1);  // norm_type 0: divides by N − 1
    return affine(centered.each_col() / arma::sqrt(var + eps), weight, bias);
}
arma::mat layer_norm_over_columns(const arma::mat& x, const arma::mat& weight,
                                  const arma::mat& bias, double eps) {
    const arma::mat centered = x.each_row() - arma::mean(x);  // dim = 0: across tokens
    const arma::rowvec var = arma::mean(arma::square(centered));
    return affine(centered.each_row() / arma::sqrt(var + eps), weight, bias);
}
arma::mat layer_norm_correct(const arma::mat& x, const arma::mat& weight, const arma::mat& bias,
                             double eps) {  // correct, through var(·, 1, 1)
    const arma::mat centered = x.each_col() - arma::mean(x, 1);
    return affine(centered.each_col() / arma::sqrt(arma::var(x, 1, 1) + eps), weight, bias);
}

arma::mat relu(arma::mat h) {
    return h.transform([](double v) { return v > 0 ? v : 0.0; });
}
arma::mat gelu_tanh(arma::mat h) {
    const double c = std::sqrt(2.0 / arma::datum::pi);
    return h.transform(
        [c](double v) { return 0.5 * v * (1 + std::tanh(c * (v + 0.044715 * v * v * v))); });
}
arma::mat gelu_exact(arma::mat h) {
    return h.transform([](double v) { return v * 0.5 * std::erfc(-v / std::sqrt(2.0)); });
}
arma::mat ffn(const arma::mat& x, const arma::mat& w1, const arma::mat& b1, const arma::mat& w2,
              const arma::mat& b2, tfm::Activation a, bool act_last, bool tanh_gelu) {
    const auto act = [&](const arma::mat& h) {
        return a == tfm::Activation::relu ? relu(h) : tanh_gelu ? gelu_tanh(h) : gelu_exact(h);
    };
    arma::mat hidden = x * w1.t();
    hidden.each_row() += b1;
    if (!act_last) hidden = act(hidden);
    arma::mat out = hidden * w2.t();
    out.each_row() += b2;
    return act_last ? act(out) : out;
}
arma::mat ffn_relu_after_second(const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                                const arma::mat& w2, const arma::mat& b2, tfm::Activation a) {
    return ffn(x, w1, b1, w2, b2, a, true, false);
}
arma::mat ffn_gelu_tanh(const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                        const arma::mat& w2, const arma::mat& b2, tfm::Activation a) {
    return ffn(x, w1, b1, w2, b2, a, false, true);
}
arma::mat ffn_correct(const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                      const arma::mat& w2, const arma::mat& b2, tfm::Activation a) {  // correct
    return ffn(x, w1, b1, w2, b2, a, false, false);
}

// ── backprop and 08 ──
arma::mat softmax_backward_diagonal(const arma::mat& w, const arma::mat& dw) { return w % dw; }
arma::mat softmax_backward_over_columns(const arma::mat& w, const arma::mat& dw) {
    arma::mat centered = dw.each_row() - arma::sum(w % dw);  // dim = 0: per column
    return w % centered;
}
arma::mat softmax_backward_correct(const arma::mat& w,
                                   const arma::mat& dw) {  // correct: J·dw per row
    arma::mat ds(arma::size(w));
    for (arma::uword i = 0; i < w.n_rows; ++i) {
        const arma::vec wi = w.row(i).t();
        const arma::mat jacobian = arma::diagmat(wi) - wi * wi.t();
        ds.row(i) = (jacobian * dw.row(i).t()).t();
    }
    return ds;
}

ex::LayerNormGrads layer_norm_backward_constant_stats(const arma::mat& x, const arma::mat& weight,
                                                      double eps, const arma::mat& dy) {
    const arma::mat centered = x.each_col() - arma::mean(x, 1);
    const arma::vec sd = arma::sqrt(arma::mean(arma::square(centered), 1) + eps);
    const arma::mat xhat = centered.each_col() / sd;
    arma::mat dx = dy.each_row() % weight;
    dx.each_col() /= sd;  // as if μ and σ did not depend on x
    return {dx, arma::sum(dy % xhat, 0), arma::sum(dy, 0)};
}
ex::LayerNormGrads layer_norm_backward_unsummed(const arma::mat& x, const arma::mat& weight,
                                                double eps, const arma::mat& dy) {
    const arma::mat centered = x.each_col() - arma::mean(x, 1);
    const arma::vec sd = arma::sqrt(arma::mean(arma::square(centered), 1) + eps);
    const arma::mat xhat = centered.each_col() / sd;
    const arma::mat dxhat = dy.each_row() % weight;
    arma::mat dx = dxhat.each_col() - arma::mean(dxhat, 1);
    dx -= xhat.each_col() % arma::vec(arma::mean(dxhat % xhat, 1));
    dx.each_col() /= sd;
    return {dx, dy % xhat, dy};  // per token, not summed over the rows
}
ex::LayerNormGrads layer_norm_backward_correct(const arma::mat& x, const arma::mat& weight,
                                               double eps, const arma::mat& dy) {  // correct
    // The other textbook form: dx = (1/(d σ)) (d·dx̂ − Σ dx̂ − x̂ Σ dx̂ ⊙ x̂).
    const double d = double(x.n_cols);
    const arma::mat centered = x.each_col() - arma::mean(x, 1);
    const arma::vec sd = arma::sqrt(arma::sum(arma::square(centered), 1) / d + eps);
    const arma::mat xhat = centered.each_col() / sd;
    const arma::mat dxhat = dy.each_row() % weight;
    arma::mat dx = d * dxhat;
    dx.each_col() -= arma::sum(dxhat, 1);
    dx -= xhat.each_col() % arma::vec(arma::sum(dxhat % xhat, 1));
    dx.each_col() /= d * sd;
    return {dx, arma::sum(dy % xhat, 0), arma::sum(dy, 0)};
}

arma::mat rescale_by_norm(const arma::mat& a, double rho) {
    if (rho <= 0) throw std::invalid_argument("rho must be positive");
    return a * (rho / arma::norm(a, 2));
}
arma::mat rescale_by_real_part(const arma::mat& a, double rho) {
    if (rho <= 0) throw std::invalid_argument("rho must be positive");
    const double top = arma::max(arma::abs(arma::real(arma::eig_gen(a))));
    if (top == 0) throw std::invalid_argument("no scale");
    return a * (rho / top);
}
arma::mat rescale_correct(const arma::mat& a, double rho) {  // correct
    if (!(rho > 0)) throw std::invalid_argument("rho must be positive");
    const double radius = arma::abs(arma::eig_gen(a)).max();
    if (radius < 1e-12)
        throw std::invalid_argument("a nilpotent matrix has no spectral radius to rescale");
    return a * (rho / radius);
}

tfm::RnnStepGrads rnn_backward(const arma::mat& w_hh, const arma::mat& w_xh, tfm::RnnActivation act,
                               const arma::rowvec& h_prev, const arma::rowvec& x_t,
                               const arma::rowvec& h_t, const arma::rowvec& dh, int bug) {
    arma::rowvec deriv(h_t.n_elem, arma::fill::ones);
    if (act == tfm::RnnActivation::tanh) deriv = 1 - arma::square(bug == 1 ? h_prev : h_t);
    const arma::rowvec da = dh % deriv;
    tfm::RnnStepGrads g;
    g.dh_prev = bug == 2 ? arma::rowvec(da * w_hh.t()) : arma::rowvec(da * w_hh);
    g.dx = da * w_xh;
    g.dw_hh = bug == 3 ? arma::mat(h_prev.t() * da) : arma::mat(da.t() * h_prev);
    g.dw_xh = da.t() * x_t;
    g.dbias = da;
    return g;
}
tfm::RnnStepGrads rnn_backward_tanh_of_h_prev(const arma::mat& w_hh, const arma::mat& w_xh,
                                              tfm::RnnActivation act, const arma::rowvec& h_prev,
                                              const arma::rowvec& x_t, const arma::rowvec& h_t,
                                              const arma::rowvec& dh) {
    return rnn_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh, 1);
}
tfm::RnnStepGrads rnn_backward_w_hh_transposed(const arma::mat& w_hh, const arma::mat& w_xh,
                                               tfm::RnnActivation act, const arma::rowvec& h_prev,
                                               const arma::rowvec& x_t, const arma::rowvec& h_t,
                                               const arma::rowvec& dh) {
    return rnn_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh, 2);
}
tfm::RnnStepGrads rnn_backward_dw_hh_transposed(const arma::mat& w_hh, const arma::mat& w_xh,
                                                tfm::RnnActivation act, const arma::rowvec& h_prev,
                                                const arma::rowvec& x_t, const arma::rowvec& h_t,
                                                const arma::rowvec& dh) {
    return rnn_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh, 3);
}
tfm::RnnStepGrads rnn_backward_correct(const arma::mat& w_hh, const arma::mat& w_xh,
                                       tfm::RnnActivation act, const arma::rowvec& h_prev,
                                       const arma::rowvec& x_t, const arma::rowvec& h_t,
                                       const arma::rowvec& dh) {  // correct
    return rnn_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh, 0);
}

// ── 06, 07, 09 ──
arma::mat encoder_without_attention_residual(tfm::EncoderLayer& layer, const arma::mat& x,
                                             const tfm::Mask& mask) {
    const arma::mat a =
        layer.norm1.forward(layer.self_attn.forward(x, x, mask));  // x + … forgotten
    return layer.norm2.forward(a + layer.ffn.forward(a));
}
arma::mat encoder_always_post_ln(tfm::EncoderLayer& layer, const arma::mat& x,
                                 const tfm::Mask& mask) {
    const arma::mat a = layer.norm1.forward(x + layer.self_attn.forward(x, x, mask));
    return layer.norm2.forward(a + layer.ffn.forward(a));
}
arma::mat encoder_correct(tfm::EncoderLayer& layer, const arma::mat& x,
                          const tfm::Mask& mask) {  // correct
    if (layer.norm_first) {
        const arma::mat n = layer.norm1.forward(x);
        const arma::mat a = x + layer.self_attn.forward(n, n, mask);
        return a + layer.ffn.forward(layer.norm2.forward(a));
    }
    return encoder_always_post_ln(layer, x, mask);
}

arma::mat decoder(tfm::DecoderLayer& layer, const arma::mat& y, const arma::mat& memory,
                  const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask, bool kv_from_stream) {
    if (layer.norm_first) {
        const arma::mat n1 = layer.norm1.forward(y);
        const arma::mat a = y + layer.self_attn.forward(n1, n1, tgt_mask);
        const arma::mat n2 = layer.norm2.forward(a);
        const arma::mat b =
            a + layer.cross_attn.forward(n2, kv_from_stream ? n2 : memory, memory_mask);
        return b + layer.ffn.forward(layer.norm3.forward(b));
    }
    const arma::mat a = layer.norm1.forward(y + layer.self_attn.forward(y, y, tgt_mask));
    const arma::mat b = layer.norm2.forward(
        a + layer.cross_attn.forward(a, kv_from_stream ? a : memory, memory_mask));
    return layer.norm3.forward(b + layer.ffn.forward(b));
}
arma::mat decoder_cross_attends_to_itself(tfm::DecoderLayer& layer, const arma::mat& y,
                                          const arma::mat& memory, const tfm::Mask& tgt_mask,
                                          const tfm::Mask&) {
    return decoder(layer, y, memory, tgt_mask, tfm::Mask(), true);
}
arma::mat decoder_without_causal_mask(tfm::DecoderLayer& layer, const arma::mat& y,
                                      const arma::mat& memory, const tfm::Mask&,
                                      const tfm::Mask& memory_mask) {
    return decoder(layer, y, memory, tfm::Mask(), memory_mask, false);
}
arma::mat decoder_correct(tfm::DecoderLayer& layer, const arma::mat& y, const arma::mat& memory,
                          const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask) {  // correct
    return decoder(layer, y, memory, tgt_mask, memory_mask, false);
}

std::vector<tfm::DecodeStep> greedy(tfm::Transformer& model, const tfm::TokenIds& src,
                                    arma::uword bos, arma::uword eos, arma::uword max_len,
                                    bool first_row, bool stop) {
    const tfm::Encoded encoded = model.encode(src);
    tfm::TokenIds tgt = {bos};
    std::vector<tfm::DecodeStep> steps;
    for (arma::uword i = 0; i < max_len; ++i) {
        const arma::mat h = model.decode(tgt, encoded.memory, encoded.src_padding);
        const arma::mat p = tfm::softmax_rows(model.generate(h.row(first_row ? 0 : h.n_rows - 1)));
        const arma::uword token = p.index_max();
        steps.push_back({token, p(token)});
        if (stop && token == eos) break;
        tgt.push_back(token);
    }
    return steps;
}
std::vector<tfm::DecodeStep> greedy_first_row(tfm::Transformer& model, const tfm::TokenIds& src,
                                              arma::uword bos, arma::uword eos,
                                              arma::uword max_len) {
    return greedy(model, src, bos, eos, max_len, true, true);
}
std::vector<tfm::DecodeStep> greedy_ignoring_eos(tfm::Transformer& model, const tfm::TokenIds& src,
                                                 arma::uword bos, arma::uword eos,
                                                 arma::uword max_len) {
    return greedy(model, src, bos, eos, max_len, false, false);
}
std::vector<tfm::DecodeStep> greedy_correct(tfm::Transformer& model, const tfm::TokenIds& src,
                                            arma::uword bos, arma::uword eos,
                                            arma::uword max_len) {  // correct
    return greedy(model, src, bos, eos, max_len, false, true);
}

// ── training ──
void adam(arma::mat& theta, const arma::mat& g, arma::mat& m, arma::mat& v, unsigned long long t,
          double lr, const tfm::AdamOptions& o, bool correct, bool eps_inside) {
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * (g % g);
    const double c1 = correct ? 1 - std::pow(o.beta1, double(t)) : 1.0;
    const double c2 = correct ? 1 - std::pow(o.beta2, double(t)) : 1.0;
    const arma::mat denom =
        eps_inside ? arma::mat(arma::sqrt(v / c2 + o.eps)) : arma::mat(arma::sqrt(v / c2) + o.eps);
    theta -= lr * (m / c1) / denom;
}
void adam_without_bias_correction(arma::mat& theta, const arma::mat& g, arma::mat& m, arma::mat& v,
                                  unsigned long long t, double lr, const tfm::AdamOptions& o) {
    adam(theta, g, m, v, t, lr, o, false, false);
}
void adam_eps_inside(arma::mat& theta, const arma::mat& g, arma::mat& m, arma::mat& v,
                     unsigned long long t, double lr, const tfm::AdamOptions& o) {
    adam(theta, g, m, v, t, lr, o, true, true);
}
void adam_correct(arma::mat& theta, const arma::mat& g, arma::mat& m, arma::mat& v,
                  unsigned long long t, double lr, const tfm::AdamOptions& o) {  // correct
    adam(theta, g, m, v, t, lr, o, true, false);
}

// ── 10 decoding ──
arma::rowvec softmax_row(const arma::rowvec& x) {
    const arma::rowvec e = arma::exp(x - x.max());
    return e / arma::accu(e);
}
// Keeps the k largest of w (ties: the lower id), zero elsewhere, divided by their sum.
arma::rowvec largest(const arma::rowvec& w, arma::uword k) {
    const arma::uvec order = arma::stable_sort_index(w, "descend");
    arma::rowvec out(w.n_elem, arma::fill::zeros);
    for (arma::uword i = 0; i < std::min<arma::uword>(k, w.n_elem); ++i)
        out(order(i)) = w(order(i));
    return out / arma::accu(out);
}
arma::rowvec sampling(const arma::rowvec& logits, double t, arma::uword k, double p,
                      bool from_logits, bool temperature_after) {
    arma::rowvec w;
    if (from_logits) {
        w = logits / (t > 0 ? t : 1.0);
    } else if (t == 0.0) {
        w.zeros(logits.n_elem);
        w(logits.index_max()) = 1.0;
    } else {
        w = temperature_after ? arma::rowvec(softmax_row(logits) / t) : softmax_row(logits / t);
        w /= arma::accu(w);
    }
    if (k > 0 && k < w.n_elem) w = largest(w, k);
    if (p < 1.0 && !from_logits) {  // the smallest prefix of the sorted weights with mass ≥ p
        const arma::uvec order = arma::stable_sort_index(w, "descend");
        const arma::rowvec sorted = w.cols(order);
        const arma::rowvec mass = arma::cumsum(sorted);
        arma::uword n = 1;
        while (n < w.n_elem && mass(n - 1) < p * (1 - 1e-12)) ++n;
        w = largest(w, n);
    }
    return w;
}
arma::rowvec sampling_from_logits(const arma::rowvec& logits, double t, arma::uword k, double p) {
    return sampling(logits, t, k, p, true, false);
}
arma::rowvec sampling_temperature_after_softmax(const arma::rowvec& logits, double t, arma::uword k,
                                                double p) {
    return sampling(logits, t, k, p, false, true);
}
arma::rowvec sampling_correct(const arma::rowvec& logits, double t, arma::uword k,
                              double p) {  // correct
    return sampling(logits, t, k, p, false, false);
}

std::vector<tfm::BeamCandidate> beam(const std::vector<double>& lp0, const arma::mat& lp,
                                     arma::uword width, bool by_total) {
    std::vector<tfm::BeamCandidate> all;
    for (arma::uword b = 0; b < lp.n_rows; ++b)
        for (arma::uword v = 0; v < lp.n_cols; ++v) all.push_back({b, v, lp0[b] + lp(b, v)});
    std::stable_sort(all.begin(), all.end(), [&](const auto& x, const auto& y) {
        return by_total ? x.total > y.total : lp(x.beam, x.token) > lp(y.beam, y.token);
    });
    all.resize(std::min<std::size_t>(width, all.size()));
    return all;
}
std::vector<tfm::BeamCandidate> beam_not_reranked(const std::vector<double>& lp0,
                                                  const arma::mat& lp, arma::uword width) {
    return beam(lp0, lp, width, false);
}
std::vector<tfm::BeamCandidate> beam_correct(const std::vector<double>& lp0, const arma::mat& lp,
                                             arma::uword width) {  // correct
    return beam(lp0, lp, width, true);
}

arma::mat head(const tfm::MultiHeadAttention& a, const arma::mat& query, const arma::mat& k,
               const arma::mat& v) {
    const arma::mat q = query * a.wq.weight.t() + a.wq.bias;
    const arma::mat w = tfm::softmax_rows(q * k.t() / std::sqrt(double(a.d_model)));
    return w * v * a.wo.weight.t() + a.wo.bias;
}
arma::mat kv_step(const arma::mat& x, const arma::mat& memory, arma::mat& k, arma::mat& v,
                  const tfm::MultiHeadAttention& self, const tfm::MultiHeadAttention& cross,
                  bool attend_first, bool cross_from_stream) {
    const arma::mat k_old = k, v_old = v;
    k.insert_rows(k.n_rows, x * self.wk.weight.t() + self.wk.bias);
    v.insert_rows(v.n_rows, x * self.wv.weight.t() + self.wv.bias);
    const arma::mat s = attend_first ? head(self, x, k_old, v_old) : head(self, x, k, v);
    const arma::mat& from = cross_from_stream ? s : memory;
    return head(cross, s, from * cross.wk.weight.t() + arma::repmat(cross.wk.bias, from.n_rows, 1),
                from * cross.wv.weight.t() + arma::repmat(cross.wv.bias, from.n_rows, 1));
}
arma::mat kv_cache_off_by_one(const arma::mat& x, const arma::mat& memory, arma::mat& k,
                              arma::mat& v, const tfm::MultiHeadAttention& self,
                              const tfm::MultiHeadAttention& cross) {
    return kv_step(x, memory, k, v, self, cross, true, false);
}
arma::mat kv_cache_cross_from_stream(const arma::mat& x, const arma::mat& memory, arma::mat& k,
                                     arma::mat& v, const tfm::MultiHeadAttention& self,
                                     const tfm::MultiHeadAttention& cross) {
    return kv_step(x, memory, k, v, self, cross, false, true);
}
arma::mat kv_cache_correct(const arma::mat& x, const arma::mat& memory, arma::mat& k, arma::mat& v,
                           const tfm::MultiHeadAttention& self,
                           const tfm::MultiHeadAttention& cross) {  // correct
    return kv_step(x, memory, k, v, self, cross, false, false);
}

// ── 11 ──
double lm_loss(const arma::mat& logits, const tfm::TokenIds& window, bool shifted, bool skip_pad) {
    double total = 0;
    int count = 0;
    for (arma::uword t = 0; t < logits.n_rows; ++t) {
        const arma::uword target = shifted ? window[t + 1] : window[t];
        if (skip_pad && target == tfm::Vocab::pad) continue;
        const arma::rowvec row = logits.row(t);
        total += std::log(arma::accu(arma::exp(row - row.max()))) + row.max() - row(target);
        ++count;
    }
    return count > 0 ? total / count : 0.0;
}
double lm_loss_not_shifted(const arma::mat& logits, const tfm::TokenIds& window) {
    return lm_loss(logits, window, false, true);
}
double lm_loss_over_padding(const arma::mat& logits, const tfm::TokenIds& window) {
    return lm_loss(logits, window, true, false);
}
double lm_loss_correct(const arma::mat& logits, const tfm::TokenIds& window) {  // correct
    return lm_loss(logits, window, true, true);
}

arma::uword step(tfm::Gpt& model, const tfm::TokenIds& ids, double t, double u, bool first_row,
                 bool times_t) {
    const arma::mat logits = model.forward(ids);
    const arma::rowvec row = first_row ? logits.row(0) : logits.row(logits.n_rows - 1);
    if (t == 0.0) return row.index_max();
    const arma::rowvec p = tfm::softmax_rows(times_t ? arma::mat(row * t) : arma::mat(row / t));
    double running = 0;
    for (arma::uword i = 0; i < p.n_elem; ++i)
        if ((running += p(i)) > u) return i;
    return p.n_elem - 1;
}
arma::uword generation_first_row(tfm::Gpt& model, const tfm::TokenIds& ids, double t, double u) {
    return step(model, ids, t, u, true, false);
}
arma::uword generation_times_t(tfm::Gpt& model, const tfm::TokenIds& ids, double t, double u) {
    return step(model, ids, t, u, false, true);
}
arma::uword generation_correct(tfm::Gpt& model, const tfm::TokenIds& ids, double t,
                               double u) {  // correct
    return step(model, ids, t, u, false, false);
}

// ── 12 ──
tfm::MaskedExample masking(const tfm::TokenIds& ids, const arma::mat& u, arma::uword V,
                           bool target_everywhere, bool replace_everywhere) {
    tfm::MaskedExample e{ids, tfm::TokenIds(ids.size(), tfm::Vocab::pad)};
    for (std::size_t t = 0; t < ids.size(); ++t) {
        if (ids[t] <= tfm::mask_id && ids[t] != tfm::Vocab::unk) continue;  // reserved
        const bool chosen = u(t, 0) < 0.15;
        if (chosen || target_everywhere) e.target[t] = ids[t];
        if (!chosen && !replace_everywhere) continue;
        if (u(t, 1) < 0.8)
            e.input[t] = tfm::mask_id;
        else if (u(t, 2) < 0.5)
            e.input[t] = 5 + static_cast<arma::uword>(std::floor(u(t, 3) * double(V - 5)));
    }
    return e;
}
tfm::MaskedExample masking_all_targets(const tfm::TokenIds& ids, const arma::mat& u,
                                       arma::uword V) {
    return masking(ids, u, V, true, false);
}
tfm::MaskedExample masking_replaces_all(const tfm::TokenIds& ids, const arma::mat& u,
                                        arma::uword V) {
    return masking(ids, u, V, false, true);
}
tfm::MaskedExample masking_correct(const tfm::TokenIds& ids, const arma::mat& u,
                                   arma::uword V) {  // correct
    return masking(ids, u, V, false, false);
}
// ── 13 ──
// RoPE by hand: pair i of row r turns by r / 10000^(twice·i / d); pairs (2i, 2i+1), or
// (i, i + d/2) when half_split.
arma::mat rope_rows(const arma::mat& x, bool half_split, double twice) {
    const arma::uword d = x.n_cols;
    arma::mat y = x;
    for (arma::uword r = 0; r < x.n_rows; ++r)
        for (arma::uword i = 0; i < d / 2; ++i) {
            const double angle = static_cast<double>(r) / std::pow(10000.0, twice * i / d);
            const arma::uword a = half_split ? i : 2 * i, b = half_split ? i + d / 2 : 2 * i + 1;
            y(r, a) = x(r, a) * std::cos(angle) - x(r, b) * std::sin(angle);
            y(r, b) = x(r, a) * std::sin(angle) + x(r, b) * std::cos(angle);
        }
    return y;
}
arma::mat attention_of(const arma::mat& q, const arma::mat& k, const arma::mat& v) {
    return tfm::softmax_rows(q * k.t() / std::sqrt(static_cast<double>(q.n_cols))) * v;
}
arma::mat rope_layouts_mixed(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                             bool half_split) {  // k always interleaved
    return attention_of(rope_rows(q, half_split, 2), rope_rows(k, false, 2), v);
}
arma::mat rope_angle_by_pair_index(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                   bool half_split) {  // 10000^(−i/d): the 2 forgotten
    return attention_of(rope_rows(q, half_split, 1), rope_rows(k, half_split, 1), v);
}
arma::mat rope_rotating_v(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                          bool half_split) {
    return attention_of(rope_rows(q, half_split, 2), rope_rows(k, half_split, 2),
                        rope_rows(v, half_split, 2));
}
arma::mat rope_correct(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                       bool half_split) {  // correct
    return attention_of(rope_rows(q, half_split, 2), rope_rows(k, half_split, 2), v);
}
// ── 14 ──
// Patches cut at every `step` pixels (step = p: right; fewer: overlapping windows), the
// grid read row by row or (by mistake) column by column.
arma::mat cut(const arma::mat& image, arma::uword p, arma::uword step, bool by_columns) {
    const arma::uword down = (image.n_rows - p) / step + 1, across = (image.n_cols - p) / step + 1;
    arma::mat out(down * across, p * p);
    for (arma::uword r = 0; r < down; ++r)
        for (arma::uword c = 0; c < across; ++c)
            for (arma::uword i = 0; i < p; ++i)
                for (arma::uword j = 0; j < p; ++j)
                    out(by_columns ? c * down + r : r * across + c, i * p + j) =
                        image(r * step + i, c * step + j);
    return out;
}
arma::mat patchify_columns_first(const arma::mat& image, arma::uword p) {
    return cut(image, p, p, true);
}
arma::mat patchify_overlapping(const arma::mat& image, arma::uword p) {  // windows every p/2
    return cut(image, p, p / 2, false);
}
arma::mat patchify_correct(const arma::mat& image, arma::uword p) {  // correct
    return cut(image, p, p, false);
}

}  // namespace zoo

// A wrong implementation is rejected, and the diagnosis names its mistake.
#define REJECTS(title, check, bug, phrase)           \
    TEST_CASE("bug zoo: " title) {                   \
        const std::string why = ex::check(zoo::bug); \
        INFO(why);                                   \
        CHECK_THAT(why, Catch::Contains(phrase));    \
    }
// A wrong implementation that matches no named mistake is reported by where it first
// differs, and no cause is guessed.
#define LOCATES(title, check, bug, phrase, not_phrase) \
    TEST_CASE("bug zoo, no named mistake: " title) {   \
        const std::string why = ex::check(zoo::bug);   \
        INFO(why);                                     \
        CHECK_THAT(why, Catch::Contains(phrase));      \
        CHECK_THAT(why, !Catch::Contains(not_phrase)); \
    }
// A correct implementation written apart from the core is accepted.
#define ACCEPTS(title, check, impl)                   \
    TEST_CASE("bug zoo control: " title) {            \
        const std::string why = ex::check(zoo::impl); \
        INFO(why);                                    \
        CHECK(why.empty());                           \
    }

REJECTS("an embedding lookup by column is caught", check_embedding_lookup, lookup_by_column,
        "columns of E instead of rows")
REJECTS("an embedding lookup scaled by sqrt(d_model) is caught", check_embedding_lookup,
        lookup_scaled, "√d_model")
ACCEPTS("one_hot(ids) times E passes the lookup check", check_embedding_lookup, lookup_by_one_hot)
REJECTS("positional encoding with sin and cos swapped is caught", check_positional_encoding,
        pe_sin_cos_swapped, "sin and cos swapped")
REJECTS("positional encoding with an integer exponent is caught", check_positional_encoding,
        pe_integer_exponent, "integer arithmetic")
ACCEPTS("a column-wise positional encoding passes", check_positional_encoding, pe_correct)
REJECTS("add_positions without sqrt(d_model) is caught", check_add_positions,
        add_positions_unscaled, "not multiplied by √d_model")

REJECTS("a linear layer multiplying by W instead of W^T is caught", check_linear,
        linear_not_transposed, "x·Wᵀ")
REJECTS("a linear layer without its bias is caught", check_linear, linear_without_bias,
        "bias was not added")
REJECTS("K projected with Wq is caught", check_qkv_projections, qkv_copy_paste,
        "K was computed with Wq")

REJECTS("softmax over columns is caught", check_softmax_rows, softmax_over_columns,
        "softmax taken over columns instead of rows")
REJECTS("softmax without subtracting the row maximum is caught", check_softmax_rows,
        softmax_without_max, "row maximum is not subtracted")
REJECTS("a mask applied after softmax is caught", check_softmax_rows, softmax_mask_after,
        "mask applied after softmax")
REJECTS("NaN for a fully blocked row is caught", check_softmax_rows, softmax_nan_when_all_blocked,
        "every position blocked gives NaN")
ACCEPTS("a loop-by-loop masked softmax passes", check_softmax_rows, softmax_correct)

REJECTS("attention without 1/sqrt(d_k) is caught", check_scaled_dot_product_attention,
        attention_unscaled, "not divided by √d_k")
REJECTS("attention divided by d_k is caught", check_scaled_dot_product_attention,
        attention_over_d_k, "divided by d_k instead of √d_k")
REJECTS("attention with K not transposed is caught", check_scaled_dot_product_attention,
        attention_k_not_transposed, "K was not transposed")
REJECTS("attention with the mask applied after softmax is caught",
        check_scaled_dot_product_attention, attention_mask_after, "mask applied after softmax")
ACCEPTS("attention written without the core passes", check_scaled_dot_product_attention,
        attention_correct)
LOCATES("0.05 added to one entry of attention's output is located, not blamed on the mask",
        check_scaled_dot_product_attention, attention_one_entry_off,
        "first differs at [0, 2] of [3 × 6] (expected 0, got 0.05)", "blocked")
LOCATES("attention scaled by 1.01 is located, not blamed on the softmax's row sums",
        check_scaled_dot_product_attention, attention_scaled_by_1_01, "first differs at [0, ",
        "sum to 1")
LOCATES("a softmax scaled by 1.01 is located, not blamed on the row sums", check_softmax_rows,
        softmax_scaled_by_1_01, "first differs at [0, 0] of [2 × 3] (expected 0.125, got 0.12625)",
        "sum to 1")

REJECTS("a causal mask that blocks the diagonal is caught", check_causal_mask,
        causal_diagonal_blocked, "off by one: the diagonal is blocked")
REJECTS("a causal mask that blocks the past is caught", check_causal_mask, causal_transposed,
        "transposed")
ACCEPTS("a causal mask from trimatu passes", check_causal_mask, causal_correct)
REJECTS("a padding mask over rows is caught", check_padding_mask, padding_by_rows, "transposed")

REJECTS("heads split as interleaved columns are caught", check_split_heads, split_interleaved,
        "interleaved")
ACCEPTS("heads split into contiguous blocks pass", check_split_heads, split_correct)
REJECTS("heads merged in reverse order are caught", check_merge_heads, merge_reversed,
        "heads merged in the wrong order")
REJECTS("heads stacked vertically are caught", check_merge_heads, merge_vertically,
        "stacked vertically")
REJECTS("multi-head attention scaled by sqrt(d_model) is caught", check_multi_head_attention,
        mha_scaled_by_d_model, "√d_model instead of √d_k")
REJECTS("multi-head attention without Wo is caught", check_multi_head_attention, mha_without_wo,
        "wo was not applied")
ACCEPTS("multi-head attention written without the core passes", check_multi_head_attention,
        mha_correct)

REJECTS("LayerNorm with eps outside the square root is caught", check_layer_norm,
        layer_norm_eps_outside, "ε added outside the square root")
REJECTS("LayerNorm with the sample variance is caught", check_layer_norm,
        layer_norm_sample_variance, "sample variance")
REJECTS("LayerNorm over columns is caught", check_layer_norm, layer_norm_over_columns,
        "over columns")
ACCEPTS("LayerNorm through var(x, 1, 1) passes", check_layer_norm, layer_norm_correct)
REJECTS("an FFN with ReLU after the second linear is caught", check_feed_forward,
        ffn_relu_after_second, "after the second linear")
REJECTS("an FFN with the tanh GELU is caught", check_feed_forward, ffn_gelu_tanh,
        "GELU approximated with tanh")
ACCEPTS("an FFN with erfc-based GELU passes", check_feed_forward, ffn_correct)

REJECTS("a softmax backward without the sum term is caught", check_softmax_rows_backward,
        softmax_backward_diagonal, "Σ_k w_k·dw_k term is missing")
REJECTS("a softmax backward summing over columns is caught", check_softmax_rows_backward,
        softmax_backward_over_columns, "summed over columns")
ACCEPTS("a softmax backward through the full Jacobian passes", check_softmax_rows_backward,
        softmax_backward_correct)
REJECTS("a LayerNorm backward that treats mean and variance as constants is caught",
        check_layer_norm_backward, layer_norm_backward_constant_stats, "μ and σ² as constants")
REJECTS("a LayerNorm backward with per-token parameter gradients is caught",
        check_layer_norm_backward, layer_norm_backward_unsummed, "sum over the rows")
ACCEPTS("the other textbook form of the LayerNorm backward passes", check_layer_norm_backward,
        layer_norm_backward_correct)
REJECTS("rescaling by the 2-norm instead of the spectral radius is caught",
        check_rescale_to_spectral_radius, rescale_by_norm, "largest singular value")
REJECTS("rescaling by the largest real part of the eigenvalues is caught",
        check_rescale_to_spectral_radius, rescale_by_real_part, "largest real part")
ACCEPTS("rescaling by max |eig_gen| passes", check_rescale_to_spectral_radius, rescale_correct)
REJECTS("a BPTT step with tanh' taken from h_{t-1} is caught", check_rnn_step_backward,
        rnn_backward_tanh_of_h_prev, "computed from h_{t−1}")
REJECTS("a BPTT step through w_hh transposed is caught", check_rnn_step_backward,
        rnn_backward_w_hh_transposed, "used w_hhᵀ")
REJECTS("a BPTT step with dw_hh transposed is caught", check_rnn_step_backward,
        rnn_backward_dw_hh_transposed, "dw_hh is transposed")
ACCEPTS("a hand-written BPTT step passes", check_rnn_step_backward, rnn_backward_correct)

REJECTS("an encoder layer without the residual around attention is caught", check_encoder_layer,
        encoder_without_attention_residual, "residual around self-attention is missing")
REJECTS("an encoder layer that ignores norm_first is caught", check_encoder_layer,
        encoder_always_post_ln, "pre-LN")
ACCEPTS("an encoder layer assembled from its pieces passes", check_encoder_layer, encoder_correct)
REJECTS("cross-attention over the decoder's own stream is caught", check_decoder_layer,
        decoder_cross_attends_to_itself, "must come from memory")
REJECTS("a decoder layer without the causal mask is caught", check_decoder_layer,
        decoder_without_causal_mask, "tgt_mask was not passed")
ACCEPTS("a decoder layer assembled from its pieces passes", check_decoder_layer, decoder_correct)
REJECTS("greedy decoding from the first row's logits is caught", check_greedy_decode,
        greedy_first_row, "LAST row")
REJECTS("greedy decoding that runs past eos is caught", check_greedy_decode, greedy_ignoring_eos,
        "did not stop at <eos>")
ACCEPTS("a hand-written greedy loop passes", check_greedy_decode, greedy_correct)

REJECTS("Adam without bias correction is caught", check_adam_step, adam_without_bias_correction,
        "no bias correction")
REJECTS("Adam with eps inside the square root is caught", check_adam_step, adam_eps_inside,
        "ε added inside the square root")
ACCEPTS("a hand-written Adam step passes", check_adam_step, adam_correct)

// ── 10 decoding ──
REJECTS("sampling from the logits instead of probabilities is caught", check_sampling_distribution,
        sampling_from_logits, "sampling from the logits instead of probabilities")
REJECTS("temperature applied after the softmax is caught", check_sampling_distribution,
        sampling_temperature_after_softmax, "temperature applied after the softmax")
ACCEPTS("a hand-written sampling filter passes", check_sampling_distribution, sampling_correct)
REJECTS("beams not re-ranked by their total score are caught", check_beam_step, beam_not_reranked,
        "beams not re-ranked by total score")
ACCEPTS("a hand-written beam step passes", check_beam_step, beam_correct)
REJECTS("a KV cache attended before the new row is appended is caught", check_kv_cache_step,
        kv_cache_off_by_one, "the cache position is off by one")
REJECTS("cross-attention K/V from the decoder's stream are caught", check_kv_cache_step,
        kv_cache_cross_from_stream, "cross-attention K/V recomputed from the wrong tensor")
ACCEPTS("a hand-written KV-cache step passes", check_kv_cache_step, kv_cache_correct)

// ── 11 GPT ──
REJECTS("a causal-LM loss with unshifted targets is caught", check_causal_lm_loss,
        lm_loss_not_shifted, "targets not shifted")
REJECTS("a causal-LM loss over the padding is caught", check_causal_lm_loss, lm_loss_over_padding,
        "counted the <pad> targets")
ACCEPTS("a hand-written causal-LM loss passes", check_causal_lm_loss, lm_loss_correct)
REJECTS("a generation step from the first position is caught", check_generation_step,
        generation_first_row, "LAST row")
REJECTS("a generation step multiplying by T is caught", check_generation_step, generation_times_t,
        "multiplied by T")
ACCEPTS("a hand-written generation step passes", check_generation_step, generation_correct)

// ── 12 BERT ──
REJECTS("a masking recipe whose loss counts all positions is caught", check_mlm_masking,
        masking_all_targets, "the loss counts all positions")
REJECTS("a masking recipe applying 80/10/10 to all tokens is caught", check_mlm_masking,
        masking_replaces_all, "applied to all tokens")
ACCEPTS("a hand-written masking recipe passes", check_mlm_masking, masking_correct)
// ── 13 positions ──
REJECTS("RoPE with the two layouts mixed is caught", check_rope_attention, rope_layouts_mixed,
        "the two layouts mixed")
REJECTS("RoPE with the angle's dimension index wrong is caught", check_rope_attention,
        rope_angle_by_pair_index, "the angle uses the dimension index wrongly")
REJECTS("RoPE rotating v too is caught", check_rope_attention, rope_rotating_v, "v was rotated too")
ACCEPTS("a hand-written RoPE attention passes", check_rope_attention, rope_correct)

// ── 14 images ──
REJECTS("patchify with the row/column order of patches swapped is caught", check_patchify,
        patchify_columns_first, "the row/column order of the patches is swapped")
REJECTS("patchify with overlapping patches is caught", check_patchify, patchify_overlapping,
        "the patches overlap")
ACCEPTS("a hand-written patchify passes", check_patchify, patchify_correct)
