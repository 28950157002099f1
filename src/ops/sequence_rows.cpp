#include "ops/sequence_rows.hpp"

#include "core/error.hpp"

#include <string>

namespace tfm {

SequenceRows::SequenceRows(arma::uword rows, arma::uword sequences, const char* what)
    : sequences(sequences), length(sequences > 0 ? rows / sequences : 0) {
    require(sequences > 0 && rows % sequences == 0, [&] {
        return tr("{1} {2} do not split into {3} sequences of one length", rows, tr(what),
                  sequences);
    });
}

}  // namespace tfm
