// "r × c": the one spelling of a matrix's shape in messages and on screen
// (the printer's "NAME [r × c]" headers, InputError texts), and the checks every
// matrix read from a file passes (--input, --memory, --grad-output, weight files).
#pragma once
#include <armadillo>
#include <string>

namespace tfm {

std::string shape_string(arma::uword rows, arma::uword cols);
inline std::string shape_string(const arma::mat& m) { return shape_string(m.n_rows, m.n_cols); }
inline std::string shape_string(const arma::umat& m) { return shape_string(m.n_rows, m.n_cols); }

// InputError "WHAT: entry [i, j] is nan; every entry must be a finite number" for the
// first entry, row by row, that is NaN or ±infinity (a NaN in X is NaN in every output).
void require_finite(const std::string& what, const arma::mat& m);

// The learner's matrix: `rows` × `cols` (rows = 0: any number of rows, at least one),
// every entry finite. InputError "WHAT is r × c, need SHAPE" with `need` describing the
// shape in the lesson's words ("n × d_model (8 columns)"), or require_finite's.
void require_matrix(const std::string& what, const arma::mat& m, arma::uword rows, arma::uword cols,
                    const std::string& need);

}  // namespace tfm
