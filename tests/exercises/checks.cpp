// How the exercise checks decide (see checks.hpp). Each check
//   1. runs the candidate; an exception becomes a diagnosis (NotImplemented: "not
//      implemented yet: …"; an Armadillo size mismatch: which product did not fit);
//   2. compares with values worked out by hand (in the comments) and with the core's
//      result on random inputs of shapes that are never symmetric;
//   3. when they differ, compares with models of the usual mistakes, computed here
//      independently of the core (no √d_k, softmax over columns, mask after softmax, …),
//      and with invariants (rows sum to 1, blocked weights are 0, …), and names the
//      first that fits; otherwise it says where the result differs.
// Every check seeds the generator itself, so its inputs do not depend on test order.
#include "exercises/checks.hpp"

#include "core/random.hpp"
#include "ops/attention.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder_layer.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "model/transformer.hpp"
#include "ops/activation.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"
#include "rnn/spectral.hpp"
#include "rnn/vanilla_rnn.hpp"
#include "train/adam.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <functional>
#include <sstream>
#include <utility>
#include <vector>

namespace ex {

namespace {

// Agreement with the expected values: absolute, in double, on values of order 1.
constexpr double kTol = 1e-9;
const double kInf = arma::datum::inf;

// ── reporting ────────────────────────────────────────────────────────────────

std::string num(double x) {
    std::ostringstream out;
    out.precision(6);
    out << x;
    return out.str();
}

std::string dims(arma::uword rows, arma::uword cols) {
    return "[" + std::to_string(rows) + " × " + std::to_string(cols) + "]";
}

template <class M>
std::string dims(const M& m) {
    return dims(m.n_rows, m.n_cols);
}

bool same(const arma::mat& a, const arma::mat& b, double tol = kTol) {
    return arma::size(a) == arma::size(b) && arma::approx_equal(a, b, "absdiff", tol);
}

bool same(const tfm::Mask& a, const tfm::Mask& b) {
    return arma::size(a) == arma::size(b) && arma::all(arma::vectorise(a == b));
}

// "max |difference| 0.4 at [2, 1] (expected 0.1, got 0.5)" — or where a NaN/∞ appeared.
std::string difference(const arma::mat& expected, const arma::mat& got) {
    const arma::uvec bad = arma::find_nonfinite(got);
    arma::uword at;
    std::string what;
    if (!bad.is_empty()) {
        at = bad(0);
        what = "a non-finite value";
    } else {
        at = arma::abs(expected - got).index_max();
        what = "max |difference| " + num(std::abs(expected(at) - got(at)));
    }
    const arma::uword row = at % got.n_rows, col = at / got.n_rows;
    return what + " at [" + std::to_string(row) + ", " + std::to_string(col) +
           "] (expected " + num(expected(at)) + ", got " + num(got(at)) + ")";
}

// Runs a call of the candidate. "" when it returns; otherwise the diagnosis:
// "not implemented yet: …" for NotImplemented, else explain(what()).
std::string attempt(const std::function<void()>& call,
                    const std::function<std::string(const std::string&)>& explain) {
    try {
        call();
        return "";
    } catch (const NotImplemented& e) {
        return std::string("not implemented yet: ") + e.what();
    } catch (const std::exception& e) {
        return explain(e.what());
    } catch (...) {
        return "threw something that is not a std::exception";
    }
}

std::string threw_on_valid_input(const std::string& what) {
    return "threw on valid input: " + what;
}

bool mentions(const std::string& text, const std::string& word) {
    return text.find(word) != std::string::npos;
}

// The first mistake whose result the candidate reproduces, or "".
struct Mistake {
    std::string diagnosis;
    arma::mat result;
};

std::string first_match(const arma::mat& got, const std::vector<Mistake>& mistakes) {
    for (const Mistake& m : mistakes)
        if (same(got, m.result, 1e-7)) return m.diagnosis;
    return "";
}

// ── independent models of the right computation and of the usual mistakes ───

// Softmax over each row (or each column) of the positions not blocked; blocked → 0;
// a line with nothing open → 0. Written apart from tfm::softmax_rows on purpose.
arma::mat model_softmax(const arma::mat& scores, const tfm::Mask& mask, bool over_rows = true) {
    arma::mat s = over_rows ? scores : arma::mat(scores.t());
    tfm::Mask blocked = mask.is_empty() ? tfm::Mask(arma::size(scores), arma::fill::zeros) : mask;
    if (!over_rows) blocked = blocked.t();
    arma::mat w(arma::size(s), arma::fill::zeros);
    for (arma::uword i = 0; i < s.n_rows; ++i) {
        double top = -kInf;
        for (arma::uword j = 0; j < s.n_cols; ++j)
            if (!blocked(i, j)) top = std::max(top, s(i, j));
        if (top == -kInf) continue;
        double total = 0;
        for (arma::uword j = 0; j < s.n_cols; ++j)
            if (!blocked(i, j)) total += (w(i, j) = std::exp(s(i, j) - top));
        w.row(i) /= total;
    }
    return over_rows ? w : arma::mat(w.t());
}

tfm::Mask inverted(const tfm::Mask& mask) { return tfm::Mask(1 - mask); }

// Softmax of the unmasked scores, then the blocked weights set to 0 (rows no longer sum to 1).
arma::mat mask_after_softmax(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat w = model_softmax(scores, {});
    w.elem(arma::find(mask)).zeros();
    return w;
}

// The attention weights under a given scale and mask treatment.
enum class MaskUse { before, after, ignored, inverted, transposed };
arma::mat model_weights(const arma::mat& q, const arma::mat& k, const tfm::Mask& mask,
                        double scale, MaskUse use = MaskUse::before, bool over_rows = true) {
    const arma::mat s = q * k.t() / scale;
    if (mask.is_empty()) return model_softmax(s, mask, over_rows);
    switch (use) {
        case MaskUse::after: return mask_after_softmax(s, mask);
        case MaskUse::ignored: return model_softmax(s, {}, over_rows);
        case MaskUse::inverted: return model_softmax(s, inverted(mask), over_rows);
        case MaskUse::transposed: return model_softmax(s, mask.t(), over_rows);
        case MaskUse::before: break;
    }
    return model_softmax(s, mask, over_rows);
}

// PE with optional mistakes.
enum class PeMistake { none, swapped, column_exponent, pair_exponent, multiplied, from_one,
                       halves, integer_exponent };
arma::mat model_pe(arma::uword seq_len, arma::uword d_model, PeMistake m = PeMistake::none) {
    arma::mat pe(seq_len, d_model);
    const double d = static_cast<double>(d_model);
    for (arma::uword pos = 0; pos < seq_len; ++pos) {
        for (arma::uword col = 0; col < d_model; ++col) {
            const double p = static_cast<double>(m == PeMistake::from_one ? pos + 1 : pos);
            bool use_sin = col % 2 == 0;
            double two_i = static_cast<double>(col - col % 2);
            if (m == PeMistake::halves) {  // sin in columns 0 … d/2−1, cos in the rest
                const arma::uword half = d_model / 2, i = col < half ? col : col - half;
                use_sin = col < half;
                two_i = 2.0 * static_cast<double>(i);
            }
            double exponent = two_i / d;
            if (m == PeMistake::column_exponent) exponent = static_cast<double>(col) / d;
            if (m == PeMistake::pair_exponent) exponent = (two_i / 2.0) / d;
            if (m == PeMistake::integer_exponent) exponent = static_cast<double>((col - col % 2) / d_model);
            const double freq = std::pow(10000.0, exponent);
            const double angle = m == PeMistake::multiplied ? p * freq : p / freq;
            if (m == PeMistake::swapped) use_sin = !use_sin;
            pe(pos, col) = use_sin ? std::sin(angle) : std::cos(angle);
        }
    }
    return pe;
}

arma::mat plus_row(arma::mat m, const arma::mat& row) {
    m.each_row() += row;
    return m;
}

arma::mat relu(arma::mat x) { return x.transform([](double v) { return v > 0 ? v : 0.0; }); }
arma::mat gelu(arma::mat x) {
    return x.transform([](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); });
}
arma::mat gelu_tanh(arma::mat x) {
    const double c = std::sqrt(2.0 / arma::datum::pi);
    return x.transform([c](double v) { return 0.5 * v * (1.0 + std::tanh(c * (v + 0.044715 * v * v * v))); });
}

// Multi-head attention computed from mha's weights, with optional mistakes.
struct MhaMistakes {
    bool scale_by_d_model = false, no_wo = false, reversed_merge = false,
         interleaved_split = false, kv_from_query = false, ignore_mask = false,
         no_bias = false, one_head = false;
};
arma::mat model_mha(const tfm::MultiHeadAttention& mha, const arma::mat& query_in,
                    const arma::mat& kv_in, const tfm::Mask& mask, MhaMistakes m = {}) {
    const auto project = [&](const tfm::Linear& layer, const arma::mat& x) {
        arma::mat y = x * layer.weight.t();
        if (!m.no_bias) y.each_row() += layer.bias;
        return y;
    };
    const arma::mat& source = m.kv_from_query ? query_in : kv_in;
    const arma::mat q = project(mha.wq, query_in), k = project(mha.wk, source),
                    v = project(mha.wv, source);
    const tfm::Mask use_mask = m.ignore_mask ? tfm::Mask() : mask;
    const arma::uword h = m.one_head ? 1 : mha.num_heads, d_k = mha.d_model / h;
    const double scale = std::sqrt(static_cast<double>(m.scale_by_d_model ? mha.d_model : d_k));
    arma::mat concat(query_in.n_rows, mha.d_model);
    for (arma::uword j = 0; j < h; ++j) {
        arma::uvec cols(d_k);
        for (arma::uword c = 0; c < d_k; ++c) cols(c) = m.interleaved_split ? c * h + j : j * d_k + c;
        const arma::mat out = model_weights(q.cols(cols), k.cols(cols), use_mask, scale) * v.cols(cols);
        const arma::uword block = m.reversed_merge ? h - 1 - j : j;
        concat.cols(block * d_k, (block + 1) * d_k - 1) = out;
    }
    return m.no_wo ? concat : project(mha.wo, concat);
}

// A mask from rows of 0/1 written out in full.
tfm::Mask mask_of(std::initializer_list<std::initializer_list<arma::uword>> rows) {
    return tfm::Mask(rows);
}

}  // namespace

// ── 01 embedding ─────────────────────────────────────────────────────────────

std::string check_embedding_lookup(decltype(&embedding_lookup) candidate) {
    // E[r, c] = 10·r + c: every entry names its row and column. vocab 7, d_model 4, and
    // the ids (n = 5, one repeated) are all < d_model, so a lookup by column runs too.
    const arma::uword vocab = 7, d_model = 4;
    arma::mat table(vocab, d_model);
    for (arma::uword r = 0; r < vocab; ++r)
        for (arma::uword c = 0; c < d_model; ++c) table(r, c) = 10.0 * r + c;
    const tfm::TokenIds ids = {2, 0, 3, 2, 1};
    arma::mat hand(ids.size(), d_model);
    for (arma::uword t = 0; t < ids.size(); ++t)
        for (arma::uword c = 0; c < d_model; ++c) hand(t, c) = 10.0 * ids[t] + c;

    arma::mat got;
    std::string why = attempt([&] { got = candidate(table, ids); }, [](const std::string& what) {
        return "threw on valid ids (" + what + "): row t of the result is row ids[t] of E [vocab × d_model]";
    });
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        arma::uvec id_vec(ids.size());
        for (arma::uword t = 0; t < ids.size(); ++t) id_vec(t) = ids[t];
        arma::mat shifted(ids.size(), d_model);
        for (arma::uword t = 0; t < ids.size(); ++t) shifted.row(t) = table.row(ids[t] + 1);
        const std::string by_column =
            "looked up columns of E instead of rows: E is [vocab × d_model] and token id t is row t";
        why = first_match(got, {{by_column, table.cols(id_vec)},
                                {by_column, table.cols(id_vec).t()},
                                {"the lookup was multiplied by √d_model: that scaling belongs to "
                                 "add_positions, not to the lookup",
                                 hand * std::sqrt(static_cast<double>(d_model))},
                                {"rows are off by one: id t is row t of E (ids count from 0)", shifted}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected " + dims(hand) +
                   ": one row per id, each a row of E";
        return "the rows are not rows ids[0], ids[1], … of E: " + difference(hand, got);
    }

    // The core's lookup on a random table and other ids (repeats, the last row).
    tfm::set_seed(101);
    const arma::mat random_table = tfm::normal(9, 6);
    const tfm::TokenIds more = {8, 0, 5, 5};
    tfm::Embedding core(random_table.n_rows, random_table.n_cols);
    core.weight = random_table;
    const arma::mat expected = core.forward(more);
    why = attempt([&] { got = candidate(random_table, more); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected))
        return "differs from the course's lookup on a random [9 × 6] table: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got)
                                                         : "returned " + dims(got));

    // An id outside the vocabulary is the learner's error, not a read past the table.
    bool rejected = true;
    why = attempt([&] { got = candidate(table, {1, vocab}); rejected = false; },
                  [](const std::string&) { return std::string(); });
    if (!why.empty()) return why;
    if (!rejected)
        return "an id ≥ vocab_size was accepted (id 7 in a table of 7 rows): check each id "
               "against table.n_rows and throw (tfm::require) instead of reading past E";
    return "";
}

