// Shared by the file-format tests (.npy, .safetensors): files written by hand into a
// temporary directory, the check that a malformed one is rejected cleanly, and
// bit-for-bit comparison of what comes back.
#pragma once
#include <armadillo>

#include <functional>
#include <string>

namespace tfm::test {

// Writes `bytes` to `file_name` in a fresh temporary directory; returns the file's path.
std::string write_temp_file(const std::string& file_name, const std::string& bytes);

// Writes `bytes` to a fresh `file_name` and expects `load` to reject it with an InputError
// whose message is one line that names the file and contains `problem`. `loader` names
// `load` in the failure when it accepts the file.
void check_rejected(const std::string& loader, const std::function<void(const std::string&)>& load,
                    const std::string& file_name, const std::string& bytes,
                    const std::string& problem);

// Same shape and the same bits in every element (so −0.0 ≠ 0.0, and infinities compare).
bool same_bits(const arma::mat& a, const arma::mat& b);

}  // namespace tfm::test
