#include "model/footprint.hpp"

#include "core/budget.hpp"

namespace tfm {
namespace {

// a · b · c … with saturation.
std::uint64_t prod(std::initializer_list<std::uint64_t> factors) {
    std::uint64_t p = 1;
    for (std::uint64_t f : factors) p = mul_sat(p, f);
    return p;
}

std::uint64_t sum(std::initializer_list<std::uint64_t> terms) {
    std::uint64_t s = 0;
    for (std::uint64_t t : terms) s = add_sat(s, t);
    return s;
}

}  // namespace

Footprint footprint(const StackRun& r) {
    const std::uint64_t d = r.layer.d_model, f = r.layer.d_ff, h = r.layer.num_heads;
    const std::uint64_t n = r.rows, m = r.memory_rows ? r.memory_rows : r.rows, V = r.vocab;
    const std::uint64_t norms = r.decoder ? 3 : 2;
    // Keys per query: attention stays within one sequence of the batch.
    const std::uint64_t b = r.sequences ? r.sequences : 1;
    const std::uint64_t keys = (n + b - 1) / b, memory_keys = (m + b - 1) / b;

    const std::uint64_t params =
        sum({prod({r.decoder ? 8u : 4u, d, d}), prod({2, d, f}), f, prod({8 + 2 * norms, d})});
    std::uint64_t kept = sum({prod({10, n, d}), prod({4, h, n, keys}), prod({4, n, f}),
                              prod({4, n, d}), prod({6 * norms, n, d})});
    if (r.decoder)
        kept = sum({kept, prod({14, n, d}), prod({4, m, d}), prod({4, h, n, memory_keys})});
    const std::uint64_t embedding = sum({prod({2, V, d}), prod({n, V}), prod({6, n, d})});
    const std::uint64_t doubles =
        prod({2, sum({prod({r.layers, sum({prod({r.param_copies, params}), kept})}), embedding})});

    std::uint64_t layer_madds =
        sum({prod({4, n, d, d}), prod({2, n, keys, d}), prod({2, n, d, f})});
    if (r.decoder)
        layer_madds = sum(
            {layer_madds, prod({2, n, d, d}), prod({2, m, d, d}), prod({2, n, memory_keys, d})});
    const std::uint64_t madds = prod({3, sum({prod({r.layers, layer_madds}), prod({n, V, d})})});
    return {mul_sat(doubles, sizeof(double)), madds};
}

Footprint operator+(const Footprint& a, const Footprint& b) {
    return {add_sat(a.bytes, b.bytes), add_sat(a.madds, b.madds)};
}

}  // namespace tfm