std::string check_positional_encoding(decltype(&positional_encoding) candidate) {
    // d_model = 4: columns 2, 3 have frequency 1/10000^(2/4) = 1/100.
    //   PE[0] = [sin 0, cos 0, sin 0, cos 0] = [0, 1, 0, 1]
    //   PE[1] = [sin 1, cos 1, sin 0.01, cos 0.01],  PE[2] = [sin 2, cos 2, sin 0.02, cos 0.02]
    const arma::mat hand = {{0.0, 1.0, 0.0, 1.0},
                            {std::sin(1.0), std::cos(1.0), std::sin(0.01), std::cos(0.01)},
                            {std::sin(2.0), std::cos(2.0), std::sin(0.02), std::cos(0.02)}};
    // The diagnostic case: 5 positions, d_model 6 (three frequencies).
    const arma::uword seq_len = 5, d_model = 6;
    const arma::mat expected = tfm::positional_encoding(seq_len, d_model);

    arma::mat got;
    std::string why = attempt([&] { got = candidate(seq_len, d_model); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        if (arma::size(got) == arma::size(expected.t()))
            return "returned " + dims(got) + ": PE has one row per position, [seq_len × d_model] = " +
                   dims(expected);
        why = first_match(
            got,
            {{"sin and cos swapped: even columns 2i take sin, odd columns 2i+1 take cos",
              model_pe(seq_len, d_model, PeMistake::swapped)},
             {"2i/d_model was computed in integer arithmetic (it is 0 for every column): "
              "divide as double",
              model_pe(seq_len, d_model, PeMistake::integer_exponent)},
             {"column 2i+1 must share column 2i's frequency: the exponent is 2i/d_model for "
              "both, not (column index)/d_model",
              model_pe(seq_len, d_model, PeMistake::column_exponent)},
             {"the exponent is 2i/d_model, but i/d_model was used (i = the pair index)",
              model_pe(seq_len, d_model, PeMistake::pair_exponent)},
             {"the angle is pos / 10000^(2i/d_model): pos was multiplied by 10000^(2i/d_model) "
              "instead of divided",
              model_pe(seq_len, d_model, PeMistake::multiplied)},
             {"positions count from 0: row 0 of PE is [sin 0, cos 0, …] = [0, 1, 0, 1, …]",
              model_pe(seq_len, d_model, PeMistake::from_one)},
             {"sin fills the first half of the columns and cos the second: this course "
              "interleaves them (sin in even columns 2i, cos in odd columns 2i+1)",
              model_pe(seq_len, d_model, PeMistake::halves)}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + ", expected [seq_len × d_model] = " + dims(expected);
        return "PE differs from sin(pos / 10000^(2i/d_model)), cos(…): " + difference(expected, got);
    }
    why = attempt([&] { got = candidate(3, 4); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand))
        return "PE for 3 positions and d_model 4 differs from the hand-computed values: " +
               (arma::size(got) == arma::size(hand) ? difference(hand, got) : "returned " + dims(got));
    if (!same(expected, model_pe(seq_len, d_model)))
        return "the course's positional_encoding disagrees with the formula (a bug in src/, not in your code)";
    return "";
}

std::string check_add_positions(decltype(&add_positions) candidate) {
    // Hand: embeddings of ones, d_model 4 → 1·√4 + PE = 2 + PE (PE as in the check above).
    const arma::mat pe34 = {{0.0, 1.0, 0.0, 1.0},
                            {std::sin(1.0), std::cos(1.0), std::sin(0.01), std::cos(0.01)},
                            {std::sin(2.0), std::cos(2.0), std::sin(0.02), std::cos(0.02)}};
    const arma::mat hand = 2.0 + pe34;

    tfm::set_seed(102);
    const arma::mat emb = tfm::normal(5, 6);  // n = 5 tokens, d_model = 6
    const arma::mat expected = tfm::add_positions(emb);
    const arma::mat pe = model_pe(5, 6);
    const double root_d = std::sqrt(6.0);

    arma::mat got;
    std::string why = attempt([&] { got = candidate(emb); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(
            got,
            {{"the embeddings were not multiplied by √d_model before adding PE", emb + pe},
             {"√d_model multiplies the embeddings only, not PE", (emb + pe) * root_d},
             {"the embeddings were divided by √d_model; multiply them", emb / root_d + pe},
             {"the embeddings were multiplied by d_model instead of √d_model", emb * 6.0 + pe},
             {"scaled by √(number of tokens) instead of √d_model (d_model = the number of columns)",
              emb * std::sqrt(5.0) + pe},
             {"PE was left out: X = embeddings · √d_model + PE", emb * root_d}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + ", expected " + dims(expected) + " (the embeddings' shape)";
        return "differs from embeddings · √d_model + PE: " + difference(expected, got);
    }
    why = attempt([&] { got = candidate(arma::mat(3, 4, arma::fill::ones)); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand))
        return "embeddings of ones [3 × 4] should give 2 + PE: " +
               (arma::size(got) == arma::size(hand) ? difference(hand, got) : "returned " + dims(got));
    return "";
}

// ── 02 qkv ───────────────────────────────────────────────────────────────────

namespace {

std::string product_hint(const std::string& what, const std::string& hint) {
    if (mentions(what, "multiplication") || mentions(what, "incompatible"))
        return hint + " (Armadillo: " + what + ")";
    return threw_on_valid_input(what);
}

}  // namespace

std::string check_linear(decltype(&linear) candidate) {
    // Hand: x [3 × 2], weight [4 × 2] (out 4, in 2), bias [1 × 4].
    //   row [1, 2]:  x·Wᵀ = [1, 2, 3, 0]  + b → [11, 22, 33, 40]
    //   row [3, −1]: x·Wᵀ = [3, −1, 2, 7] + b → [13, 19, 32, 47]
    //   row [0, 1]:  x·Wᵀ = [0, 1, 1, −1] + b → [10, 21, 31, 39]
    const arma::mat x = {{1, 2}, {3, -1}, {0, 1}};
    const arma::mat w = {{1, 0}, {0, 1}, {1, 1}, {2, -1}};
    const arma::mat b = {{10, 20, 30, 40}};
    const arma::mat hand = {{11, 22, 33, 40}, {13, 19, 32, 47}, {10, 21, 31, 39}};
    const auto explain = [](const std::string& what) {
        return product_hint(what, "a product does not fit: weight is stored [out × in] "
                                  "(PyTorch's layout), so y = x·Wᵀ, not x·W");
    };

    arma::mat got;
    std::string why = attempt([&] { got = candidate(x, w, b); }, explain);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        why = first_match(got, {{"the bias was not added", x * w.t()},
                                {"the bias was subtracted instead of added", plus_row(x * w.t(), -b)}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected [n × out] = " + dims(hand);
        return "y = x·Wᵀ + b differs from the hand-computed values: " + difference(hand, got);
    }

    // Square weights (in = out = 5) let x·W run, so only its values can tell.
    tfm::set_seed(103);
    const arma::mat xs = tfm::normal(3, 5), ws = tfm::normal(5, 5), bs = tfm::normal(1, 5);
    tfm::Linear core(5, 5);
    core.weight = ws;
    core.bias = bs;
    const arma::mat expected = core.forward(xs);
    why = attempt([&] { got = candidate(xs, ws, bs); }, explain);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(got, {{"multiplied by W instead of Wᵀ: weight is stored [out × in] "
                                 "(PyTorch's layout), so y = x·Wᵀ + b",
                                 plus_row(xs * ws, bs)}});
        if (!why.empty()) return why;
        return "differs from the course's Linear on a random [5 × 5] weight: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got) : "returned " + dims(got));
    }
    return "";
}

std::string check_qkv_projections(decltype(&qkv_projections) candidate) {
    // x [5 × 6]; Wq, Wk, Wv [4 × 6] (d_model 6 → 4): not square, so a missing
    // transpose cannot run, and the same shape for all three, so a swapped weight can.
    tfm::set_seed(104);
    const arma::mat x = tfm::normal(5, 6);
    const tfm::Linear wq(6, 4), wk(6, 4), wv(6, 4);
    tfm::Linear cq = wq, ck = wk, cv = wv;
    const arma::mat q = cq.forward(x), k = ck.forward(x), v = cv.forward(x);
    const auto own = [&](const tfm::Linear& layer) { return plus_row(x * layer.weight.t(), layer.bias); };
    if (!same(q, own(wq)) || !same(k, own(wk)) || !same(v, own(wv)))
        return "the course's Linear disagrees with x·Wᵀ + b (a bug in src/, not in your code)";

    Projections got;
    std::string why = attempt([&] { got = candidate(x, wq, wk, wv); }, [](const std::string& what) {
        return product_hint(what, "a product does not fit: each weight is [out × in], so "
                                  "Q = x·Wqᵀ + bq (and K, V alike)");
    });
    if (!why.empty()) return why;
    const std::vector<std::pair<const char*, const tfm::Linear*>> layers = {
        {"Wq", &wq}, {"Wk", &wk}, {"Wv", &wv}};
    const std::vector<std::pair<const char*, const arma::mat*>> results = {
        {"Q", &got.q}, {"K", &got.k}, {"V", &got.v}};
    const std::vector<const arma::mat*> expected = {&q, &k, &v};
    for (size_t i = 0; i < 3; ++i) {
        const arma::mat& result = *results[i].second;
        if (same(result, *expected[i])) continue;
        const std::string name = results[i].first;
        for (size_t j = 0; j < 3; ++j)
            if (j != i && same(result, own(*layers[j].second)))
                return name + " was computed with " + layers[j].first + ": each of Q, K, V has its own weights";
        const tfm::Linear& mine = *layers[i].second;
        if (same(result, x * mine.weight.t())) return "the biases were not added to " + name;
        if (arma::size(result) != arma::size(*expected[i]))
            return name + " is " + dims(result) + ", expected " + dims(*expected[i]) +
                   " (x [n × d_model] times Wᵀ [d_model × out])";
        return name + " differs from x·" + layers[i].first + "ᵀ + b: " + difference(*expected[i], result);
    }
    return "";
}

// ── 03 attention ─────────────────────────────────────────────────────────────

std::string check_softmax_rows(decltype(&softmax_rows) candidate) {
    // Case A, no mask (empty): exp of [0, ln 2, ln 5] is [1, 2, 5], so the row is
    // [1/8, 2/8, 5/8]; adding 1000 to every score changes nothing — unless exp(1000)
    // is computed, which overflows to ∞.
    const double ln2 = std::log(2.0), ln5 = std::log(5.0), ln3 = std::log(3.0);
    const arma::mat a = {{0.0, ln2, ln5}, {1000.0, 1000.0 + ln2, 1000.0 + ln5}};
    const arma::mat a_hand = {{0.125, 0.25, 0.625}, {0.125, 0.25, 0.625}};
    arma::mat got;
    std::string why = attempt([&] { got = candidate(a, tfm::Mask()); }, [](const std::string& what) {
        return "threw with an empty mask (" + what + "): an empty mask means nothing is blocked";
    });
    if (!why.empty()) return why;
    if (!same(got, a_hand)) {
        if (arma::size(got) != arma::size(a))
            return "returned " + dims(got) + ", expected " + dims(a) + " (the scores' shape)";
        const bool row0_ok = got.row(0).is_finite(), row1_ok = got.row(1).is_finite();
        if (row0_ok && !row1_ok)
            return "the row maximum is not subtracted: exp(1000) overflows to ∞ and the row turns to NaN";
        if (!row0_ok && row1_ok)
            return "one maximum for the whole matrix was subtracted: subtract each row's own "
                   "maximum, or a row far below it underflows to 0/0 = NaN";
        why = first_match(got, {{"softmax taken over columns instead of rows: each row (one "
                                 "query's scores) must sum to 1",
                                 model_softmax(a, {}, false)}});
        if (!why.empty()) return why;
        if (!arma::approx_equal(arma::sum(got, 1), arma::vec(2, arma::fill::ones), "absdiff", 1e-9))
            return "rows do not sum to 1: divide each exp by the sum of its own row";
        return "softmax of [0, ln 2, ln 5] should be [1/8, 2/8, 5/8]: " + difference(a_hand, got);
    }

    // Case B, masked (3 × 4; 1 = blocked), worked by hand:
    //   row 0: open ln 3 and 0 → exp = 3, 1 → [3/4, 0, 1/4, 0]
    //   row 1: everything blocked → zeros (never 0/0)
    //   row 2: three equal open scores → [0, 1/3, 1/3, 1/3]
    const arma::mat b = {{ln3, 7, 0, -2}, {4, -1, 2, 9}, {5, 5, 5, 5}};
    const tfm::Mask b_mask = mask_of({{0, 1, 0, 1}, {1, 1, 1, 1}, {1, 0, 0, 0}});
    const arma::mat b_hand = {{0.75, 0, 0.25, 0}, {0, 0, 0, 0}, {0, 1.0 / 3, 1.0 / 3, 1.0 / 3}};
    why = attempt([&] { got = candidate(b, b_mask); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, b_hand)) {
        if (arma::size(got) != arma::size(b))
            return "returned " + dims(got) + ", expected " + dims(b) + " (the scores' shape)";
        why = first_match(
            got, {{"the mask is ignored: blocked positions must get weight exactly 0", model_softmax(b, {})},
                  {"mask applied after softmax: blocked weights are 0 but the rows no longer sum "
                   "to 1 (set blocked scores to −∞ before the softmax)",
                   mask_after_softmax(b, b_mask)},
                  {"the mask is inverted: 1 means blocked, 0 means allowed",
                   model_softmax(b, inverted(b_mask))},
                  {"softmax taken over columns instead of rows: each row (one query's scores) "
                   "must sum to 1",
                   model_softmax(b, b_mask, false)}});
        if (!why.empty()) return why;
        if (!got.row(1).is_finite())
            return "a row with every position blocked gives NaN (0/0): make it a row of zeros";
        if (arma::any(arma::abs(got.row(1)) > 1e-12))
            return "a row with every position blocked must be all zeros: yours gives blocked "
                   "positions weight (a large negative number is not −∞; treat that row apart)";
        const arma::uvec blocked = arma::find(b_mask);
        if (arma::any(arma::abs(got.elem(blocked)) > 0))
            return "blocked positions get nonzero weight: their weight must be exactly 0";
        return "the masked softmax differs from the hand-computed values: " + difference(b_hand, got);
    }

    // Case C: square, mask not symmetric, random scores — against the core.
    tfm::set_seed(105);
    const arma::mat c = 3.0 * tfm::normal(4, 4);
    const tfm::Mask c_mask = mask_of({{0, 1, 1, 0}, {0, 0, 1, 1}, {1, 0, 0, 1}, {0, 0, 0, 0}});
    const arma::mat c_expected = tfm::softmax_rows(c, c_mask);
    if (!same(c_expected, model_softmax(c, c_mask)))
        return "the course's softmax_rows disagrees with the formula (a bug in src/, not in your code)";
    why = attempt([&] { got = candidate(c, c_mask); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, c_expected)) {
        why = first_match(got, {{"the mask is transposed: mask(i, j) = 1 blocks query i (row) "
                                 "from key j (column)",
                                 model_softmax(c, c_mask.t())}});
        if (!why.empty()) return why;
        return "differs from the course's softmax on random [4 × 4] scores with a mask: " +
               (arma::size(got) == arma::size(c) ? difference(c_expected, got) : "returned " + dims(got));
    }

    // Case D: a wide random matrix, no mask.
    const arma::mat d = 4.0 * tfm::normal(5, 7);
    const arma::mat d_expected = tfm::softmax_rows(d);
    why = attempt([&] { got = candidate(d, tfm::Mask()); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, d_expected))
        return "differs from the course's softmax on random [5 × 7] scores: " +
               (arma::size(got) == arma::size(d) ? difference(d_expected, got) : "returned " + dims(got));
    return "";
}

std::string check_scaled_dot_product_attention(decltype(&scaled_dot_product_attention) candidate) {
    const auto explain = [](const std::string& what) {
        return product_hint(what, "K was not transposed? A product does not fit: the scores are "
                                  "Q·Kᵀ [n_q × n_k], and the output is weights·V [n_q × d_v]");
    };
    arma::mat got;

    // Case D, diagnostic: n_q 3, n_k 5, d_k 4, and V = [I₅ | 0 1 2 3 4]ᵀ [5 × 6], so the
    // first five columns of the output ARE the attention weights.
    tfm::set_seed(106);
    const arma::mat q = tfm::normal(3, 4), k = 1.5 * tfm::normal(5, 4);
    const arma::mat v = arma::join_rows(arma::mat(5, 5, arma::fill::eye),
                                        arma::regspace<arma::vec>(0, 4));
    const tfm::Mask mask = mask_of({{0, 0, 1, 0, 1}, {0, 0, 0, 1, 1}, {1, 0, 0, 0, 0}});
    const arma::mat expected = tfm::scaled_dot_product_attention(q, k, v, mask).output;
    const arma::mat weights = model_weights(q, k, mask, 2.0);
    if (!same(expected, weights * v))
        return "the course's attention disagrees with the formula (a bug in src/, not in your code)";
    std::string why = attempt([&] { got = candidate(q, k, v, mask); }, explain);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + ", expected [n_q × d_v] = " + dims(expected);
        const arma::mat w = got.cols(0, 4);
        why = first_match(
            w, {{"scores are not divided by √d_k", model_weights(q, k, mask, 1.0)},
                {"scores are divided by d_k instead of √d_k", model_weights(q, k, mask, 4.0)},
                {"scores are multiplied by √d_k instead of divided by it", model_weights(q, k, mask, 0.5)},
                {"scores are scaled by √(number of keys) instead of √d_k, the width of Q and K",
                 model_weights(q, k, mask, std::sqrt(5.0))},
                {"scores are scaled by √(number of queries) instead of √d_k, the width of Q and K",
                 model_weights(q, k, mask, std::sqrt(3.0))},
                {"scores are scaled by √d_v (V's width) instead of √d_k (the width of Q and K)",
                 model_weights(q, k, mask, std::sqrt(6.0))},
                {"softmax taken over columns instead of rows: each query's row of weights must sum to 1",
                 model_weights(q, k, mask, 2.0, MaskUse::before, false)},
                {"mask applied after softmax: blocked weights are 0 but the rows do not sum to 1 "
                 "(set blocked scores to −∞ before the softmax)",
                 model_weights(q, k, mask, 2.0, MaskUse::after)},
                {"the mask is ignored: blocked keys must get weight 0",
                 model_weights(q, k, mask, 2.0, MaskUse::ignored)},
                {"the mask is inverted: 1 means blocked, 0 means allowed",
                 model_weights(q, k, mask, 2.0, MaskUse::inverted)}});
        if (!why.empty()) return why;
        if (arma::any(arma::abs(w.elem(arma::find(mask))) > 1e-12))
            return "blocked keys get nonzero weight: mask(i, j) = 1 must make weight (i, j) exactly 0";
        if (!arma::approx_equal(arma::sum(w, 1), arma::vec(3, arma::fill::ones), "absdiff", 1e-9))
            return "the attention weights' rows do not sum to 1: softmax over each row of the scaled scores";
        if (same(w, weights))
            return "the weights are right but the output is not weights·V: " + difference(expected, got);
        return "the output differs from softmax(Q·Kᵀ/√d_k, mask)·V: " + difference(expected, got);
    }

    // Case S: K square (n_k = d_k = 4), so Q·K runs and only its values can tell.
    const arma::mat qs = tfm::normal(3, 4), ks = 1.5 * tfm::normal(4, 4), vs = tfm::normal(4, 6);
    const arma::mat s_expected = tfm::scaled_dot_product_attention(qs, ks, vs).output;
    why = attempt([&] { got = candidate(qs, ks, vs, tfm::Mask()); }, explain);
    if (!why.empty()) return why;
    if (!same(got, s_expected)) {
        why = first_match(got, {{"K was not transposed: the scores are Q·Kᵀ, not Q·K",
                                 model_softmax(qs * ks / 2.0, {}) * vs}});
        if (!why.empty()) return why;
        return "differs from the course's attention with a square K [4 × 4] and no mask: " +
               (arma::size(got) == arma::size(s_expected) ? difference(s_expected, got) : "returned " + dims(got));
    }

    // Case H, by hand: d_k = 4 so √d_k = 2. q₀ = [2 ln 3, 0, 0, 0], q₁ = 0;
    // k₀ = e₀, k₁ = 0, k₂ = e₁. Scaled scores: row 0 [ln 3, 0, 0] → weights [3/5, 1/5, 1/5];
    // row 1 [0, 0, 0] → [1/3, 1/3, 1/3]. V = [[5, 10], [0, 5], [10, −5]]:
    //   output row 0 = [3 + 0 + 2, 6 + 1 − 1] = [5, 6];  row 1 = [15/3, 10/3] = [5, 10/3].
    const double ln3 = std::log(3.0);
    const arma::mat qh = {{2 * ln3, 0, 0, 0}, {0, 0, 0, 0}};
    const arma::mat kh = {{1, 0, 0, 0}, {0, 0, 0, 0}, {0, 1, 0, 0}};
    const arma::mat vh = {{5, 10}, {0, 5}, {10, -5}};
    const arma::mat hand = {{5, 6}, {5, 10.0 / 3}};
    why = attempt([&] { got = candidate(qh, kh, vh, tfm::Mask()); }, explain);
    if (!why.empty()) return why;
    if (!same(got, hand))
        return "the hand-worked case (weights [3/5, 1/5, 1/5] and [1/3, 1/3, 1/3]) differs: " +
               (arma::size(got) == arma::size(hand) ? difference(hand, got) : "returned " + dims(got));

    // Case R: random, no mask, n_q 4, n_k 6, d_k 3, d_v 5.
    const arma::mat qr = tfm::normal(4, 3), kr = tfm::normal(6, 3), vr = tfm::normal(6, 5);
    const arma::mat r_expected = tfm::scaled_dot_product_attention(qr, kr, vr).output;
    why = attempt([&] { got = candidate(qr, kr, vr, tfm::Mask()); }, explain);
    if (!why.empty()) return why;
    if (!same(got, r_expected))
        return "differs from the course's attention on random Q [4 × 3], K [6 × 3], V [6 × 5]: " +
               (arma::size(got) == arma::size(r_expected) ? difference(r_expected, got) : "returned " + dims(got));
    return "";
}

std::string check_causal_mask(decltype(&causal_mask) candidate) {
    // n = 4 by hand: query i may see keys 0 … i, so row i blocks columns i+1 … 3.
    const tfm::Mask hand = mask_of({{0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 0}});
    tfm::Mask got;
    std::string why = attempt([&] { got = candidate(4); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (arma::size(got) != arma::size(hand)) return "returned " + dims(got) + " for n = 4, expected [4 × 4]";
        const tfm::Mask diagonal_blocked = mask_of({{1, 1, 1, 1}, {0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}});
        const tfm::Mask next_open = mask_of({{0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}});
        if (same(got, diagonal_blocked))
            return "causal mask is off by one: the diagonal is blocked (token i must see itself)";
        if (same(got, next_open))
            return "causal mask is off by one: key i+1 is not blocked for query i (block every j > i)";
        if (same(got, tfm::Mask(hand.t())))
            return "the mask is transposed: it blocks the past (j < i) instead of the future (j > i)";
        if (same(got, inverted(hand)))
            return "the mask is inverted: 1 must mean blocked (the future, j > i), 0 allowed";
        if (arma::any(arma::vectorise(got > 1)))
            return "mask entries must be 0 (allowed) or 1 (blocked)";
        return "the causal mask for n = 4 should block exactly the keys j > i of each query i";
    }
    const tfm::Mask expected = tfm::causal_mask(7);
    if (!same(expected.submat(0, 0, 3, 3), hand))
        return "the course's causal_mask disagrees with j > i (a bug in src/, not in your code)";
    for (arma::uword n : {arma::uword(1), arma::uword(7)}) {
        why = attempt([&] { got = candidate(n); }, threw_on_valid_input);
        if (!why.empty()) return why;
        const tfm::Mask want = tfm::causal_mask(n);
        if (!same(got, want))
            return "the causal mask for n = " + std::to_string(n) + " is wrong (returned " + dims(got) +
                   ", expected " + dims(want) + " blocking j > i)";
    }
    return "";
}

std::string check_padding_mask(decltype(&padding_mask) candidate) {
    // 3 queries, 5 keys; keys 1 and 4 are padding, so columns 1 and 4 are blocked.
    const std::vector<bool> pad = {false, true, false, false, true};
    const tfm::Mask hand = mask_of({{0, 1, 0, 0, 1}, {0, 1, 0, 0, 1}, {0, 1, 0, 0, 1}});
    tfm::Mask got;
    std::string why = attempt([&] { got = candidate(3, pad); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (same(got, tfm::Mask(hand.t())))
            return "the mask is transposed: one row per query and one column per key, "
                   "[n_q × n_k], with the padded keys' columns blocked";
        if (same(got, inverted(hand)))
            return "the mask is inverted: 1 must mean blocked (a padded key), 0 allowed";
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected [n_q × n_k] = " + dims(hand);
        return "padding blocks keys (columns), in every query's row: columns 1 and 4 should be "
               "all 1 and the rest 0";
    }
    const std::vector<bool> none(6, false), all(2, true);
    for (const auto& flags : {none, all}) {
        why = attempt([&] { got = candidate(4, flags); }, threw_on_valid_input);
        if (!why.empty()) return why;
        const tfm::Mask want = tfm::padding_mask(4, flags);
        if (!same(got, want))
            return std::string("the padding mask with ") + (flags[0] ? "every" : "no") +
                   " key padded is wrong (returned " + dims(got) + ", expected " + dims(want) + ")";
    }
    return "";
}

// ── 04 multi_head ────────────────────────────────────────────────────────────

namespace {

// x[r, c] = 10·r + c for a 3 × 8 matrix: every entry names its row and column.
arma::mat labelled(arma::uword rows, arma::uword cols) {
    arma::mat x(rows, cols);
    for (arma::uword r = 0; r < rows; ++r)
        for (arma::uword c = 0; c < cols; ++c) x(r, c) = 10.0 * r + c;
    return x;
}

std::vector<arma::mat> blocks(const arma::mat& x, arma::uword h, bool interleaved = false) {
    const arma::uword d_k = x.n_cols / h;
    std::vector<arma::mat> heads;
    for (arma::uword j = 0; j < h; ++j) {
        arma::uvec cols(d_k);
        for (arma::uword c = 0; c < d_k; ++c) cols(c) = interleaved ? c * h + j : j * d_k + c;
        heads.push_back(x.cols(cols));
    }
    return heads;
}

bool same(const std::vector<arma::mat>& a, const std::vector<arma::mat>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
    return true;
}

}  // namespace

std::string check_split_heads(decltype(&split_heads) candidate) {
    const arma::mat x = labelled(3, 8);  // n = 3, d_model = 8
    for (arma::uword h : {arma::uword(2), arma::uword(4), arma::uword(1)}) {
        // Head j, by hand: columns j·d_k … (j+1)·d_k − 1, so head j [r, c] = 10 r + j d_k + c.
        const arma::uword d_k = 8 / h;
        std::vector<arma::mat> hand;
        for (arma::uword j = 0; j < h; ++j) {
            arma::mat head(3, d_k);
            for (arma::uword r = 0; r < 3; ++r)
                for (arma::uword c = 0; c < d_k; ++c) head(r, c) = 10.0 * r + j * d_k + c;
            hand.push_back(head);
        }
        std::vector<arma::mat> got;
        std::string why = attempt([&] { got = candidate(x, h); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, hand)) continue;
        const std::string when = " (x [3 × 8], " + std::to_string(h) + " heads)";
        if (got.size() == d_k && d_k != h)
            return "returned " + std::to_string(got.size()) + " heads" + when +
                   ": there are num_heads heads, each d_model / num_heads columns wide";
        if (got.size() != h)
            return "returned " + std::to_string(got.size()) + " heads" + when + ", expected " + std::to_string(h);
        if (same(got, blocks(x, h, true)))
            return "heads taken as every h-th column (interleaved): head j is the contiguous block "
                   "of columns j·d_k … (j+1)·d_k − 1";
        std::vector<arma::mat> reversed(hand.rbegin(), hand.rend());
        if (same(got, reversed)) return "heads in reverse order: head 0 is the leftmost block of columns";
        for (const arma::mat& head : got)
            if (head.n_rows != 3)
                return "a head is " + dims(head) + when +
                       ": split the columns (features), not the rows (tokens); each head is [n × d_k]";
        for (arma::uword j = 0; j < h; ++j)
            if (!same(got[j], hand[j]))
                return "head " + std::to_string(j) + when + " should be columns " + std::to_string(j * d_k) +
                       " … " + std::to_string((j + 1) * d_k - 1) + " of x";
    }
    // 8 columns do not split into 3 heads: the learner's error, to be reported.
    bool rejected = true;
    std::vector<arma::mat> got;
    std::string why = attempt([&] { got = candidate(x, 3); rejected = false; },
                              [](const std::string&) { return std::string(); });
    if (!why.empty()) return why;
    if (!rejected)
        return "8 columns were split into 3 heads without complaint: when num_heads does not "
               "divide d_model, throw (tfm::require)";
    return "";
}

std::string check_merge_heads(decltype(&merge_heads) candidate) {
    for (arma::uword h : {arma::uword(2), arma::uword(4)}) {
        // Head j [r, c] = 100 j + 10 r + c; merged, head j's block sits at columns j·d_k ….
        const arma::uword d_k = 8 / h;
        std::vector<arma::mat> heads;
        arma::mat hand(3, 8);
        for (arma::uword j = 0; j < h; ++j) {
            arma::mat head(3, d_k);
            for (arma::uword r = 0; r < 3; ++r)
                for (arma::uword c = 0; c < d_k; ++c) head(r, c) = hand(r, j * d_k + c) = 100.0 * j + 10.0 * r + c;
            heads.push_back(head);
        }
        arma::mat got;
        std::string why = attempt([&] { got = candidate(heads); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, hand)) continue;
        const std::string when = " (" + std::to_string(h) + " heads of [3 × " + std::to_string(d_k) + "])";
        arma::mat reversed, vertical, interleaved(3, 8);
        for (arma::uword j = 0; j < h; ++j) {
            reversed = arma::join_rows(reversed, heads[h - 1 - j]);
            vertical = arma::join_cols(vertical, heads[j]);
            for (arma::uword c = 0; c < d_k; ++c) interleaved.col(c * h + j) = heads[j].col(c);
        }
        why = first_match(got, {{"heads merged in the wrong order: head 0 is the leftmost block" + when, reversed},
                                {"heads stacked vertically (join_cols): put them side by side "
                                 "(join_rows), one row per token" + when, vertical},
                                {"heads merged interleaved: head j's columns must stay together as "
                                 "block j" + when, interleaved}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + when + ", expected [n × h·d_k] = " + dims(hand);
        return "the merged matrix should be [head 0 | head 1 | …]" + when + ": " + difference(hand, got);
    }
    // merge undoes the split.
    tfm::set_seed(107);
    const arma::mat x = tfm::normal(5, 6);
    arma::mat got;
    std::string why = attempt([&] { got = candidate(blocks(x, 3)); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, x)) return "merging the 3 heads of a [5 × 6] matrix does not give the matrix back";
    return "";
}

std::string check_multi_head_attention(decltype(&multi_head_attention) candidate) {
    // d_model 8; cross-attention shapes: 3 queries, 5 keys; two heads, then four.
    tfm::set_seed(108);
    const arma::mat query_in = tfm::normal(3, 8), kv_in = tfm::normal(5, 8);
    const tfm::Mask mask = mask_of({{0, 0, 1, 0, 1}, {0, 0, 0, 1, 1}, {1, 0, 0, 0, 0}});
    struct Case {
        arma::uword heads;
        tfm::Mask mask;
    };
    for (const Case& c : {Case{2, tfm::Mask()}, Case{2, mask}, Case{4, mask}}) {
        const tfm::MultiHeadAttention mha(8, c.heads);
        tfm::MultiHeadAttention core = mha;
        const arma::mat expected = core.forward(query_in, kv_in, c.mask);
        if (!same(expected, model_mha(mha, query_in, kv_in, c.mask)))
            return "the course's MultiHeadAttention disagrees with the formula (a bug in src/, not in your code)";
        arma::mat got;
        std::string why = attempt([&] { got = candidate(mha, query_in, kv_in, c.mask); },
                                  [](const std::string& what) {
                                      return product_hint(what, "a product does not fit: with "
                                          "query_in [3 × 8] and kv_in [5 × 8], Q comes from query_in, "
                                          "K and V from kv_in, and each head's scores are Q_j·K_jᵀ [3 × 5]");
                                  });
        if (!why.empty()) return why;
        if (same(got, expected)) continue;
        const std::string when = " (" + std::to_string(c.heads) + " heads" +
                                 (c.mask.is_empty() ? "" : ", with a mask") + ")";
        const auto with = [&](MhaMistakes m) { return model_mha(mha, query_in, kv_in, c.mask, m); };
        MhaMistakes d_model_scale, no_wo, reversed, interleaved, kv_query, ignore_mask, no_bias, one_head;
        d_model_scale.scale_by_d_model = true;
        no_wo.no_wo = true;
        reversed.reversed_merge = true;
        interleaved.interleaved_split = true;
        kv_query.kv_from_query = true;
        ignore_mask.ignore_mask = true;
        no_bias.no_bias = true;
        one_head.one_head = true;
        std::vector<Mistake> mistakes = {
            {"scores scaled by √d_model instead of √d_k = √(d_model / h), a head's width", with(d_model_scale)},
            {"the output projection wo was not applied to the merged heads", with(no_wo)},
            {"heads merged in the wrong order: head 0's output is the leftmost block", with(reversed)},
            {"heads split as interleaved columns: head j is the contiguous block of columns "
             "j·d_k … (j+1)·d_k − 1",
             with(interleaved)},
            {"attention computed as one head over all d_model columns: split Q, K, V into h heads",
             with(one_head)},
            {"the biases of wq, wk, wv, wo were not added", with(no_bias)}};
        if (c.mask.is_empty())
            mistakes.push_back({"K and V were projected from query_in: they come from kv_in (the "
                                "encoder's memory in cross-attention)",
                                with(kv_query)});
        else
            mistakes.push_back({"the mask is ignored: blocked keys must get weight 0", with(ignore_mask)});
        why = first_match(got, mistakes);
        if (!why.empty()) return why + when;
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + when + ", expected [n_q × d_model] = " + dims(expected);
        return "differs from the course's multi-head attention" + when + ": " + difference(expected, got);
    }
    return "";
}

// ── 05 ffn ───────────────────────────────────────────────────────────────────

namespace {

// LayerNorm with optional mistakes (weight/bias [1 × d]).
enum class LnMistake { none, eps_outside, sample_variance, over_columns, no_affine, no_eps,
                       variance_not_std, swapped_affine };
arma::mat model_layer_norm(const arma::mat& x, const arma::mat& weight, const arma::mat& bias,
                           double eps, LnMistake m = LnMistake::none) {
    const arma::mat in = m == LnMistake::over_columns ? arma::mat(x.t()) : x;
    const double d = static_cast<double>(in.n_cols);
    const arma::vec mean = arma::sum(in, 1) / d;
    const arma::mat centered = in.each_col() - mean;
    const double divisor = m == LnMistake::sample_variance ? d - 1 : d;
    const arma::vec var = arma::sum(arma::square(centered), 1) / divisor;
    arma::vec denom = arma::sqrt(var + eps);
    if (m == LnMistake::eps_outside) denom = arma::sqrt(var) + eps;
    if (m == LnMistake::no_eps) denom = arma::sqrt(var);
    if (m == LnMistake::variance_not_std) denom = var + eps;
    arma::mat xhat = centered.each_col() / denom;
    if (m == LnMistake::over_columns) xhat = arma::mat(xhat.t());
    if (m == LnMistake::no_affine) return xhat;
    const arma::mat& scale = m == LnMistake::swapped_affine ? bias : weight;
    const arma::mat& shift = m == LnMistake::swapped_affine ? weight : bias;
    arma::mat y = xhat.each_row() % scale;
    y.each_row() += shift;
    return y;
}

}  // namespace

std::string check_layer_norm(decltype(&layer_norm) candidate) {
    // By hand with eps = 1 (large, so where ε goes shows), weight 1, bias 0:
    //   [1, 2, 3, 4]: μ 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, √(1.25 + 1) = 1.5
    //                 → [−1, −1/3, 1/3, 1]
    //   [2, 2, 2, 6]: μ 3, σ² = (1 + 1 + 1 + 9)/4 = 3, √(3 + 1) = 2 → [−0.5, −0.5, −0.5, 1.5]
    //   [7, 7, 7, 7]: σ² = 0 → [0, 0, 0, 0] (ε keeps it from 0/0)
    // Three rows and four features, so normalising the columns gives other numbers.
    const arma::mat x = {{1, 2, 3, 4}, {2, 2, 2, 6}, {7, 7, 7, 7}};
    const arma::mat ones(1, 4, arma::fill::ones), zeros(1, 4, arma::fill::zeros);
    const arma::mat hand = {{-1, -1.0 / 3, 1.0 / 3, 1}, {-0.5, -0.5, -0.5, 1.5}, {0, 0, 0, 0}};
    // Then weight [1, 2, 3, 4] and bias [0, 1, 0, −1] scale and shift each column.
    const arma::mat weight = {{1, 2, 3, 4}}, bias = {{0, 1, 0, -1}};
    arma::mat hand_affine = hand.each_row() % weight;
    hand_affine.each_row() += bias;

    arma::mat got;
    std::string why = attempt([&] { got = candidate(x, ones, zeros, 1.0); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (arma::size(got) != arma::size(x))
            return "returned " + dims(got) + ", expected " + dims(x) + " (the input's shape)";
        const auto with = [&](LnMistake m) { return model_layer_norm(x, ones, zeros, 1.0, m); };
        why = first_match(
            got, {{"ε added outside the square root: divide by √(σ² + ε), not √σ² + ε", with(LnMistake::eps_outside)},
                  {"variance divided by d_model − 1 (the sample variance): LayerNorm divides by d_model",
                   with(LnMistake::sample_variance)},
                  {"normalised over columns (dim = 0, across tokens) instead of over each row's "
                   "features (dim = 1)",
                   with(LnMistake::over_columns)},
                  {"ε was left out: divide by √(σ² + ε)", with(LnMistake::no_eps)},
                  {"divided by the variance σ² + ε instead of the standard deviation √(σ² + ε)",
                   with(LnMistake::variance_not_std)}});
        if (!why.empty()) return why;
        if (!got.is_finite())
            return "a row of equal values gives NaN: with σ² = 0 the denominator is √ε, not 0";
        return "the normalised rows differ from the hand-computed values (eps = 1): " + difference(hand, got);
    }
    why = attempt([&] { got = candidate(x, weight, bias, 1.0); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand_affine)) {
        why = first_match(got, {{"weight and bias were not applied: y = x̂ ⊙ weight + bias",
                                 model_layer_norm(x, weight, bias, 1.0, LnMistake::no_affine)},
                                {"weight and bias swapped: y = x̂ ⊙ weight + bias",
                                 model_layer_norm(x, weight, bias, 1.0, LnMistake::swapped_affine)}});
        if (!why.empty()) return why;
        return "with weight [1, 2, 3, 4] and bias [0, 1, 0, −1], y = x̂ ⊙ weight + bias differs: " +
               (arma::size(got) == arma::size(hand_affine) ? difference(hand_affine, got) : "returned " + dims(got));
    }

    // Random, PyTorch's eps, against the core: 5 tokens, d_model 6.
    tfm::set_seed(109);
    const arma::mat xr = 3.0 * tfm::normal(5, 6) + 1.0, wr = tfm::normal(1, 6), br = tfm::normal(1, 6);
    tfm::LayerNorm core(6, 1e-5);
    core.weight = wr;
    core.bias = br;
    const arma::mat expected = core.forward(xr);
    if (!same(expected, model_layer_norm(xr, wr, br, 1e-5)))
        return "the course's LayerNorm disagrees with the formula (a bug in src/, not in your code)";
    why = attempt([&] { got = candidate(xr, wr, br, 1e-5); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(got, {{"eps is ignored: use the eps argument (here 1e-5), not a constant of your own",
                                 model_layer_norm(xr, wr, br, 1.0)}});
        if (!why.empty()) return why;
        return "differs from the course's LayerNorm on random [5 × 6] input: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got) : "returned " + dims(got));
    }
    return "";
}

std::string check_feed_forward(decltype(&feed_forward) candidate) {
    // By hand, ReLU: d_model 2, d_ff 3, three tokens.
    //   W1 = [[1, 0], [0, 1], [1, 1]], b1 = [0, 0, 1];  W2 = [[1, 1, 1], [1, −1, 2]], b2 = [0.5, 0]
    //   [1, −1]:  hidden [1, −1, 1] → ReLU [1, 0, 1]     → [1 + 0 + 1, 1 − 0 + 2] + b2 = [2.5, 3]
    //   [0.5, 2]: hidden [0.5, 2, 3.5] (all > 0)         → [6, 5.5] + b2 = [6.5, 5.5]
    //   [−2, −1]: hidden [−2, −1, −2] → ReLU [0, 0, 0]   → b2 = [0.5, 0]
    const arma::mat x = {{1, -1}, {0.5, 2}, {-2, -1}};
    const arma::mat w1 = {{1, 0}, {0, 1}, {1, 1}}, b1 = {{0, 0, 1}};
    const arma::mat w2 = {{1, 1, 1}, {1, -1, 2}}, b2 = {{0.5, 0}};
    const arma::mat hand = {{2.5, 3}, {6.5, 5.5}, {0.5, 0}};
    const auto explain = [](const std::string& what) {
        return product_hint(what, "a product does not fit: W1 is [d_ff × d_model] and W2 "
                                  "[d_model × d_ff], so FFN(x) = act(x·W1ᵀ + b1)·W2ᵀ + b2");
    };
    // The usual mistakes, on any inputs.
    const auto mistakes = [](const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                             const arma::mat& w2, const arma::mat& b2, tfm::Activation act) {
        const auto f = [act](const arma::mat& h) { return act == tfm::Activation::relu ? relu(h) : gelu(h); };
        const auto other = [act](const arma::mat& h) { return act == tfm::Activation::relu ? gelu(h) : relu(h); };
        const arma::mat pre = plus_row(x * w1.t(), b1);
        const std::string act_name = act == tfm::Activation::relu ? "ReLU" : "GELU";
        std::vector<Mistake> list = {
            {act_name + " applied after the second linear instead of between the two",
             f(plus_row(pre * w2.t(), b2))},
            {act_name + " applied after both linears: only the hidden layer (after W1) gets it",
             f(plus_row(f(pre) * w2.t(), b2))},
            {"no activation between the two linears: FFN(x) = act(x·W1ᵀ + b1)·W2ᵀ + b2",
             plus_row(pre * w2.t(), b2)},
            {"the biases were not added", f(x * w1.t()) * w2.t()},
            {"the activation argument is ignored: " + act_name + " was asked for",
             plus_row(other(pre) * w2.t(), b2)}};
        if (act == tfm::Activation::gelu)
            list.push_back({"GELU approximated with tanh: the course uses the exact form "
                            "x·Φ(x) = x·½(1 + erf(x/√2))",
                            plus_row(gelu_tanh(pre) * w2.t(), b2)});
        return list;
    };

    arma::mat got;
    std::string why = attempt([&] { got = candidate(x, w1, b1, w2, b2, tfm::Activation::relu); }, explain);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        why = first_match(got, mistakes(x, w1, b1, w2, b2, tfm::Activation::relu));
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected [n × d_model] = " + dims(hand);
        return "FFN with ReLU differs from the hand-computed values: " + difference(hand, got);
    }

    // Random, against the core: 4 tokens, d_model 3, d_ff 6, ReLU and GELU.
    tfm::set_seed(110);
    const arma::mat xr = tfm::normal(4, 3);
    for (tfm::Activation act : {tfm::Activation::relu, tfm::Activation::gelu}) {
        tfm::FeedForward core(3, 6, act);
        const arma::mat rw1 = core.linear1.weight, rb1 = core.linear1.bias;
        const arma::mat rw2 = core.linear2.weight, rb2 = core.linear2.bias;
        const arma::mat expected = core.forward(xr);
        const auto f = [act](const arma::mat& h) { return act == tfm::Activation::relu ? relu(h) : gelu(h); };
        if (!same(expected, plus_row(f(plus_row(xr * rw1.t(), rb1)) * rw2.t(), rb2)))
            return "the course's FeedForward disagrees with the formula (a bug in src/, not in your code)";
        why = attempt([&] { got = candidate(xr, rw1, rb1, rw2, rb2, act); }, explain);
        if (!why.empty()) return why;
        if (same(got, expected)) continue;
        why = first_match(got, mistakes(xr, rw1, rb1, rw2, rb2, act));
        if (!why.empty()) return why;
        return "differs from the course's FFN with " + tfm::to_string(act) + " on random input: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got) : "returned " + dims(got));
    }
    return "";
}

// ── backprop helpers ─────────────────────────────────────────────────────────

namespace {

// Central differences of a scalar function at `at`, step h (double precision):
//   g[i] = (f(at + h·e_i) − f(at − h·e_i)) / 2h
arma::mat central_differences(const std::function<double(const arma::mat&)>& f, const arma::mat& at,
                              double h = 1e-6) {
    arma::mat x = at, g(arma::size(at));
    for (arma::uword i = 0; i < x.n_elem; ++i) {
        const double keep = x(i);
        x(i) = keep + h;
        const double up = f(x);
        x(i) = keep - h;
        const double down = f(x);
        x(i) = keep;
        g(i) = (up - down) / (2 * h);
    }
    return g;
}

// ‖a − b‖ / max(‖a‖, ‖b‖): the gradient checks' measure; ≤ 1e-6 means they agree.
double relative_error(const arma::mat& a, const arma::mat& b) {
    const double scale = std::max({arma::norm(a, "fro"), arma::norm(b, "fro"), 1e-300});
    return arma::norm(a - b, "fro") / scale;
}
constexpr double kGradTolerance = 1e-6;

}  // namespace

std::string check_softmax_rows_backward(decltype(&softmax_rows_backward) candidate) {
    // By hand: ds_j = w_j (dw_j − Σ_k w_k dw_k).
    //   w [0.25, 0.75, 0],   dw [1, 0, 5]:  Σ = 0.25 → [0.25·0.75, 0.75·(−0.25), 0] = [0.1875, −0.1875, 0]
    //   w [0.5, 0.25, 0.25], dw [2, −2, 0]: Σ = 0.5  → [0.5·1.5, 0.25·(−2.5), 0.25·(−0.5)]
    //                                                = [0.75, −0.625, −0.125]
    const arma::mat w = {{0.25, 0.75, 0}, {0.5, 0.25, 0.25}};
    const arma::mat dw = {{1, 0, 5}, {2, -2, 0}};
    const arma::mat hand = {{0.1875, -0.1875, 0}, {0.75, -0.625, -0.125}};
    const auto mistakes = [](const arma::mat& w, const arma::mat& dw) {
        const arma::vec row_dot = arma::sum(w % dw, 1);
        const arma::rowvec col_dot = arma::sum(w % dw, 0);
        arma::mat centered = dw.each_col() - row_dot;
        arma::mat by_columns = dw.each_row() - col_dot;
        return std::vector<Mistake>{
            {"the Σ_k w_k·dw_k term is missing: softmax's Jacobian is diag(w) − wᵀw per row, not diag(w)",
             w % dw},
            {"Σ_k w_k·dw_k was summed over columns (dim = 0): it is one number per row (dim = 1)",
             w % by_columns},
            {"only the diagonal of the Jacobian, w_j(1 − w_j), was used: every w_k of the row "
             "contributes through Σ_k w_k·dw_k",
             w % (1 - w) % dw},
            {"the factor w_j in front is missing: ds_j = w_j·(dw_j − Σ_k w_k·dw_k)", centered},
            {"the sign is flipped: ds_j = w_j·(dw_j − Σ_k w_k·dw_k)", -(w % centered)}};
    };

    arma::mat got;
    std::string why = attempt([&] { got = candidate(w, dw); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (arma::size(got) != arma::size(w))
            return "returned " + dims(got) + ", expected " + dims(w) + " (the weights' shape)";
        why = first_match(got, mistakes(w, dw));
        if (!why.empty()) return why;
        return "dscores differs from the hand-computed values: " + difference(hand, got);
    }

    // Random scores [4 × 6] with a mask, against the core and finite differences of
    // L(s) = Σ softmax_rows(s, mask) ⊙ G, whose dL/dweights is G.
    tfm::set_seed(111);
    const arma::mat s = 2.0 * tfm::normal(4, 6), g = tfm::normal(4, 6);
    const tfm::Mask mask = mask_of({{0, 1, 0, 0, 1, 0}, {0, 0, 0, 0, 0, 1}, {1, 1, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}});
    const arma::mat wr = tfm::softmax_rows(s, mask);
    const arma::mat expected = tfm::softmax_rows_backward(wr, g);
    const arma::mat numeric = central_differences(
        [&](const arma::mat& x) { return arma::accu(model_softmax(x, mask) % g); }, s);
    if (relative_error(expected, numeric) > kGradTolerance)
        return "the course's softmax_rows_backward disagrees with finite differences (a bug in src/, not in your code)";
    why = attempt([&] { got = candidate(wr, g); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(got, mistakes(wr, g));
        if (!why.empty()) return why;
        return "differs from finite differences on random masked [4 × 6] scores: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got) : "returned " + dims(got));
    }
    return "";
}

std::string check_layer_norm_backward(decltype(&layer_norm_backward) candidate) {
    // Random x [3 × 5] (3 tokens ≠ 5 features), weight [1 × 5], eps 1e-5, dy [3 × 5];
    // the truth is the core's backward, itself checked by finite differences of
    // L = Σ LN(x) ⊙ dy through the independent model above.
    tfm::set_seed(112);
    const arma::mat x = 2.0 * tfm::normal(3, 5) + 1.0, weight = tfm::normal(1, 5), dy = tfm::normal(3, 5);
    const arma::mat bias = tfm::normal(1, 5);
    const double eps = 1e-5;
    tfm::LayerNorm core(5, eps);
    core.weight = weight;
    core.bias = bias;
    core.forward(x);
    const arma::mat dx = core.backward(dy), dweight = core.weight_grad, dbias = core.bias_grad;
    const auto loss_x = [&](const arma::mat& v) { return arma::accu(model_layer_norm(v, weight, bias, eps) % dy); };
    const auto loss_w = [&](const arma::mat& v) { return arma::accu(model_layer_norm(x, v, bias, eps) % dy); };
    const auto loss_b = [&](const arma::mat& v) { return arma::accu(model_layer_norm(x, weight, v, eps) % dy); };
    if (relative_error(dx, central_differences(loss_x, x)) > kGradTolerance ||
        relative_error(dweight, central_differences(loss_w, weight)) > kGradTolerance ||
        relative_error(dbias, central_differences(loss_b, bias)) > kGradTolerance)
        return "the course's LayerNorm backward disagrees with finite differences (a bug in src/, not in your code)";

    LayerNormGrads got;
    std::string why = attempt([&] { got = candidate(x, weight, eps, dy); }, threw_on_valid_input);
    if (!why.empty()) return why;

    // The usual mistakes, from the forward's pieces.
    const arma::vec mean = arma::mean(x, 1);
    const arma::mat centered = x.each_col() - mean;
    const arma::vec inv_std = 1.0 / arma::sqrt(arma::mean(arma::square(centered), 1) + eps);
    const arma::mat xhat = centered.each_col() % inv_std;
    const arma::mat dxhat = dy.each_row() % weight;
    const auto finish = [&](const arma::mat& dxh, bool mean_term, bool var_term) {
        arma::mat out = dxh;
        if (mean_term) out.each_col() -= arma::mean(dxh, 1);
        if (var_term) out -= xhat.each_col() % arma::vec(arma::mean(dxh % xhat, 1));
        return arma::mat(out.each_col() % inv_std);
    };
    const std::string statistics =
        "dx treats μ and σ² as constants, but both depend on every x of the row: "
        "dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) / √(σ² + ε)";

    if (arma::size(got.dx) != arma::size(x))
        return "dx is " + dims(got.dx) + ", expected " + dims(x) + " (the input's shape)";
    if (!same(got.dx, dx)) {
        why = first_match(got.dx, {{statistics, finish(dxhat, false, false)},
                                   {"dx misses the term from σ²: subtract x̂·mean(dx̂ ⊙ x̂) too",
                                    finish(dxhat, true, false)},
                                   {"dx misses the term from μ: subtract mean(dx̂) too", finish(dxhat, false, true)},
                                   {"the weight was left out of dx: dx̂ = dy ⊙ weight", finish(dy, true, true)}});
        if (!why.empty()) return why;
        return "dx differs from finite differences: " + difference(dx, got.dx);
    }
    const auto sums = [](const std::string& name, const arma::mat& m) {
        return name + " is " + dims(m) + ": sum over the rows (tokens), one number per feature, [1 × d_model]";
    };
    if (got.dweight.n_rows != 1 || got.dweight.n_cols != 5) return sums("dweight", got.dweight);
    if (got.dbias.n_rows != 1 || got.dbias.n_cols != 5) return sums("dbias", got.dbias);
    if (same(got.dweight, dbias) && same(got.dbias, dweight))
        return "dweight and dbias swapped: dweight = Σ_rows dy ⊙ x̂, dbias = Σ_rows dy";
    if (!same(got.dweight, dweight)) {
        if (same(got.dweight, arma::sum(dy % x, 0)))
            return "dweight used x instead of the normalised x̂: dweight = Σ_rows dy ⊙ x̂";
        return "dweight differs from Σ_rows dy ⊙ x̂: " + difference(dweight, got.dweight);
    }
    if (!same(got.dbias, dbias)) return "dbias differs from Σ_rows dy: " + difference(dbias, got.dbias);
    return "";
}

// ── 08 rnn_vs_attention ──────────────────────────────────────────────────────

std::string check_rescale_to_spectral_radius(decltype(&rescale_to_spectral_radius) candidate) {
    // By hand:
    //   B = [[0.5, −2], [2, 0.5]]: λ = 0.5 ± 2i, ρ = √(0.25 + 4) = √4.25 (largest real part 0.5);
    //       rescaled to ρ 1 → B / √4.25.
    //   A = [[1, 4], [0, 2]]: λ = 1, 2, ρ = 2 (but ‖A‖₂ ≈ 4.27, ‖A‖_F = √21, max entry 4);
    //       rescaled to ρ 0.5 → A / 4.
    const arma::mat b = {{0.5, -2}, {2, 0.5}}, a = {{1, 4}, {0, 2}};
    struct Case {
        const arma::mat* m;
        double rho, radius;
    };
    for (const Case& c : {Case{&b, 1.0, std::sqrt(4.25)}, Case{&a, 0.5, 2.0}}) {
        const arma::mat& m = *c.m;
        const arma::mat hand = m * (c.rho / c.radius);
        arma::mat got;
        std::string why = attempt([&] { got = candidate(m, c.rho); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, hand)) continue;
        const arma::mat lower_sym = arma::symmatl(m);
        const arma::cx_vec eig = arma::eig_gen(m);
        why = first_match(
            got,
            {{"the largest real part of the eigenvalues was used: ρ is the largest modulus |λ|, "
              "and the eigenvalues of a non-symmetric matrix can be complex",
              m * (c.rho / arma::max(arma::real(eig)))},
             {"divided by the largest singular value norm(W, 2), not the spectral radius max |λ|",
              m * (c.rho / arma::norm(m, 2))},
             {"divided by the Frobenius norm, not the spectral radius max |λ|", m * (c.rho / arma::norm(m, "fro"))},
             {"divided by the largest |entry|, not the spectral radius max |λ|", m * (c.rho / arma::abs(m).max())},
             {"eig_sym assumes a symmetric matrix (it reads one triangle): W is not symmetric, use eig_gen",
              m * (c.rho / arma::abs(arma::eig_sym(lower_sym)).max())},
             {"the ratio is upside down: multiply by rho / ρ(W)", m * (c.radius / c.rho)}});
        if (!why.empty()) return why;
        return "rescaling " + dims(m) + " to ρ = " + num(c.rho) + " differs from W·ρ/max|λ| (max|λ| = " +
               num(c.radius) + "): " + (arma::size(got) == arma::size(m) ? difference(hand, got) : "returned " + dims(got));
    }

    // A random non-symmetric 6 × 6, against the core and the definition.
    tfm::set_seed(113);
    const arma::mat w = tfm::normal(6, 6);
    const arma::mat expected = tfm::rescale_to_spectral_radius(w, 0.9);
    if (std::abs(arma::abs(arma::eig_gen(expected)).max() - 0.9) > 1e-10)
        return "the course's rescale_to_spectral_radius misses ρ = 0.9 (a bug in src/, not in your code)";
    arma::mat got;
    std::string why = attempt([&] { got = candidate(w, 0.9); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected))
        return "rescaling a random [6 × 6] to ρ = 0.9 differs from the course's: " +
               (arma::size(got) == arma::size(w) ? difference(expected, got) : "returned " + dims(got));

    // What cannot be done must be refused, not returned as ∞ or NaN.
    const arma::mat nilpotent = {{0, 1}, {0, 0}};
    const std::vector<std::pair<std::string, std::function<void()>>> refusals = {
        {"rho = 0 was accepted: a spectral radius must be > 0 (throw)", [&] { got = candidate(w, 0.0); }},
        {"rho = −1 was accepted: a spectral radius must be > 0 (throw)", [&] { got = candidate(w, -1.0); }},
        {"a nilpotent matrix (ρ = 0, e.g. [[0, 1], [0, 0]]) was rescaled: it has no scale to "
         "change, throw instead of dividing by 0",
         [&] { got = candidate(nilpotent, 1.0); }}};
    for (const auto& [diagnosis, call] : refusals) {
        bool refused = true;
        why = attempt([&] { call(); refused = false; }, [](const std::string&) { return std::string(); });
        if (!why.empty()) return why;
        if (!refused) return diagnosis;
    }
    return "";
}

std::string check_rnn_step_backward(decltype(&rnn_step_backward) candidate) {
    // d_in 3, d_hidden 4: every gradient has its own shape. The truth is the core's
    // rnn_step_backward, itself checked by finite differences of L = h_t · dhᵀ.
    tfm::set_seed(114);
    const arma::mat w_hh = 0.6 * tfm::normal(4, 4), w_xh = 0.6 * tfm::normal(4, 3), b = 0.2 * tfm::normal(1, 4);
    const arma::rowvec h_prev = arma::tanh(arma::rowvec(tfm::normal(1, 4))), x_t = tfm::normal(1, 3);
    const arma::rowvec dh = tfm::normal(1, 4);
    const auto product_error = [](const std::string& what) {
        return product_hint(what, "a product does not fit: with a_t = h_{t−1}·w_hhᵀ + x_t·w_xhᵀ + b, "
                                  "dh_{t−1} = da·w_hh [1 × d_hidden], dx = da·w_xh [1 × d_in], "
                                  "dw_hh = daᵀ·h_{t−1}, dw_xh = daᵀ·x_t");
    };

    for (tfm::RnnActivation act : {tfm::RnnActivation::tanh, tfm::RnnActivation::linear}) {
        const bool is_tanh = act == tfm::RnnActivation::tanh;
        const auto step = [&](const arma::mat& whh, const arma::mat& wxh, const arma::mat& bias,
                              const arma::mat& hp, const arma::mat& x) {
            const arma::mat a = hp * whh.t() + x * wxh.t() + bias;
            return is_tanh ? arma::mat(arma::tanh(a)) : a;
        };
        const arma::rowvec h_t = tfm::rnn_step(w_hh, w_xh, b, act, h_prev, x_t);
        const tfm::RnnStepGrads want = tfm::rnn_step_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh);
        const auto loss = [&](const arma::mat& v) { return arma::accu(v % arma::mat(dh)); };
        const bool core_ok =
            relative_error(want.dh_prev, central_differences([&](const arma::mat& v) { return loss(step(w_hh, w_xh, b, v, x_t)); }, h_prev)) <= kGradTolerance &&
            relative_error(want.dx, central_differences([&](const arma::mat& v) { return loss(step(w_hh, w_xh, b, h_prev, v)); }, x_t)) <= kGradTolerance &&
            relative_error(want.dw_hh, central_differences([&](const arma::mat& v) { return loss(step(v, w_xh, b, h_prev, x_t)); }, w_hh)) <= kGradTolerance &&
            relative_error(want.dw_xh, central_differences([&](const arma::mat& v) { return loss(step(w_hh, v, b, h_prev, x_t)); }, w_xh)) <= kGradTolerance &&
            relative_error(want.dbias, central_differences([&](const arma::mat& v) { return loss(step(w_hh, w_xh, v, h_prev, x_t)); }, b)) <= kGradTolerance;
        if (!core_ok)
            return "the course's rnn_step_backward disagrees with finite differences (a bug in src/, not in your code)";

        tfm::RnnStepGrads got;
        std::string why = attempt([&] { got = candidate(w_hh, w_xh, act, h_prev, x_t, h_t, dh); }, product_error);
        if (!why.empty()) return why;
        const std::string when = is_tanh ? " (tanh)" : " (linear activation)";
        // dbias = da shows how the activation's derivative was taken.
        if (!same(got.dbias, want.dbias)) {
            if (arma::size(got.dbias) != arma::size(want.dbias))
                return "dbias is " + dims(got.dbias) + when + ", expected " + dims(want.dbias) + ": it is da";
            if (is_tanh) {
                why = first_match(got.dbias,
                                  {{"tanh′ is missing: da = dh ⊙ (1 − h_t²)", dh},
                                   {"tanh′ was computed from h_{t−1}: it is 1 − h_t², from this step's output",
                                    dh % (1 - arma::square(h_prev))},
                                   {"tanh was applied twice: h_t is already tanh(a_t), so tanh′ = 1 − h_t²",
                                    dh % (1 - arma::square(arma::tanh(h_t)))},
                                   {"tanh′ is 1 − h_t², not 1 − h_t", dh % (1 - h_t)}});
                if (!why.empty()) return why;
            } else if (same(got.dbias, dh % (1 - arma::square(h_t)))) {
                return "with the linear activation act′ = 1: da = dh, no tanh′";
            }
            return "dbias (= da) differs" + when + ": " + difference(want.dbias, got.dbias);
        }
        const arma::rowvec da = want.dbias;
        struct Field {
            const char* name;
            const arma::mat got, want;
            std::vector<Mistake> mistakes;
        };
        const std::vector<Field> fields = {
            {"dh_prev", got.dh_prev, want.dh_prev,
             {{"dh_{t−1} used w_hhᵀ: the forward multiplies h_{t−1} by w_hhᵀ, so the gradient "
               "flows back through w_hh (dh_{t−1} = da·w_hh)",
               da * w_hh.t()},
              {"dh_{t−1} skipped the activation's derivative: dh_{t−1} = da·w_hh with da = dh ⊙ act′",
               dh * w_hh}}},
            {"dx", got.dx, want.dx, {{"dx skipped the activation's derivative: dx = da·w_xh", dh * w_xh}}},
            {"dw_hh", got.dw_hh, want.dw_hh,
             {{"dw_hh is transposed: it is daᵀ·h_{t−1} (row i for hidden unit i, as w_hh)", h_prev.t() * da},
              {"dw_hh used h_t instead of h_{t−1}: dw_hh = daᵀ·h_{t−1}", da.t() * h_t}}},
            {"dw_xh", got.dw_xh, want.dw_xh, {}},
        };
        for (const Field& f : fields) {
            if (same(f.got, f.want)) continue;
            if (arma::size(f.got) != arma::size(f.want))
                return std::string(f.name) + " is " + dims(f.got) + when + ", expected " + dims(f.want) +
                       " (a gradient has its parameter's shape)";
            why = first_match(f.got, f.mistakes);
            if (!why.empty()) return why + when;
            return std::string(f.name) + " differs from finite differences" + when + ": " + difference(f.want, f.got);
        }
    }
    return "";
}

// ── 06 encoder, 07 decoder ───────────────────────────────────────────────────

namespace {

// LayerNorm's defaults (weight 1, bias 0) would hide which norm went where.
void randomize(tfm::LayerNorm& norm) {
    norm.weight = 1.0 + 0.3 * tfm::normal(1, norm.weight.n_cols);
    norm.bias = 0.2 * tfm::normal(1, norm.bias.n_cols);
}

tfm::ModelConfig small_config(bool norm_first) {
    tfm::ModelConfig config;
    config.d_model = 8;
    config.num_heads = 2;
    config.d_ff = 12;
    config.norm_first = norm_first;
    return config;
}

struct EncoderMistakes {
    bool flip_norm_first = false, no_residual1 = false, no_residual2 = false,
         norm_before_add = false, swap_norms = false, ignore_mask = false, raw_keys = false;
};
// One encoder layer from its pieces, run on a copy, with optional mistakes.
arma::mat model_encoder_layer(tfm::EncoderLayer layer, const arma::mat& x, const tfm::Mask& mask,
                              EncoderMistakes m = {}) {
    const bool pre = layer.norm_first != m.flip_norm_first;
    tfm::LayerNorm& n1 = m.swap_norms ? layer.norm2 : layer.norm1;
    tfm::LayerNorm& n2 = m.swap_norms ? layer.norm1 : layer.norm2;
    const tfm::Mask use = m.ignore_mask ? tfm::Mask() : mask;
    const arma::mat zero(arma::size(x), arma::fill::zeros);
    if (pre) {
        const arma::mat n = n1.forward(x);
        const arma::mat a = (m.no_residual1 ? zero : x) + layer.self_attn.forward(n, m.raw_keys ? x : n, use);
        const arma::mat f = layer.ffn.forward(n2.forward(a));
        return (m.no_residual2 ? zero : a) + f;
    }
    const arma::mat s = layer.self_attn.forward(x, x, use);
    const arma::mat a = m.norm_before_add ? arma::mat(n1.forward(x) + s) : n1.forward((m.no_residual1 ? zero : x) + s);
    const arma::mat f = layer.ffn.forward(a);
    return m.norm_before_add ? arma::mat(n2.forward(a) + f) : n2.forward((m.no_residual2 ? zero : a) + f);
}

struct DecoderMistakes {
    bool flip_norm_first = false, ignore_tgt_mask = false, ignore_memory_mask = false,
         kv_from_stream = false, queries_from_y = false, no_cross_residual = false;
};
arma::mat model_decoder_layer(tfm::DecoderLayer layer, const arma::mat& y, const arma::mat& memory,
                              const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask,
                              DecoderMistakes m = {}) {
    const bool pre = layer.norm_first != m.flip_norm_first;
    const tfm::Mask self_mask = m.ignore_tgt_mask ? tfm::Mask() : tgt_mask;
    const tfm::Mask cross_mask = m.ignore_memory_mask ? tfm::Mask() : memory_mask;
    const arma::mat zero(arma::size(y), arma::fill::zeros);
    if (pre) {
        const arma::mat n1 = layer.norm1.forward(y);
        const arma::mat a = y + layer.self_attn.forward(n1, n1, self_mask);
        const arma::mat q = m.queries_from_y ? y : layer.norm2.forward(a);
        const arma::mat b = (m.no_cross_residual ? zero : a) +
                            layer.cross_attn.forward(q, m.kv_from_stream ? q : memory, cross_mask);
        return b + layer.ffn.forward(layer.norm3.forward(b));
    }
    const arma::mat a = layer.norm1.forward(y + layer.self_attn.forward(y, y, self_mask));
    const arma::mat q = m.queries_from_y ? y : a;
    const arma::mat b = layer.norm2.forward((m.no_cross_residual ? zero : a) +
                                            layer.cross_attn.forward(q, m.kv_from_stream ? q : memory, cross_mask));
    return layer.norm3.forward(b + layer.ffn.forward(b));
}

std::string layout(bool norm_first) { return norm_first ? " (pre-LN)" : " (post-LN)"; }

}  // namespace

std::string check_encoder_layer(decltype(&encoder_layer) candidate) {
    // 5 tokens, d_model 8, 2 heads, d_ff 12; the last two tokens are padding.
    tfm::set_seed(115);
    const arma::mat x = tfm::normal(5, 8);
    const tfm::Mask mask = tfm::padding_mask(5, {false, false, false, true, true});
    for (bool norm_first : {false, true}) {
        tfm::EncoderLayer layer(small_config(norm_first));
        randomize(layer.norm1);
        randomize(layer.norm2);
        for (const tfm::Mask& m : {tfm::Mask(), mask}) {
            tfm::EncoderLayer core = layer;
            const arma::mat expected = core.forward(x, m);
            if (!same(expected, model_encoder_layer(layer, x, m)))
                return "the course's EncoderLayer disagrees with its pieces (a bug in src/, not in your code)";
            tfm::EncoderLayer given = layer;
            arma::mat got;
            std::string why = attempt([&] { got = candidate(given, x, m); }, threw_on_valid_input);
            if (!why.empty()) return why;
            if (same(got, expected)) continue;
            const std::string when = layout(norm_first) + (m.is_empty() ? "" : " with a padding mask");
            const auto with = [&](EncoderMistakes e) { return model_encoder_layer(layer, x, m, e); };
            EncoderMistakes flip, res1, res2, before, swap, unmasked, raw;
            flip.flip_norm_first = res1.no_residual1 = res2.no_residual2 = true;
            before.norm_before_add = swap.swap_norms = unmasked.ignore_mask = raw.raw_keys = true;
            std::vector<Mistake> mistakes = {
                {norm_first ? "this layer is pre-LN (layer.norm_first): a = x + SelfAttn(norm1(x)), y = a + FFN(norm2(a))"
                            : "this layer is post-LN (layer.norm_first is false): a = norm1(x + SelfAttn(x)), y = norm2(a + FFN(a))",
                 with(flip)},
                {"the residual around self-attention is missing: x + SelfAttn(…)", with(res1)},
                {"the residual around the FFN is missing: a + FFN(…)", with(res2)},
                {"norm1 and norm2 swapped: norm1 goes with self-attention, norm2 with the FFN", with(swap)}};
            if (!norm_first)
                mistakes.push_back({"the norm is applied before the residual add: post-LN is norm1(x + SelfAttn(x)), "
                                    "not norm1(x) + SelfAttn(x)", with(before)});
            else
                mistakes.push_back({"in pre-LN the queries, keys and values all come from norm1(x)", with(raw)});
            if (!m.is_empty()) mistakes.push_back({"the mask was not passed to self-attention", with(unmasked)});
            why = first_match(got, mistakes);
            if (!why.empty()) return why + when;
            if (arma::size(got) != arma::size(expected))
                return "returned " + dims(got) + when + ", expected " + dims(expected);
            return "differs from the course's encoder layer" + when + ": " + difference(expected, got);
        }
    }
    return "";
}

std::string check_decoder_layer(decltype(&decoder_layer) candidate) {
    // 4 target tokens, 6 source tokens (the last two padding), d_model 8, 2 heads.
    tfm::set_seed(116);
    const arma::mat y = tfm::normal(4, 8), memory = tfm::normal(6, 8);
    const tfm::Mask tgt_mask = tfm::causal_mask(4);
    const tfm::Mask memory_mask = tfm::padding_mask(4, {false, false, false, false, true, true});
    const auto explain = [](const std::string& what) {
        if (mentions(what, "mask"))
            return "a mask of the wrong shape reached an attention (" + what + "): tgt_mask [n_tgt × n_tgt] "
                   "is self-attention's, memory_mask [n_tgt × n_src] cross-attention's";
        return product_hint(what, "shapes do not fit: cross_attn.forward(queries, keys_values, …) takes "
                                  "the decoder's stream as queries and memory as keys and values");
    };
    for (bool norm_first : {false, true}) {
        tfm::DecoderLayer layer(small_config(norm_first));
        randomize(layer.norm1);
        randomize(layer.norm2);
        randomize(layer.norm3);
        for (const tfm::Mask& mm : {tfm::Mask(), memory_mask}) {
            tfm::DecoderLayer core = layer;
            const arma::mat expected = core.forward(y, memory, tgt_mask, mm);
            if (!same(expected, model_decoder_layer(layer, y, memory, tgt_mask, mm)))
                return "the course's DecoderLayer disagrees with its pieces (a bug in src/, not in your code)";
            tfm::DecoderLayer given = layer;
            arma::mat got;
            std::string why = attempt([&] { got = candidate(given, y, memory, tgt_mask, mm); }, explain);
            if (!why.empty()) return why;
            if (same(got, expected)) continue;
            const std::string when = layout(norm_first) + (mm.is_empty() ? "" : " with a memory mask");
            const auto with = [&](DecoderMistakes d) { return model_decoder_layer(layer, y, memory, tgt_mask, mm, d); };
            DecoderMistakes flip, no_causal, no_memory_mask, stream_kv, raw_q, no_res;
            flip.flip_norm_first = no_causal.ignore_tgt_mask = no_memory_mask.ignore_memory_mask = true;
            stream_kv.kv_from_stream = raw_q.queries_from_y = no_res.no_cross_residual = true;
            std::vector<Mistake> mistakes = {
                {"the causal tgt_mask was not passed to self-attention: a target token sees the future", with(no_causal)},
                {norm_first ? "this layer is pre-LN (layer.norm_first): each sub-layer reads its norm's output and adds to the stream"
                            : "this layer is post-LN (layer.norm_first is false): each Add is followed by its norm",
                 with(flip)},
                {norm_first ? "cross-attention's queries come from norm2(a), the normalised stream after self-attention, not from y"
                            : "cross-attention's queries come from a = norm1(y + SelfAttn(y)), not from y",
                 with(raw_q)},
                {"the residual around cross-attention is missing: a + CrossAttn(…)", with(no_res)}};
            if (mm.is_empty())
                mistakes.push_back({"cross-attention's keys and values must come from memory (the encoder's "
                                    "output); yours came from the decoder's own stream",
                                    with(stream_kv)});
            else
                mistakes.push_back({"memory_mask was not passed to cross-attention: padded source tokens get attention",
                                    with(no_memory_mask)});
            why = first_match(got, mistakes);
            if (!why.empty()) return why + when;
            if (arma::size(got) != arma::size(expected))
                return "returned " + dims(got) + when + ", expected [n_tgt × d_model] = " + dims(expected);
            return "differs from the course's decoder layer" + when + ": " + difference(expected, got);
        }
    }
    return "";
}

// ── 09 full_model ────────────────────────────────────────────────────────────

namespace {

struct GreedyMistakes {
    bool first_row = false, keep_bos = false, no_append = false, logit = false, no_stop = false,
         drop_eos = false;
    long extra = 0;  // steps beyond (or short of) max_len
};
std::vector<tfm::DecodeStep> model_greedy(tfm::Transformer model, const tfm::TokenIds& src, arma::uword bos,
                                          arma::uword eos, arma::uword max_len, GreedyMistakes m = {}) {
    const arma::mat memory = model.encode(src);
    tfm::TokenIds tgt{bos};
    std::vector<tfm::DecodeStep> steps;
    if (m.keep_bos) steps.push_back({bos, 1.0});
    const long limit = static_cast<long>(max_len) + m.extra;
    for (long made = 0; made < limit; ++made) {
        const arma::mat h = model.decode(tgt, memory);
        const arma::mat logits = model.generator.forward(h.row(m.first_row ? 0 : h.n_rows - 1));
        const arma::mat probs = model_softmax(logits, {});
        const arma::uword token = probs.index_max();
        const tfm::DecodeStep step{token, m.logit ? logits(token) : probs(token)};
        if (token == eos && !m.no_stop) {
            if (!m.drop_eos) steps.push_back(step);
            break;
        }
        steps.push_back(step);
        if (!m.no_append) tgt.push_back(token);
    }
    return steps;
}

bool same(const std::vector<tfm::DecodeStep>& a, const std::vector<tfm::DecodeStep>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].token != b[i].token || !(std::abs(a[i].probability - b[i].probability) <= 1e-9)) return false;
    return true;
}

std::string tokens(const std::vector<tfm::DecodeStep>& steps) {
    std::string out = "[";
    for (size_t i = 0; i < steps.size(); ++i) out += (i ? ", " : "") + std::to_string(steps[i].token);
    return out + "]";
}

}  // namespace

std::string check_greedy_decode(decltype(&greedy_decode) candidate) {
    // A small random model (d_model 8, 2 heads, 2 + 2 layers, 10 source and 11 target
    // tokens); bos 2, eos 3. Seeds are tried until greedy decoding makes 6 tokens, not eos,
    // with at least three different ones, so that reading the wrong row or not appending
    // the chosen token shows in the result.
    tfm::ModelConfig config;
    config.d_model = 8;
    config.num_heads = 2;
    config.d_ff = 16;
    config.src_vocab_size = 10;
    config.tgt_vocab_size = 11;
    const tfm::TokenIds src = {5, 7, 4, 9, 6};
    const arma::uword bos = 2, eos = 3, max_len = 6;
    std::vector<tfm::DecodeStep> expected;
    std::unique_ptr<tfm::Transformer> model;
    for (std::uint64_t seed = 117; seed < 217 && !model; ++seed) {
        tfm::set_seed(seed);
        auto candidate_model = std::make_unique<tfm::Transformer>(config);
        std::vector<tfm::DecodeStep> steps = tfm::greedy_decode(*candidate_model, src, bos, eos, max_len);
        std::vector<arma::uword> ids;
        for (const auto& s : steps) ids.push_back(s.token);
        std::sort(ids.begin(), ids.end());
        const size_t distinct = std::unique(ids.begin(), ids.end()) - ids.begin();
        if (steps.size() == max_len && steps.back().token != eos && distinct >= 3) {
            expected = steps;
            model = std::move(candidate_model);
        }
    }
    if (!model) return "no test model found (a bug in the check, not in your code)";
    if (!same(expected, model_greedy(*model, src, bos, eos, max_len)))
        return "the course's greedy_decode disagrees with the loop it describes (a bug in src/, not in your code)";

    // Case R: the random model, six tokens.
    std::vector<tfm::DecodeStep> got;
    tfm::Transformer given = *model;
    std::string why = attempt([&] { got = candidate(given, src, bos, eos, max_len); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        const auto with = [&](GreedyMistakes m) { return model_greedy(*model, src, bos, eos, max_len, m); };
        GreedyMistakes first, keep, no_append, logit, more, fewer;
        first.first_row = keep.keep_bos = no_append.no_append = logit.logit = true;
        more.extra = 1;
        fewer.extra = -1;
        const std::vector<std::pair<std::string, std::vector<tfm::DecodeStep>>> mistakes = {
            {"the next token was read from the first position's logits: the prediction for the "
             "next token is in the LAST row of the decoder output", with(first)},
            {"the result starts with <bos>: return only the generated steps", with(keep)},
            {"the chosen token was not appended to the target: each step decodes everything generated so far",
             with(no_append)},
            {"the probability recorded is the logit: softmax the last row's logits first", with(logit)},
            {"made max_len + 1 tokens: stop after max_len", with(more)},
            {"made max_len − 1 tokens: max_len tokens are allowed", with(fewer)}};
        for (const auto& [diagnosis, steps] : mistakes)
            if (same(got, steps)) return diagnosis;
        if (got.size() == expected.size()) {
            bool tokens_match = true;
            for (size_t i = 0; i < got.size(); ++i) tokens_match = tokens_match && got[i].token == expected[i].token;
            if (tokens_match)
                return "the tokens are right but a probability is not softmax(last row's logits)[token]";
        }
        return "greedy decoding chose " + tokens(got) + ", expected " + tokens(expected);
    }

    // Case E: eos made certain at the first step — record it, then stop.
    tfm::Transformer eager = *model;
    eager.generator.bias(eos) += 100.0;
    const std::vector<tfm::DecodeStep> e_expected = tfm::greedy_decode(eager, src, bos, eos, max_len);
    tfm::Transformer e_given = eager;
    why = attempt([&] { got = candidate(e_given, src, bos, eos, max_len); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, e_expected)) {
        GreedyMistakes no_stop, drop;
        no_stop.no_stop = drop.drop_eos = true;
        if (same(got, model_greedy(eager, src, bos, eos, max_len, no_stop)))
            return "did not stop at <eos>: stop right after recording it";
        if (same(got, model_greedy(eager, src, bos, eos, max_len, drop)))
            return "<eos> must be recorded as the last step before stopping";
        return "when the first token is <eos> (p ≈ 1) the result should be that one step; yours is " + tokens(got);
    }

    // Case M: eos made impossible — exactly max_len tokens; and max_len 0 — none.
    tfm::Transformer never = *model;
    never.generator.bias(eos) -= 100.0;
    for (arma::uword limit : {arma::uword(4), arma::uword(0)}) {
        const std::vector<tfm::DecodeStep> m_expected = tfm::greedy_decode(never, src, bos, eos, limit);
        tfm::Transformer m_given = never;
        why = attempt([&] { got = candidate(m_given, src, bos, eos, limit); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (!same(got, m_expected))
            return "with max_len " + std::to_string(limit) + " and no <eos> in sight, made " +
                   std::to_string(got.size()) + " tokens " + tokens(got) + ", expected " + tokens(m_expected);
    }
    return "";
}

namespace {

struct AdamResult {
    arma::mat theta, m, v;
};
enum class AdamMistake { none, no_correction, eps_inside, v_of_g, step_from_zero, ascent, defaults, raw_v_corrected_m };
AdamResult model_adam(arma::mat theta, const arma::mat& g, arma::mat m, arma::mat v, unsigned long long t,
                      double lr, tfm::AdamOptions o, AdamMistake k = AdamMistake::none) {
    if (k == AdamMistake::defaults) o = tfm::AdamOptions{0.9, 0.98, 1e-9};
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * (k == AdamMistake::v_of_g ? g : arma::mat(arma::square(g)));
    const double step = static_cast<double>(k == AdamMistake::step_from_zero ? t - 1 : t);
    const bool correct = k != AdamMistake::no_correction;
    const arma::mat m_hat = correct ? arma::mat(m / (1 - std::pow(o.beta1, step))) : m;
    const arma::mat v_hat = correct && k != AdamMistake::raw_v_corrected_m ? arma::mat(v / (1 - std::pow(o.beta2, step))) : v;
    const arma::mat denom = k == AdamMistake::eps_inside ? arma::mat(arma::sqrt(v_hat + o.eps)) : arma::mat(arma::sqrt(v_hat) + o.eps);
    theta += (k == AdamMistake::ascent ? lr : -lr) * m_hat / denom;
    return {theta, m, v};
}

}  // namespace

std::string check_adam_step(decltype(&adam_step) candidate) {
    // By hand, the first step (t = 1) from m = v = 0 with β1 0.9, β2 0.98, ε 1e-9, lr 0.1:
    //   m = 0.1·g, v = 0.02·g², m̂ = g, v̂ = g², so θ moves by −0.1·g/(|g| + ε) ≈ −0.1·sign(g);
    //   g = [0.5, −2, 0] (one entry 0: 0/(0 + ε) = 0, it does not move)
    //   θ [1, 2, 3] → [1 − 0.05/(0.5 + 1e-9), 2 + 0.2/(2 + 1e-9), 3],
    //   m = [0.05, −0.2, 0], v = [0.005, 0.08, 0].
    const tfm::AdamOptions paper{0.9, 0.98, 1e-9};
    const arma::mat g = {{0.5, -2, 0}};
    const arma::mat hand_theta = {{1 - 0.05 / (0.5 + 1e-9), 2 + 0.2 / (2 + 1e-9), 3}};
    const arma::mat hand_m = {{0.05, -0.2, 0}}, hand_v = {{0.005, 0.08, 0}};
    const std::vector<std::pair<AdamMistake, std::string>> mistakes = {
        {AdamMistake::no_correction, "no bias correction: m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ)"},
        {AdamMistake::raw_v_corrected_m, "v was not bias-corrected: v̂ = v / (1 − β2ᵗ)"},
        {AdamMistake::eps_inside, "ε added inside the square root: the denominator is √v̂ + ε"},
        {AdamMistake::v_of_g, "v must average the squared gradient g² (element-wise), not g"},
        {AdamMistake::step_from_zero, "bias correction used t − 1: t is 1 at the first step"},
        {AdamMistake::ascent, "θ moved up the gradient: subtract lr · m̂ / (√v̂ + ε)"},
        {AdamMistake::defaults, "the options were ignored: use options.beta1, options.beta2 and options.eps"}};

    struct Case {
        arma::mat theta, m, v;
        unsigned long long t;
        double lr;
        tfm::AdamOptions options;
    };
    tfm::set_seed(118);
    const arma::mat gr = tfm::normal(2, 4);
    // Later steps: moments from earlier steps, other β and ε, a [2 × 4] parameter.
    const std::vector<Case> cases = {
        {arma::mat{{1, 2, 3}}, arma::mat(1, 3, arma::fill::zeros), arma::mat(1, 3, arma::fill::zeros), 1, 0.1, paper},
        {tfm::normal(2, 4), 0.1 * tfm::normal(2, 4), 0.05 * arma::square(tfm::normal(2, 4)), 3, 0.01,
         tfm::AdamOptions{0.8, 0.95, 1e-3}}};
    for (size_t c = 0; c < cases.size(); ++c) {
        const Case& k = cases[c];
        const arma::mat& grad = c == 0 ? g : gr;
        // The core's Adam on the same state.
        arma::mat core_theta = k.theta, core_grad = grad;
        tfm::Adam adam({{"theta", &core_theta, &core_grad, false}}, k.options);
        adam.m[0] = k.m;
        adam.v[0] = k.v;
        adam.steps = k.t - 1;
        adam.step(k.lr);
        const AdamResult want{core_theta, adam.m[0], adam.v[0]};
        const AdamResult model = model_adam(k.theta, grad, k.m, k.v, k.t, k.lr, k.options);
        if (!same(want.theta, model.theta) || !same(want.m, model.m) || !same(want.v, model.v) ||
            (c == 0 && (!same(want.theta, hand_theta) || !same(want.m, hand_m) || !same(want.v, hand_v))))
            return "the course's Adam disagrees with the formulas (a bug in src/, not in your code)";

        AdamResult got{k.theta, k.m, k.v};
        std::string why = attempt([&] { candidate(got.theta, grad, got.m, got.v, k.t, k.lr, k.options); },
                                  threw_on_valid_input);
        if (!why.empty()) return why;
        const std::string when = c == 0 ? " (first step)" : " (step 3, β1 0.8, β2 0.95, ε 1e-3)";
        if (same(got.theta, want.theta) && same(got.m, want.m) && same(got.v, want.v)) continue;
        if (same(got.m, k.m) && same(got.v, k.v) && !same(got.theta, k.theta))
            return "m and v were not updated in place: the next step needs them" + when;
        for (const auto& [mistake, diagnosis] : mistakes) {
            const AdamResult wrong = model_adam(k.theta, grad, k.m, k.v, k.t, k.lr, k.options, mistake);
            if (same(got.theta, wrong.theta) && same(got.m, wrong.m) && same(got.v, wrong.v)) return diagnosis + when;
        }
        if (!same(got.m, want.m)) return "m differs from β1·m + (1 − β1)·g" + when + ": " + difference(want.m, got.m);
        if (!same(got.v, want.v)) return "v differs from β2·v + (1 − β2)·g²" + when + ": " + difference(want.v, got.v);
        return "θ differs from θ − lr·m̂/(√v̂ + ε)" + when + ": " + difference(want.theta, got.theta);
    }
    return "";
}

}  // namespace ex
