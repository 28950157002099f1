#include "analysis/gradient_distance.hpp"

#include "core/error.hpp"

namespace tfm {

arma::mat last_token_upstream(arma::uword seq_len, const arma::rowvec& g) {
    require(seq_len >= 1, "a sequence needs at least one token");
    arma::mat dy(seq_len, g.n_elem, arma::fill::zeros);
    dy.row(seq_len - 1) = g;
    return dy;
}

arma::vec row_norms(const arma::mat& m) { return arma::sqrt(arma::sum(arma::square(m), 1)); }

arma::vec distances(arma::uword seq_len) {
    require(seq_len >= 1, "a sequence needs at least one token");
    return arma::reverse(arma::regspace<arma::vec>(0.0, static_cast<double>(seq_len) - 1.0));
}

arma::vec rnn_input_gradient_norms(VanillaRnn& rnn, const arma::mat& x, const arma::rowvec& g) {
    rnn.zero_grad();
    rnn.forward(x);
    return row_norms(rnn.backward(last_token_upstream(x.n_rows, g)));
}

}  // namespace tfm
