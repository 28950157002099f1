// The checks of lesson 10, decoding (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "decode/sampling.hpp"
#include "decode/search.hpp"
#include "nn/kv_cache.hpp"
#include "nn/multi_head_attention.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ex {

using namespace check;

namespace {

// ── models of the right computation and of the usual mistakes, apart from src/ ──

arma::rowvec softmax_of(const arma::rowvec& x) {
    const arma::rowvec e = arma::exp(x - x.max());
    return e / arma::accu(e);
}

// Token ids, most likely first, equal values by the lower id.
std::vector<arma::uword> ranked(const arma::rowvec& p) {
    std::vector<arma::uword> order(p.n_elem);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](arma::uword a, arma::uword b) { return p(a) > p(b); });
    return order;
}

arma::rowvec keep(const arma::rowvec& p, std::size_t n, bool renormalise = true) {
    const std::vector<arma::uword> order = ranked(p);
    arma::rowvec out(p.n_elem, arma::fill::zeros);
    for (std::size_t i = 0; i < std::min(n, order.size()); ++i) out(order[i]) = p(order[i]);
    return renormalise ? arma::rowvec(out / arma::accu(out)) : out;
}

enum class TopP { smallest, one_more, strictly_above };
arma::rowvec nucleus(const arma::rowvec& p, double top_p, TopP rule = TopP::smallest) {
    if (top_p >= 1.0) return p;
    const std::vector<arma::uword> order = ranked(p);
    const double total = arma::accu(p);
    double mass = 0.0;
    std::size_t n = 0;
    const auto short_of = [&] {
        return rule == TopP::strictly_above ? mass <= top_p * total
                                            : mass < top_p * total * (1 - 1e-12);
    };
    while (n < order.size() && short_of()) mass += p(order[n++]);
    if (rule == TopP::one_more) n = std::min(n + 1, order.size());
    return keep(p, std::max<std::size_t>(n, 1));
}

struct SamplingMistakes {
    bool temperature_after = false, temperature_after_unnormalised = false, from_logits = false,
         no_renormalise = false;
    TopP top_p_rule = TopP::smallest;
};
arma::rowvec model_sampling(const arma::rowvec& logits, double t, arma::uword k, double top_p,
                            SamplingMistakes m = {}) {
    arma::rowvec p;
    if (m.from_logits)
        p = logits;
    else if (t == 0.0) {
        p.zeros(logits.n_elem);
        p(logits.index_max()) = 1.0;
    } else if (m.temperature_after || m.temperature_after_unnormalised)
        p = softmax_of(logits) / t;
    else
        p = softmax_of(logits / t);
    if (m.temperature_after && !m.temperature_after_unnormalised) p /= arma::accu(p);
    if (k > 0 && k < p.n_elem) p = keep(p, k, !m.no_renormalise && !m.from_logits);
    if (m.from_logits) return p;
    return nucleus(p, top_p, m.top_p_rule);
}

bool same_row(const arma::rowvec& a, const arma::rowvec& b) {
    return a.n_elem == b.n_elem && arma::approx_equal(a, b, "absdiff", kTol);
}

}  // namespace

