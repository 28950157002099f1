// The KV cache: one K and one V row appended per layer and step, cross-attention's K and V
// computed once per source, and the logits equal to the uncached decoder's at every step.
#include "core/random.hpp"
#include "decode/decode_helpers.hpp"
#include "decode/prefixes.hpp"
#include "decode/search.hpp"
#include "model/transformer.hpp"
#include "nn/kv_cache.hpp"
#include "nn/multi_head_attention.hpp"

#include "support/catch.hpp"

#include <string>

using namespace tfm;

namespace {

constexpr double kCacheTolerance = 1e-12;  // cached vs uncached logits, in double

// Whether two logits matrices agree within kCacheTolerance.
bool close(const arma::mat& a, const arma::mat& b) {
    return arma::size(a) == arma::size(b) && arma::approx_equal(a, b, "absdiff", kCacheTolerance);
}

}  // namespace

TEST_CASE("a KV cache appends one row per entry and reorders entries for beams", "[decode]") {
    KVCache cache(2, 3, 1);  // capacity 1: the second append must grow the block
    cache.append(arma::mat{{1, 2, 3}, {4, 5, 6}}, arma::mat{{-1, -2, -3}, {-4, -5, -6}});
    cache.append(arma::mat{{7, 8, 9}, {10, 11, 12}}, arma::mat{{-7, -8, -9}, {-10, -11, -12}});
    CHECK(cache.length() == 2);
    CHECK(arma::approx_equal(cache.keys(0), arma::mat{{1, 2, 3}, {7, 8, 9}}, "absdiff", 0));
    CHECK(arma::approx_equal(cache.values(1), arma::mat{{-4, -5, -6}, {-10, -11, -12}}, "absdiff",
                             0));
    CHECK(arma::approx_equal(cache.keys(1, arma::span(1, 2)), arma::mat{{5, 6}, {11, 12}},
                             "absdiff", 0));
    cache.reorder({1, 1, 0});  // three beams now: two continue entry 1, one entry 0
    CHECK(cache.entries() == 3);
    CHECK(arma::approx_equal(cache.keys(2), arma::mat{{1, 2, 3}, {7, 8, 9}}, "absdiff", 0));
    CHECK(arma::approx_equal(cache.keys(0), cache.keys(1), "absdiff", 0));
}

TEST_CASE("self-attention step by step through the cache gives the causal forward's rows",
          "[decode]") {
    set_seed(5);
    MultiHeadAttention mha(12, 3);
    const arma::mat x = normal(7, 12);  // one sequence of 7 positions
    const arma::mat full = mha.forward(x, x, causal_mask(7));
    KVCache cache(1, 12);
    for (arma::uword t = 0; t < 7; ++t) {
        const arma::mat row = mha.forward_step(x.row(t), cache);
        CHECK(cache.length() == t + 1);
        INFO("position " << t);
        CHECK(close(row, full.row(t)));
    }
}

TEST_CASE("decode_step gives the last row of decode over the whole prefix, pre-LN and post-LN",
          "[decode]") {
    for (bool norm_first : {false, true}) {
        set_seed(norm_first ? 11 : 12);
        Transformer model(test::odd_decoding_config(norm_first));
        const TokenIds src = {4, 9, 5, 10, 6, 7, 8};
        const Encoded encoded = model.encode(src);
        DecoderCache cache = model.start_decoding(encoded, 1, {0}, 2);  // capacity 2: grows
        // Cross-attention's K and V: once, from the memory, one entry of n_src rows.
        for (std::size_t i = 0; i < model.decoder.layers.size(); ++i) {
            REQUIRE(cache.cross[i].entries() == 1);
            MultiHeadAttention& cross = model.decoder.layers[i].cross_attn;
            CHECK(close(cache.cross[i].keys(0), cross.wk.forward(encoded.memory)));
            CHECK(close(cache.cross[i].values(0), cross.wv.forward(encoded.memory)));
        }
        const TokenIds tgt = {2, 5, 12, 7, 7, 3, 9, 11, 4};
        for (std::size_t t = 0; t < tgt.size(); ++t) {
            const arma::mat h_step = model.decode_step({tgt[t]}, cache);
            for (const KVCache& self : cache.self) CHECK(self.length() == t + 1);
            const TokenIds prefix(tgt.begin(), tgt.begin() + static_cast<std::ptrdiff_t>(t) + 1);
            const arma::mat h = model.decode(prefix, encoded.memory, encoded.src_padding);
            INFO("norm_first " << norm_first << ", position " << t);
            CHECK(close(h_step, h.row(t)));
        }
    }
}

