#include "core/shape.hpp"

namespace tfm {

std::string shape_string(arma::uword rows, arma::uword cols) {
    return std::to_string(rows) + " × " + std::to_string(cols);
}

}  // namespace tfm
