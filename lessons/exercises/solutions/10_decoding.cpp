// Reference solutions for lesson 10: the course's sampling filters and beam step
// (src/decode/), and its KV cache (MultiHeadAttention::forward_step and attend).
#include "exercises.hpp"

#include "decode/sampling.hpp"
#include "decode/search.hpp"
#include "nn/kv_cache.hpp"

namespace ex {

arma::rowvec sampling_distribution(const arma::rowvec& logits, double temperature,
                                   arma::uword top_k, double top_p) {
    tfm::SamplingOptions options;
    options.temperature = temperature;
    options.top_k = top_k;
    options.top_p = top_p;
    return tfm::sampling_distribution(logits, options);
}

std::vector<tfm::BeamCandidate> beam_step(const std::vector<double>& beam_log_probs,
                                          const arma::mat& log_probs, arma::uword width) {
    return tfm::beam_step(beam_log_probs, log_probs, width);
}

arma::mat kv_cache_step(const arma::mat& x_new, const arma::mat& memory, arma::mat& k_cache,
                        arma::mat& v_cache, const tfm::MultiHeadAttention& self_attn,
                        const tfm::MultiHeadAttention& cross_attn) {
    tfm::MultiHeadAttention self = self_attn, cross = cross_attn;  // forward caches: copies
    tfm::KVCache cache(1, self.d_model, k_cache.n_rows + 1);
    for (arma::uword t = 0; t < k_cache.n_rows; ++t) cache.append(k_cache.row(t), v_cache.row(t));
    const arma::mat s = self.forward_step(x_new, cache);
    k_cache = cache.keys(0);
    v_cache = cache.values(0);
    return cross.attend(s, cross.project_memory(memory, 1), {0});
}

}  // namespace ex
