#include "ops/sequence_rows.hpp"

#include "core/error.hpp"

#include <string>

namespace tfm {

SequenceRows::SequenceRows(arma::uword rows, arma::uword sequences, const char* what)
    : sequences(sequences), length(sequences > 0 ? rows / sequences : 0) {
    require(sequences > 0 && rows % sequences == 0,
            std::to_string(rows) + " " + what + " do not split into " + std::to_string(sequences) +
                " sequences of one length");
}

}  // namespace tfm
