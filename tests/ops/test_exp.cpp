#include "ops/exp.hpp"

#include "support/catch.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace tfm;

namespace {

// The distance between two doubles in units in the last place (both finite, same sign).
std::int64_t ulps(double a, double b) {
    std::int64_t ia = 0, ib = 0;
    std::memcpy(&ia, &a, sizeof a);
    std::memcpy(&ib, &b, sizeof b);
    return ia > ib ? ia - ib : ib - ia;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("exp_into is within 1 ulp of std::exp over the whole range", "[exp]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> wide(-750.0, 712.0), narrow(-20.0, 2.0);
    std::vector<double> x(1000000), y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = i % 2 ? wide(rng) : narrow(rng);
    exp_into(x.data(), y.data(), x.size());
    std::int64_t worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i], std::exp(x[i])));
    INFO("worst error " << worst << " ulp");
    CHECK(worst <= 1);
}

TEST_CASE("exp_into at the edges: 0, ±∞, NaN, overflow and subnormals", "[exp]") {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> x = {0.0,
                                   -0.0,
                                   1e-300,
                                   -1e-300,
                                   709.78,
                                   709.79,
                                   710.0,
                                   1e308,
                                   -740.0,
                                   -745.1,
                                   -745.2,
                                   -746.0,
                                   -1e308,
                                   inf,
                                   -inf,
                                   std::log(2.0) / 2,
                                   -std::log(2.0) / 2};
    std::vector<double> y(x.size());
    exp_into(x.data(), y.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        INFO("exp(" << x[i] << ") = " << y[i] << ", std::exp gives " << std::exp(x[i]));
        if (std::isinf(std::exp(x[i])) || std::exp(x[i]) == 0.0)
            CHECK(y[i] == std::exp(x[i]));
        else
            CHECK(ulps(y[i], std::exp(x[i])) <= 1);
    }
    CHECK(exp1(0.0) == 1.0);
    CHECK(std::isnan(exp1(std::numeric_limits<double>::quiet_NaN())));
    CHECK(std::fpclassify(exp1(-740.0)) == FP_SUBNORMAL);
}

TEST_CASE("a value's exp has the same bits alone, in a block, in place and at any tail", "[exp]") {
    std::mt19937_64 rng(3);
    std::normal_distribution<double> normal(0.0, 5.0);
    std::vector<double> x(37);
    for (double& v : x) v = normal(rng);
    for (std::size_t n = 1; n <= x.size(); ++n) {  // every tail length 0 … 7
        std::vector<double> y(n), in_place(x.begin(), x.begin() + n);
        exp_into(x.data(), y.data(), n);
        exp_into(in_place.data(), in_place.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
            INFO("n " << n << ", value " << i);
            CHECK(same_bits(y[i], exp1(x[i])));
            CHECK(same_bits(in_place[i], y[i]));
        }
    }
}
