// Every random draw in the course flows from one seed (--seed, default 42), through
// Armadillo's generator, in a fixed order: same seed, same output, byte for byte.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>

namespace tfm {

// A generator of our own for the parameters drawn by name (draw_params): SplitMix64
// seeded from (seed, name, shape). Unlike std::normal_distribution its numbers are the
// same with every standard library, so a tensor's values are a property of the course.
class NamedGenerator {
public:
    NamedGenerator(std::uint64_t seed, const std::string& name, arma::uword rows, arma::uword cols);
    std::uint64_t next();  // 64 random bits
    double uniform01();    // [0, 1), 53 bits
    double normal();       // N(0, 1), Box–Muller
private:
    std::uint64_t state_;
    bool has_spare_ = false;
    double spare_ = 0.0;
};

// 64-bit FNV-1a of the bytes: a hash that is the same on every machine.
std::uint64_t stable_hash(const std::string& bytes);

void set_seed(std::uint64_t seed);

// Uniform on [-bound, bound] — PyTorch's default init for Linear uses bound = 1/√in.
arma::mat uniform(arma::uword rows, arma::uword cols, double bound);
// Normal(0, stddev²).
arma::mat normal(arma::uword rows, arma::uword cols, double stddev = 1.0);

}  // namespace tfm
