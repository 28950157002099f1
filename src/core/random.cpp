#include "core/random.hpp"

namespace tfm {

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
