#include "analysis/cost.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

extern "C" void openblas_set_num_threads(int);
extern "C" int openblas_get_num_threads(void);

namespace tfm {

std::uint64_t matmul_madds(std::uint64_t rows, std::uint64_t inner, std::uint64_t cols) {
    return rows * inner * cols;
}

AttentionCost multi_head_attention_cost(arma::uword seq_len, arma::uword d_model,
                                        arma::uword num_heads, arma::uword d_k) {
    const std::uint64_t n = seq_len, d = d_model, h = num_heads, dk = d_k;
    AttentionCost cost{seq_len, d_model, num_heads, d_k, 0, 0, 0, 0};
    cost.projections = 3 * matmul_madds(n, d, h * dk);
    cost.scores = h * matmul_madds(n, dk, n);
    cost.mixing = h * matmul_madds(n, n, dk);
    cost.output = matmul_madds(n, h * dk, d);
    return cost;
}

std::uint64_t self_attention_macs(std::uint64_t seq_len, std::uint64_t d_model) {
    return multi_head_attention_cost(seq_len, d_model, 1, d_model).total();
}

std::uint64_t rnn_macs(std::uint64_t seq_len, std::uint64_t d_in, std::uint64_t d_hidden) {
    return seq_len * (matmul_madds(1, d_hidden, d_hidden) + matmul_madds(1, d_in, d_hidden));
}

std::uint64_t rnn_dependent_steps(std::uint64_t seq_len) { return seq_len; }

double median_seconds(const std::function<void()>& work, int repeats, double min_batch_seconds) {
    require(repeats >= 1, tr("median_seconds needs at least one repeat"));
    using clock = std::chrono::steady_clock;
    auto seconds_of = [&](long calls) {
        const clock::time_point start = clock::now();
        for (long i = 0; i < calls; ++i) work();
        return std::chrono::duration<double>(clock::now() - start).count();
    };
    const double first = seconds_of(1);  // warm-up: caches, page faults, BLAS thread start
    long batch = 1;
    if (first < min_batch_seconds)
        batch = static_cast<long>(min_batch_seconds / std::max(first, 1e-9)) + 1;
    std::vector<double> per_call;
    for (int r = 0; r < repeats; ++r)
        per_call.push_back(seconds_of(batch) / static_cast<double>(batch));
    std::nth_element(per_call.begin(), per_call.begin() + per_call.size() / 2, per_call.end());
    return per_call[per_call.size() / 2];
}

int blas_threads() { return openblas_get_num_threads(); }

void set_blas_threads(int threads) {
    require(threads >= 1, tr("BLAS thread count must be at least 1"));
    openblas_set_num_threads(threads);
}

}  // namespace tfm
