// Every random draw in the course flows from one seed (--seed, default 42), through
// Armadillo's generator, in a fixed order: same seed, same output, byte for byte.
#pragma once
#include <armadillo>
#include <cstdint>

namespace tfm {

void set_seed(std::uint64_t seed);

// Uniform on [-bound, bound] — PyTorch's default init for Linear uses bound = 1/√in.
arma::mat uniform(arma::uword rows, arma::uword cols, double bound);
// Normal(0, stddev²).
arma::mat normal(arma::uword rows, arma::uword cols, double stddev = 1.0);

}  // namespace tfm
