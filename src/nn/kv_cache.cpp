#include "nn/kv_cache.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"

#include <algorithm>
#include <string>

namespace tfm {

KVCache::KVCache(arma::uword entries, arma::uword d_model, arma::uword capacity)
    : k_(entries, arma::mat(std::max<arma::uword>(capacity, 1), d_model)),
      v_(entries, arma::mat(std::max<arma::uword>(capacity, 1), d_model)),
      d_model_(d_model) {}

void KVCache::append(const arma::mat& k_rows, const arma::mat& v_rows) {
    require(k_rows.n_rows == entries() && v_rows.n_rows == entries() && k_rows.n_cols == d_model_ &&
                v_rows.n_cols == d_model_,
            [&] {
                return tr("the KV cache holds {1} entries of width {2}; appended K {3} and V {4}",
                          entries(), d_model_, shape_string(k_rows), shape_string(v_rows));
            });
    for (arma::uword b = 0; b < entries(); ++b) {
        if (length_ == k_[b].n_rows) {  // full: double the block, keep the rows
            k_[b].resize(2 * length_, d_model_);
            v_[b].resize(2 * length_, d_model_);
        }
        k_[b].row(length_) = k_rows.row(b);
        v_[b].row(length_) = v_rows.row(b);
    }
    ++length_;
}

void KVCache::assign(const arma::mat& k, const arma::mat& v) {
    require(entries() > 0 && k.n_rows % entries() == 0 && arma::size(k) == arma::size(v) &&
                k.n_cols == d_model_,
            [&] {
                return tr("the KV cache holds {1} entries of width {2}; assigned K {3} and V {4}",
                          entries(), d_model_, shape_string(k), shape_string(v));
            });
    length_ = k.n_rows / entries();
    for (arma::uword b = 0; b < entries(); ++b) {
        const arma::span rows(b * length_, (b + 1) * length_ - 1);
        k_[b] = k.rows(rows);
        v_[b] = v.rows(rows);
    }
}

void KVCache::reorder(const std::vector<arma::uword>& parents) {
    std::vector<arma::mat> k(parents.size()), v(parents.size());
    for (std::size_t b = 0; b < parents.size(); ++b) {
        require(parents[b] < entries(),
                [&] { return "reorder: no cache entry " + std::to_string(parents[b]); });
        k[b] = k_[parents[b]];
        v[b] = v_[parents[b]];
    }
    k_ = std::move(k);
    v_ = std::move(v);
}

void KVCache::truncate(arma::uword length) {
    require(length <= length_, [&] {
        return "truncate: the cache holds " + std::to_string(length_) + " rows, not " +
               std::to_string(length);
    });
    length_ = length;
}

arma::mat KVCache::keys(arma::uword b) const { return keys(b, arma::span(0, d_model_ - 1)); }
arma::mat KVCache::values(arma::uword b) const { return values(b, arma::span(0, d_model_ - 1)); }

arma::mat KVCache::keys(arma::uword b, const arma::span& cols) const {
    if (length_ == 0) return arma::mat(0, cols.b - cols.a + 1);
    return k_.at(b)(arma::span(0, length_ - 1), cols);
}

arma::mat KVCache::values(arma::uword b, const arma::span& cols) const {
    if (length_ == 0) return arma::mat(0, cols.b - cols.a + 1);
    return v_.at(b)(arma::span(0, length_ - 1), cols);
}

}  // namespace tfm
