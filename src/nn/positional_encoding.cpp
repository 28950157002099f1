#include "nn/positional_encoding.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>
#include <string>

namespace tfm {

arma::rowvec positional_encoding_row(arma::uword pos, arma::uword d_model) {
    arma::rowvec pe(d_model);
    for (arma::uword col = 0; col < d_model; ++col) {
        // Columns 2i and 2i+1 share the frequency 1 / 10000^(2i / d_model).
        const double two_i = static_cast<double>(col - col % 2);
        const double angle =
            static_cast<double>(pos) / std::pow(10000.0, two_i / static_cast<double>(d_model));
        pe(col) = col % 2 == 0 ? std::sin(angle) : std::cos(angle);
    }
    return pe;
}

arma::mat sinusoidal_shift(arma::uword k, arma::uword d_model) {
    require(d_model > 0 && d_model % 2 == 0, [&] {
        return tr("the sinusoidal shift pairs columns: d_model = {1} is not even", d_model);
    });
    arma::mat m(d_model, d_model, arma::fill::zeros);
    for (arma::uword col = 0; col < d_model; col += 2) {
        const double b = static_cast<double>(k) /
                         std::pow(10000.0, static_cast<double>(col) / static_cast<double>(d_model));
        // [sin a, cos a] · [[cos b, −sin b], [sin b, cos b]] = [sin(a+b), cos(a+b)]
        m(col, col) = std::cos(b);
        m(col, col + 1) = -std::sin(b);
        m(col + 1, col) = std::sin(b);
        m(col + 1, col + 1) = std::cos(b);
    }
    return m;
}

arma::mat positional_encoding(arma::uword seq_len, arma::uword d_model) {
    arma::mat pe(seq_len, d_model);
    for (arma::uword pos = 0; pos < seq_len; ++pos)
        pe.row(pos) = positional_encoding_row(pos, d_model);
    return pe;
}

arma::mat add_positions(const arma::mat& embeddings, arma::uword sequences) {
    require(sequences > 0 && embeddings.n_rows % sequences == 0, [&] {
        return tr("{1} rows do not split into {2} sequences of one length", embeddings.n_rows,
                  sequences);
    });
    const double scale = std::sqrt(static_cast<double>(embeddings.n_cols));
    const arma::mat pe = positional_encoding(embeddings.n_rows / sequences, embeddings.n_cols);
    arma::mat x = embeddings * scale + arma::repmat(pe, sequences, 1);
    return x;
}

}  // namespace tfm
