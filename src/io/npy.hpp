// NumPy .npy files (format version 1.0 written; 1.0–3.0 read).
// Written: '<f8', C order, shape (rows, cols), or (n,) for a vector.
// Read: '<f8' or '<f4', C or Fortran order, 1-D (read as 1 × n) or 2-D.
// Anything else — wrong magic, truncated data, a header that lies about the size,
// big-endian or integer dtype, 3-D — throws InputError naming the file and the problem.
// The header is read first and checked against the file's size and the memory budget
// (core/budget.hpp) before the data is read: a 10 GiB file is one line, not an allocation.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>

namespace tfm {

arma::mat load_npy(const std::string& path);
// The shape alone (1-D as 1 × n), from the header, checked as load_npy checks it.
struct NpyShape {
    std::uint64_t rows = 0, cols = 0;
};
NpyShape read_npy_shape(const std::string& path);
// Writes atomically (temporary file, then rename): never a half-written file.
void save_npy(const std::string& path, const arma::mat& m);
void save_npy_vector(const std::string& path, const arma::rowvec& v);  // shape (n,)

}  // namespace tfm
