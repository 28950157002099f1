// "r × c": the one spelling of a matrix's shape in messages and on screen
// (the printer's "NAME [r × c]" headers, InputError texts).
#pragma once
#include <armadillo>
#include <string>

namespace tfm {

std::string shape_string(arma::uword rows, arma::uword cols);
inline std::string shape_string(const arma::mat& m) { return shape_string(m.n_rows, m.n_cols); }
inline std::string shape_string(const arma::umat& m) { return shape_string(m.n_rows, m.n_cols); }

}  // namespace tfm