TEST_CASE(
    "cached and uncached prefixes give the same logits for a padded batch with several beams per "
    "source",
    "[decode]") {
    for (bool norm_first : {false, true}) {
        set_seed(norm_first ? 21 : 22);
        Transformer model(test::odd_decoding_config(norm_first));
        // Three sources of 5, 3 and 4 tokens, padded with <pad> (0) to 5.
        const TokenBatch src = {{4, 9, 5, 10, 6}, {7, 8, 4, 0, 0}, {10, 5, 9, 6, 0}};
        const Encoded encoded = model.encode_batch(src);
        REQUIRE(!encoded.src_padding.is_empty());
        const std::vector<arma::uword> source_of = {0, 1, 1, 2, 0};  // five prefixes
        Prefixes cached(model, encoded, 3, source_of, 2, true, 4);
        Prefixes uncached(model, encoded, 3, source_of, 2, false);
        // Each source decoded alone, unpadded: what its prefixes must see.
        std::vector<Encoded> alone;
        const TokenBatch unpadded = {{4, 9, 5, 10, 6}, {7, 8, 4}, {10, 5, 9, 6}};
        for (const TokenIds& s : unpadded) alone.push_back(model.encode(s));
        for (int t = 0; t < 8; ++t) {
            const arma::mat a = cached.next_logits(), b = uncached.next_logits();
            INFO("norm_first " << norm_first << ", step " << t);
            CHECK(close(a, b));
            // Every step: new tokens, then a reshuffle of the prefixes as a beam search does.
            TokenIds next;
            for (arma::uword p = 0; p < cached.size(); ++p)
                next.push_back(1 + (3 * p + 5 * t) % 12);  // never <pad>
            cached.append(next);
            uncached.append(next);
            const std::vector<arma::uword> parents = t % 2
                                                         ? std::vector<arma::uword>{1, 1, 0, 4, 3}
                                                         : std::vector<arma::uword>{0, 2, 2, 3, 4};
            cached.reorder(parents);
            uncached.reorder(parents);
        }
        // The prefixes of the padded batch, each decoded alone from its unpadded source.
        const arma::mat batch_logits = cached.next_logits();
        for (arma::uword p = 0; p < cached.size(); ++p) {
            const arma::uword s = cached.cache().source_of[p];
            const arma::mat h =
                model.decode(cached.tokens()[p], alone[s].memory, alone[s].src_padding);
            const arma::mat single = model.generate(h.row(h.n_rows - 1));
            INFO("prefix " << p << " of source " << s);
            CHECK(close(batch_logits.row(p), single));
        }
    }
}

TEST_CASE(
    "cached and uncached greedy decoding and beam search agree at every step on random models",
    "[decode]") {
    for (bool norm_first : {false, true}) {
        set_seed(norm_first ? 31 : 32);
        Transformer model(test::odd_decoding_config(norm_first));
        // A trained model never writes <pad>; the uncached decoder would mask it as a key.
        model.generator.bias(0) -= 100.0;
        const Encoded encoded = model.encode({4, 9, 5, 10, 6, 7});
        DecodeOptions options;
        options.max_len = 10;
        std::vector<arma::mat> with, without;
        options.use_cache = true;
        const Hypothesis g1 = greedy_search(model, encoded, options, &with);
        options.use_cache = false;
        const Hypothesis g2 = greedy_search(model, encoded, options, &without);
        CHECK(g1.tokens == g2.tokens);
        REQUIRE(with.size() == without.size());
        for (std::size_t t = 0; t < with.size(); ++t) CHECK(close(with[t], without[t]));

        BeamOptions beam;
        beam.beam = 3;
        with.clear();
        without.clear();
        options.use_cache = true;
        const BeamResult b1 = beam_search(model, encoded, beam, options, &with);
        options.use_cache = false;
        const BeamResult b2 = beam_search(model, encoded, beam, options, &without);
        REQUIRE(b1.n_best.size() == b2.n_best.size());
        for (std::size_t i = 0; i < b1.n_best.size(); ++i)
            CHECK(b1.n_best[i].tokens == b2.n_best[i].tokens);
        REQUIRE(with.size() == without.size());
        for (std::size_t t = 0; t < with.size(); ++t) {
            INFO("norm_first " << norm_first << ", beam step " << t);
            CHECK(close(with[t], without[t]));
        }
    }
}

TEST_CASE("the cache gives the uncached logits with shared embeddings, a tied generator and GELU",
          "[decode]") {
    ModelConfig c = test::odd_decoding_config(true);
    c.src_vocab_size = c.tgt_vocab_size;  // one table for source, target and generator
    c.share_embeddings = true;
    c.tie_output = true;
    c.activation = Activation::gelu;
    set_seed(13);
    Transformer model(c);
    model.generator.bias(0) -= 100.0;  // never <pad>
    const Encoded encoded = model.encode({4, 9, 5, 12, 6});
    DecodeOptions options;
    options.max_len = 8;
    BeamOptions beam;
    beam.beam = 3;
    std::vector<arma::mat> with, without;
    options.use_cache = true;
    const BeamResult a = beam_search(model, encoded, beam, options, &with);
    options.use_cache = false;
    const BeamResult b = beam_search(model, encoded, beam, options, &without);
    REQUIRE(with.size() == without.size());
    for (std::size_t t = 0; t < with.size(); ++t) CHECK(close(with[t], without[t]));
    REQUIRE(a.n_best.size() == b.n_best.size());
    for (std::size_t i = 0; i < a.n_best.size(); ++i)
        CHECK(a.n_best[i].tokens == b.n_best[i].tokens);
}
