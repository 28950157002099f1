#include "analysis/attention_gradients.hpp"

#include "analysis/gradient_distance.hpp"
#include "core/error.hpp"

#include <cmath>

namespace tfm {

arma::vec self_attention_input_gradient_norms(MultiHeadAttention& attention, const arma::mat& x,
                                              const arma::rowvec& g) {
    attention.zero_grad();
    attention.forward(x, x);
    const MultiHeadAttention::Grads grads = attention.backward(last_token_upstream(x.n_rows, g));
    // x is both the query input and the key/value input: its gradient is the sum.
    return row_norms(grads.dquery_in + grads.dkv_in);
}

arma::vec encoder_input_gradient_norms(Encoder& encoder, const arma::mat& x, const arma::rowvec& g) {
    encoder.zero_grad();
    encoder.forward(x);
    return row_norms(encoder.backward(last_token_upstream(x.n_rows, g)));
}

std::vector<ScoreScaleRow> score_scale_sweep(const MultiHeadAttention& attention, const arma::mat& x,
                                             const arma::rowvec& g, const std::vector<double>& scales) {
    std::vector<ScoreScaleRow> rows;
    for (double scale : scales) {
        require(std::isfinite(scale) && scale > 0.0, "score scales must be positive");
        MultiHeadAttention scaled = attention;
        scaled.wq.weight *= scale;
        scaled.wq.bias *= scale;
        ScoreScaleRow row;
        row.scale = scale;
        row.norms = self_attention_input_gradient_norms(scaled, x, g);
        double max_weight = 0.0;
        for (const AttentionResult& head : scaled.heads_) max_weight += head.weights.row(x.n_rows - 1).max();
        row.max_weight = max_weight / static_cast<double>(scaled.heads_.size());
        row.log10_spread = std::log10(row.norms.max() / row.norms.min());
        rows.push_back(row);
    }
    return rows;
}

}  // namespace tfm
