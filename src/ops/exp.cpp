#include "ops/exp.hpp"

#include <cstring>

// The helpers below return 64-byte vectors, whose calling convention differs with and
// without AVX-512; they are always inlined, so no such call is ever made.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace tfm {

namespace {

constexpr int kLanes = 8;
typedef double Vec __attribute__((vector_size(kLanes * sizeof(double))));
typedef long long Ints __attribute__((vector_size(kLanes * sizeof(long long))));

// ln 2 in two parts (fdlibm's): n · kLn2Hi is exact for |n| < 2^11, so r = x − n · ln 2
// loses nothing to rounding.
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
// 1.5 · 2^52: adding it rounds a double below 2^51 to the nearest integer.
constexpr double kShifter = 6755399441055744.0;
// Below −746 every result is 0, above 710 every result is +∞.
constexpr double kLowest = -746.0, kHighest = 710.0;

inline __attribute__((always_inline)) Ints bits_of(const Vec& v) {
    Ints out;
    std::memcpy(&out, &v, sizeof out);
    return out;
}

inline __attribute__((always_inline)) Vec from_bits(const Ints& bits) {
    Vec out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

// 2^k as a double, for −1022 ≤ k ≤ 1023: the exponent field alone.
inline __attribute__((always_inline)) Vec power_of_two(const Ints& k) {
    return from_bits((k + 1023) << 52);
}

inline __attribute__((always_inline)) Vec splat(double v) {
    Vec out;
    for (int i = 0; i < kLanes; ++i) out[i] = v;
    return out;
}

inline __attribute__((always_inline)) Vec exp_lanes(const Vec& x) {
    // A lane below −746 (a blocked score's −∞ among them) is 0, chosen at the end: its
    // arithmetic runs on 0 instead, because a product that underflows costs the processor a
    // hundred cycles or more (a microcode assist), and the softmax of a causal mask has a
    // −∞ in every other score. NaN runs on 0 too and comes out as itself ((x == x) is
    // false only for NaN).
    // (Each choice is one comparison inside ?:, the form GCC turns into a vector compare and
    // blend; masks combined with && or & it takes apart into one lane at a time.)
    Vec clamped = x < kLowest ? splat(0.0) : x;
    clamped = clamped == clamped ? clamped : splat(0.0);
    clamped = clamped > kHighest ? splat(kHighest) : clamped;

    // x / ln 2 + 1.5 · 2^52 holds the nearest integer n to x / ln 2 in its low bits.
    const Vec shifted = clamped * kInvLn2 + kShifter;
    const Vec n = shifted - kShifter;
    const Ints k = bits_of(shifted) - bits_of(splat(kShifter));
    const Vec r = (clamped - n * kLn2Hi) - n * kLn2Lo;

    // exp(r) = 1 + r + r² · (1/2! + r/3! + … + r¹¹/13!), the bracket in Estrin's order:
    // pairs first, then pairs of pairs, so the eight lanes' multiplications overlap.
    const Vec r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const Vec p01 = 1.0 / 2 + r * (1.0 / 6);
    const Vec p23 = 1.0 / 24 + r * (1.0 / 120);
    const Vec p45 = 1.0 / 720 + r * (1.0 / 5040);
    const Vec p67 = 1.0 / 40320 + r * (1.0 / 362880);
    const Vec p89 = 1.0 / 3628800 + r * (1.0 / 39916800);
    const Vec p1011 = 1.0 / 479001600 + r * (1.0 / 6227020800);
    const Vec bracket = (p01 + r2 * p23) + r4 * (p45 + r2 * p67) + r8 * (p89 + r2 * p1011);
    const Vec e = 1.0 + (r + r2 * bracket);

    // 2^n in two factors, each a normal double, so a subnormal result is rounded once, by
    // the last multiplication, and 2^1024 overflows to +∞ as it should.
    const Ints k1 = ((k + 1100) >> 1) - 550;
    const Vec out = (e * power_of_two(k1)) * power_of_two(k - k1);
    const Vec out_or_zero = x < kLowest ? splat(0.0) : out;
    return x == x ? out_or_zero : x;
}

// The clones: the same source compiled for AVX-512, AVX2 and plain x86-64, the best one the
// processor has chosen once at start-up. (Not under the sanitizers, nor with clang: one
// version there.)
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_ADDRESS__)
#define TFM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TFM_CLONES
#endif

TFM_CLONES void exp_blocks(const double* x, double* y, std::size_t n) {
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        Vec v;
        std::memcpy(&v, x + i, sizeof v);
        v = exp_lanes(v);
        std::memcpy(y + i, &v, sizeof v);
    }
    if (i < n) {  // the tail in a block of its own, padded with zeros
        Vec v = splat(0.0);
        std::memcpy(&v, x + i, (n - i) * sizeof(double));
        v = exp_lanes(v);
        std::memcpy(y + i, &v, (n - i) * sizeof(double));
    }
}

}  // namespace

void exp_into(const double* x, double* y, std::size_t n) { exp_blocks(x, y, n); }

double exp1(double x) {
    double y = 0.0;
    exp_blocks(&x, &y, 1);
    return y;
}

}  // namespace tfm
