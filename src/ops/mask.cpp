#include "ops/mask.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "ops/sequence_rows.hpp"

namespace tfm {

namespace {

// Blocks key j for query i when j > i; rectangular when n_q ≠ n_k.
Mask future_positions(arma::uword n_q, arma::uword n_k) {
    Mask mask(n_q, n_k, arma::fill::zeros);
    for (arma::uword i = 0; i < n_q; ++i)
        for (arma::uword j = i + 1; j < n_k; ++j) mask(i, j) = 1;
    return mask;
}

}  // namespace

Mask causal_mask(arma::uword n) { return future_positions(n, n); }

Mask padding_mask(arma::uword n_q, const std::vector<bool>& key_is_pad) {
    Mask mask(n_q, key_is_pad.size(), arma::fill::zeros);
    for (arma::uword j = 0; j < key_is_pad.size(); ++j)
        if (key_is_pad[j]) mask.col(j).ones();
    return mask;
}

Mask combine_masks(const Mask& a, const Mask& b) {
    if (a.is_empty()) return b;
    if (b.is_empty()) return a;
    require(a.n_rows == b.n_rows && a.n_cols == b.n_cols, [&] {
        return tr("cannot combine masks of different shapes ({1} and {2})", shape_string(a),
                  shape_string(b));
    });
    Mask both = (a + b) > 0;
    return both;
}

Mask padding_rows(const std::vector<bool>& is_pad, arma::uword sequences) {
    const SequenceRows keys(is_pad.size(), sequences, N_("padding flags"));
    Mask rows(sequences, keys.length, arma::fill::zeros);
    bool any = false;
    for (arma::uword b = 0; b < sequences; ++b)
        for (arma::uword j = 0; j < keys.length; ++j)
            if (is_pad[keys.first(b) + j]) {
                rows(b, j) = 1;
                any = true;
            }
    return any ? rows : Mask();
}

Mask key_padding_mask(const Mask& key_padding, arma::uword n_q) {
    if (key_padding.is_empty()) return Mask();
    Mask mask(key_padding.n_rows * n_q, key_padding.n_cols);
    const SequenceRows queries(mask.n_rows, key_padding.n_rows);
    for (arma::uword b = 0; b < key_padding.n_rows; ++b)
        mask.rows(queries.of(b)) = arma::repmat(key_padding.row(b), n_q, 1);
    return mask;
}

Mask make_mask(const std::string& kind, arma::uword n_q, arma::uword n_k,
               const std::vector<bool>& key_is_pad) {
    if (kind == "none") return Mask();
    if (kind == "causal") return future_positions(n_q, n_k);
    if (kind == "padding") {
        // No flags at all means no key is padding.
        if (key_is_pad.empty()) return Mask(n_q, n_k, arma::fill::zeros);
        require(key_is_pad.size() == n_k, [&] {
            return tr("padding mask: {1} padding flags for {2} keys", key_is_pad.size(), n_k);
        });
        return padding_mask(n_q, key_is_pad);
    }
    throw InputError(tr("unknown mask '{1}' (expected none, causal or padding)", kind));
}

}  // namespace tfm
