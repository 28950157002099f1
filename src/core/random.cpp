#include "core/random.hpp"

#include <cmath>

namespace tfm {

std::uint64_t stable_hash(const std::string& bytes) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

NamedGenerator::NamedGenerator(std::uint64_t seed, const std::string& name, arma::uword rows,
                               arma::uword cols)
    : state_(stable_hash(std::to_string(seed) + "/" + name + "/" + std::to_string(rows) + "x" +
                         std::to_string(cols))) {}

std::uint64_t NamedGenerator::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double NamedGenerator::uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double NamedGenerator::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform01()));
    const double angle = 2.0 * M_PI * uniform01();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
}

void set_seed(std::uint64_t seed) { arma::arma_rng::set_seed(seed); }

arma::mat uniform(arma::uword rows, arma::uword cols, double bound) {
    arma::mat m(rows, cols, arma::fill::randu);  // [0, 1)
    return (2.0 * m - 1.0) * bound;
}

arma::mat normal(arma::uword rows, arma::uword cols, double stddev) {
    arma::mat m(rows, cols, arma::fill::randn);
    return m * stddev;
}

}  // namespace tfm
