// The bookkeeping of a batch: B sequences of one length n stacked by rows, so that one
// matrix product serves them all. Sequence b is rows b·n … (b+1)·n − 1.
//   const SequenceRows queries(q.n_rows, sequences, N_("query rows"));
//   for (arma::uword b = 0; b < queries.sequences; ++b) … q.rows(queries.of(b)) …
#pragma once
#include "core/i18n.hpp"

#include <armadillo>

namespace tfm {

struct SequenceRows {
    // InputError unless `sequences` ≥ 1 divides `rows`; `what` names the rows in it, an
    // N_("…") literal the message translates.
    SequenceRows(arma::uword rows, arma::uword sequences, const char* what = N_("rows"));

    arma::span of(arma::uword b) const { return arma::span(b * length, (b + 1) * length - 1); }
    arma::uword first(arma::uword b) const { return b * length; }
    arma::uword last(arma::uword b) const { return (b + 1) * length - 1; }

    arma::uword sequences;  // B
    arma::uword length;     // n, rows per sequence
};

}  // namespace tfm