std::string check_sampling_distribution(decltype(&sampling_distribution) candidate) {
    // Seven tokens; two pairs of equal logits so that ties are tested, and negative logits
    // so that a distribution made of logits shows.
    //   logits            0.5  2.0  -1.0  2.0  1.0  -3.0  0.5
    const arma::rowvec logits = {0.5, 2.0, -1.0, 2.0, 1.0, -3.0, 0.5};
    struct Case {
        double t;
        arma::uword k;
        double p;
        const char* what;
    };
    const std::vector<Case> cases = {{1.0, 0, 1.0, "T 1, no filter"},
                                     {0.5, 0, 1.0, "T 0.5"},
                                     {2.0, 0, 1.0, "T 2"},
                                     {0.0, 0, 1.0, "T 0"},
                                     {1.0, 3, 1.0, "top-k 3"},
                                     {1.5, 4, 1.0, "T 1.5, top-k 4 (a tie at the cut)"},
                                     {1.0, 0, 0.5, "top-p 0.5"},
                                     {1.0, 0, 0.8, "top-p 0.8"},
                                     {2.0, 5, 0.9, "T 2, top-k 5, top-p 0.9"}};
    for (const Case& c : cases) {
        tfm::SamplingOptions o;
        o.temperature = c.t;
        o.top_k = c.k;
        o.top_p = c.p;
        const arma::rowvec want = tfm::sampling_distribution(logits, o);
        if (!same_row(want, model_sampling(logits, c.t, c.k, c.p)))
            return "the course's sampling_distribution disagrees with the formulas (a bug in "
                   "src/, not in your code)";
        arma::rowvec got;
        const std::string why =
            attempt([&] { got = candidate(logits, c.t, c.k, c.p); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same_row(got, want)) continue;
        const std::string when = std::string(" (") + c.what + ")";
        const auto is = [&](SamplingMistakes m) {
            return same_row(got, model_sampling(logits, c.t, c.k, c.p, m));
        };
        SamplingMistakes from_logits, after, after_raw, no_renorm, one_more, above;
        from_logits.from_logits = after.temperature_after = true;
        after_raw.temperature_after_unnormalised = no_renorm.no_renormalise = true;
        one_more.top_p_rule = TopP::one_more;
        above.top_p_rule = TopP::strictly_above;
        if (got.n_elem == logits.n_elem && (is(from_logits) || got.min() < 0.0))
            return "sampling from the logits instead of probabilities: take softmax(logits / T) "
                   "first; the filters and the draw work on probabilities" +
                   when;
        if (c.t != 1.0 && c.t != 0.0 && (is(after) || is(after_raw)))
            return "temperature applied after the softmax: divide the logits by T, then take "
                   "the softmax (dividing probabilities by T changes nothing but their sum)" +
                   when;
        if (is(no_renorm))
            return "the kept probabilities were not renormalised: divide them by their sum" + when;
        if (c.p < 1.0 && is(one_more))
            return "top-p kept one token too many: stop as soon as the kept mass reaches p" + when;
        if (c.p < 1.0 && is(above))
            return "top-p must stop when the kept mass is ≥ p, not only when it exceeds p" + when;
        if (c.k > 0 && got.n_elem == logits.n_elem && arma::accu(got > 0) == c.k)
            return "top-k kept the wrong tokens: rank by probability, equal ones by the lower id" +
                   when;
        if (c.t == 0.0)
            return "T = 0 means greedy: all the mass on the arg-max (the lower id on ties)" + when;
        return difference(want, got) + when;
    }
    return "";
}

namespace {

enum class BeamMistake { none, by_token_only, per_beam, ascending, total_not_kept };
std::vector<tfm::BeamCandidate> model_beam(const std::vector<double>& lp0, const arma::mat& lp,
                                           arma::uword width, BeamMistake m = BeamMistake::none) {
    std::vector<tfm::BeamCandidate> all;
    for (arma::uword b = 0; b < lp.n_rows; ++b)
        for (arma::uword v = 0; v < lp.n_cols; ++v) all.push_back({b, v, lp0[b] + lp(b, v)});
    const auto key = [&](const tfm::BeamCandidate& c) {
        return m == BeamMistake::by_token_only ? lp(c.beam, c.token) : c.total;
    };
    std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
        return m == BeamMistake::ascending ? key(a) < key(b) : key(a) > key(b);
    });
    if (m == BeamMistake::per_beam) {  // each beam's best `width / beams` tokens, beam by beam
        std::vector<tfm::BeamCandidate> out;
        const arma::uword each = std::max<arma::uword>(1, width / lp.n_rows);
        for (arma::uword b = 0; b < lp.n_rows; ++b) {
            arma::uword taken = 0;
            for (const auto& c : all)
                if (c.beam == b && taken < each) {
                    out.push_back(c);
                    ++taken;
                }
        }
        all = out;
    }
    if (m == BeamMistake::total_not_kept)
        for (auto& c : all) c.total = lp(c.beam, c.token);
    all.resize(std::min<std::size_t>(width, all.size()));
    return all;
}

bool same_beams(const std::vector<tfm::BeamCandidate>& a,
                const std::vector<tfm::BeamCandidate>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].beam != b[i].beam || a[i].token != b[i].token ||
            !(std::abs(a[i].total - b[i].total) <= kTol))
            return false;
    return true;
}

std::string listed(const std::vector<tfm::BeamCandidate>& c) {
    std::string out = "[";
    for (std::size_t i = 0; i < c.size(); ++i)
        out += (i ? ", " : "") + std::string("(beam ") + std::to_string(c[i].beam) + ", token " +
               std::to_string(c[i].token) + ", " + num(c[i].total) + ")";
    return out + "]";
}

}  // namespace

std::string check_beam_step(decltype(&beam_step) candidate) {
    // Three beams of very different totals over five tokens: the best extensions of the
    // best beam are not the most likely tokens, so ranking by the new token alone shows.
    // Equal totals in case T (all zero) test the order of ties.
    tfm::set_seed(1010);
    const arma::mat lp = arma::log(arma::normalise(arma::exp(tfm::normal(3, 5, 2.0)), 1, 1));
    const std::vector<double> lp0 = {-0.2, -3.5, -1.1};
    struct Case {
        std::vector<double> lp0;
        arma::mat lp;
        arma::uword width;
        const char* what;
    };
    const std::vector<Case> cases = {
        {lp0, lp, 4, "3 beams, width 4"},
        {lp0, lp, 1, "width 1"},
        {{0.0, 0.0}, arma::mat(2, 3, arma::fill::zeros), 4, "equal totals"}};
    for (const Case& c : cases) {
        const std::vector<tfm::BeamCandidate> want = tfm::beam_step(c.lp0, c.lp, c.width);
        if (!same_beams(want, model_beam(c.lp0, c.lp, c.width)))
            return "the course's beam_step disagrees with the formulas (a bug in src/, not in "
                   "your code)";
        std::vector<tfm::BeamCandidate> got;
        const std::string why =
            attempt([&] { got = candidate(c.lp0, c.lp, c.width); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same_beams(got, want)) continue;
        const std::string when = std::string(" (") + c.what + ")";
        const auto is = [&](BeamMistake m) {
            return same_beams(got, model_beam(c.lp0, c.lp, c.width, m));
        };
        if (is(BeamMistake::by_token_only))
            return "beams not re-ranked by total score: rank every (beam, token) by "
                   "beam_log_probs[beam] + log_probs(beam, token), not by the new token's "
                   "log-probability alone" +
                   when;
        if (is(BeamMistake::total_not_kept))
            return "the total must be beam_log_probs[beam] + log_probs(beam, token), not the "
                   "new token's log-probability" +
                   when;
        if (is(BeamMistake::per_beam))
            return "the best candidates were chosen beam by beam: rank all beams' extensions "
                   "together, so a strong beam may keep every slot" +
                   when;
        if (is(BeamMistake::ascending))
            return "the worst candidates came first: sort by total, largest first" + when;
        if (got.size() != want.size())
            return "returned " + std::to_string(got.size()) +
                   " candidates, expected width = " + std::to_string(want.size()) + when;
        return "chose " + listed(got) + ", expected " + listed(want) + when;
    }
    return "";
}

namespace {

enum class CacheMistake { none, attend_before_append, overwrite_last, cross_from_x, cross_from_s };

// One head: softmax(q·Kᵀ/√d)·V·woᵀ + bo.
arma::mat one_head(const tfm::MultiHeadAttention& a, const arma::mat& q_in, const arma::mat& k,
                   const arma::mat& v) {
    const arma::mat q = q_in * a.wq.weight.t() + a.wq.bias;
    const arma::mat scores = q * k.t() / std::sqrt(double(a.d_model));
    return softmax_of(arma::rowvec(scores)) * v * a.wo.weight.t() + a.wo.bias;
}

struct CacheResult {
    arma::mat c, k, v;
};
CacheResult model_cache_step(const arma::mat& x, const arma::mat& memory, arma::mat k, arma::mat v,
                             const tfm::MultiHeadAttention& self,
                             const tfm::MultiHeadAttention& cross,
                             CacheMistake m = CacheMistake::none) {
    const arma::mat k_new = x * self.wk.weight.t() + self.wk.bias;
    const arma::mat v_new = x * self.wv.weight.t() + self.wv.bias;
    const arma::mat k_old = k, v_old = v;
    if (m == CacheMistake::overwrite_last && k.n_rows > 0) {
        k.row(k.n_rows - 1) = k_new;
        v.row(v.n_rows - 1) = v_new;
    } else {
        k = arma::join_cols(k, k_new);
        v = arma::join_cols(v, v_new);
    }
    const arma::mat s = m == CacheMistake::attend_before_append ? one_head(self, x, k_old, v_old)
                                                                : one_head(self, x, k, v);
    const arma::mat& from = m == CacheMistake::cross_from_x   ? x
                            : m == CacheMistake::cross_from_s ? s
                                                              : memory;
    const arma::mat kc = from * cross.wk.weight.t() + arma::repmat(cross.wk.bias, from.n_rows, 1);
    const arma::mat vc = from * cross.wv.weight.t() + arma::repmat(cross.wv.bias, from.n_rows, 1);
    return {one_head(cross, s, kc, vc), k, v};
}

}  // namespace

std::string check_kv_cache_step(decltype(&kv_cache_step) candidate) {
    // d = 6, one head; 4 cached positions (t = 4), a memory of 5 rows (m ≠ t ≠ d), random
    // weights; the cache rows come from earlier positions of the same module.
    tfm::set_seed(1011);
    const arma::uword d = 6;
    tfm::MultiHeadAttention self(d, 1), cross(d, 1);
    const arma::mat earlier = tfm::normal(4, d), x = tfm::normal(1, d), memory = tfm::normal(5, d);
    const arma::mat k0 = earlier * self.wk.weight.t() + arma::repmat(self.wk.bias, 4, 1);
    const arma::mat v0 = earlier * self.wv.weight.t() + arma::repmat(self.wv.bias, 4, 1);
    // The course's own: the rows appended to a KVCache, forward_step, attend.
    tfm::MultiHeadAttention core_self = self, core_cross = cross;
    tfm::KVCache cache(1, d);
    for (arma::uword t = 0; t < 4; ++t) cache.append(k0.row(t), v0.row(t));
    const arma::mat s = core_self.forward_step(x, cache);
    const arma::mat want = core_cross.attend(s, core_cross.project_memory(memory, 1), {0});
    const CacheResult model = model_cache_step(x, memory, k0, v0, self, cross);
    if (!same(want, model.c) || !same(cache.keys(0), model.k) || !same(cache.values(0), model.v))
        return "the course's KV cache disagrees with the formulas (a bug in src/, not in your "
               "code)";

    arma::mat got, k = k0, v = v0;
    const std::string why =
        attempt([&] { got = candidate(x, memory, k, v, self, cross); },
                [](const std::string& what) {
                    return product_hint(what,
                                        "K and V have one row per cached position and "
                                        "d columns; the query is one row");
                });
    if (!why.empty()) return why;
    if (same(got, model.c) && same(k, model.k) && same(v, model.v)) return "";
    const auto is = [&](CacheMistake m) {
        const CacheResult r = model_cache_step(x, memory, k0, v0, self, cross, m);
        return same(got, r.c);
    };
    if (k.n_rows == k0.n_rows || is(CacheMistake::attend_before_append) ||
        is(CacheMistake::overwrite_last))
        return "the cache position is off by one: append the new K and V as row t (after the " +
               std::to_string(k0.n_rows) + " cached rows, giving " + std::to_string(k0.n_rows + 1) +
               ") and attend over all of them, the new position included";
    if (is(CacheMistake::cross_from_x) || is(CacheMistake::cross_from_s))
        return "cross-attention K/V recomputed from the wrong tensor: they are projections of "
               "the encoder's memory (computed once per source), not of the decoder's stream";
    if (!same(k, model.k) || !same(v, model.v))
        return "the caches after the step are not the old rows plus x_new's K and V: " +
               difference(model.k, k);
    return "the result differs: " + difference(model.c, got);
}

}  // namespace ex
