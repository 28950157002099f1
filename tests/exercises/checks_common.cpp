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
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "model/transformer.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder_layer.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/activation.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"
#include "rnn/spectral.hpp"
#include "rnn/vanilla_rnn.hpp"
#include "train/adam.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace ex::check {

std::string num(double x) {
    std::ostringstream out;
    out.precision(6);
    out << x;
    return out.str();
}

std::string dims(arma::uword rows, arma::uword cols) {
    return "[" + std::to_string(rows) + " × " + std::to_string(cols) + "]";
}

bool same(const arma::mat& a, const arma::mat& b, double tol) {
    return arma::size(a) == arma::size(b) && arma::approx_equal(a, b, "absdiff", tol);
}

bool same(const tfm::Mask& a, const tfm::Mask& b) {
    return arma::size(a) == arma::size(b) && arma::all(arma::vectorise(a == b));
}

std::string difference(const arma::mat& expected, const arma::mat& got) {
    if (arma::size(expected) != arma::size(got))
        return "returned " + dims(got) + ", expected " + dims(expected);
    const arma::mat gap = arma::abs(expected - got);
    const arma::uvec bad = arma::find_nonfinite(got);
    const double largest = bad.is_empty() ? gap.max() : kInf;
    // Reading row by row, as a learner reads a printed matrix. An entry counts as the
    // first difference when it is off by more than a tenth of the largest gap, so that
    // rounding noise (finite differences) does not hide the entry that matters.
    const double threshold = std::max(kTol, 0.1 * largest);
    for (arma::uword r = 0; r < got.n_rows; ++r)
        for (arma::uword c = 0; c < got.n_cols; ++c) {
            if (std::isfinite(got(r, c)) && !(gap(r, c) > threshold)) continue;
            std::string where = "first differs at [" + std::to_string(r) + ", " +
                                std::to_string(c) + "] of " + dims(got) + " (expected " +
                                num(expected(r, c)) + ", got " + num(got(r, c)) + ")";
            if (!bad.is_empty())
                return where + "; " + std::to_string(bad.n_elem) + " entries are not finite";
            const arma::uword n = arma::accu(gap > kTol);
            return where + "; " + std::to_string(n) + " of " + std::to_string(got.n_elem) +
                   " entries differ, by at most " + num(largest);
        }
    return "matches to " + num(largest);
}

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

std::string product_hint(const std::string& what, const std::string& hint) {
    if (mentions(what, "multiplication") || mentions(what, "incompatible"))
        return hint + " (Armadillo: " + what + ")";
    return threw_on_valid_input(what);
}

std::string first_match(const arma::mat& got, const std::vector<Mistake>& mistakes) {
    for (const Mistake& m : mistakes)
        if (same(got, m.result, 1e-7)) return m.diagnosis;
    return "";
}

arma::mat model_softmax(const arma::mat& scores, const tfm::Mask& mask, bool over_rows) {
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

arma::mat mask_after_softmax(const arma::mat& scores, const tfm::Mask& mask) {
    arma::mat w = model_softmax(scores, {});
    w.elem(arma::find(mask)).zeros();
    return w;
}

arma::mat model_weights(const arma::mat& q, const arma::mat& k, const tfm::Mask& mask, double scale,
                        MaskUse use, bool over_rows) {
    const arma::mat s = q * k.t() / scale;
    if (mask.is_empty()) return model_softmax(s, mask, over_rows);
    switch (use) {
        case MaskUse::after:
            return mask_after_softmax(s, mask);
        case MaskUse::ignored:
            return model_softmax(s, {}, over_rows);
        case MaskUse::inverted:
            return model_softmax(s, inverted(mask), over_rows);
        case MaskUse::transposed:
            return model_softmax(s, mask.t(), over_rows);
        case MaskUse::before:
            break;
    }
    return model_softmax(s, mask, over_rows);
}

arma::mat model_pe(arma::uword seq_len, arma::uword d_model, PeMistake m) {
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
            if (m == PeMistake::integer_exponent)
                exponent = static_cast<double>((col - col % 2) / d_model);
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

arma::mat relu(arma::mat x) {
    return x.transform([](double v) { return v > 0 ? v : 0.0; });
}

arma::mat gelu(arma::mat x) {
    return x.transform([](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); });
}

arma::mat gelu_tanh(arma::mat x) {
    const double c = std::sqrt(2.0 / arma::datum::pi);
    return x.transform(
        [c](double v) { return 0.5 * v * (1.0 + std::tanh(c * (v + 0.044715 * v * v * v))); });
}

arma::mat model_mha(const tfm::MultiHeadAttention& mha, const arma::mat& query_in,
                    const arma::mat& kv_in, const tfm::Mask& mask, MhaMistakes m) {
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
        for (arma::uword c = 0; c < d_k; ++c)
            cols(c) = m.interleaved_split ? c * h + j : j * d_k + c;
        const arma::mat out =
            model_weights(q.cols(cols), k.cols(cols), use_mask, scale) * v.cols(cols);
        const arma::uword block = m.reversed_merge ? h - 1 - j : j;
        concat.cols(block * d_k, (block + 1) * d_k - 1) = out;
    }
    return m.no_wo ? concat : project(mha.wo, concat);
}

tfm::Mask mask_of(std::initializer_list<std::initializer_list<arma::uword>> rows) {
    return tfm::Mask(rows);
}

arma::mat central_differences(const std::function<double(const arma::mat&)>& f, const arma::mat& at,
                              double h) {
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

double relative_error(const arma::mat& a, const arma::mat& b) {
    const double scale = std::max({arma::norm(a, "fro"), arma::norm(b, "fro"), 1e-300});
    return arma::norm(a - b, "fro") / scale;
}

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

std::string layout(bool norm_first) { return norm_first ? " (pre-LN)" : " (post-LN)"; }

}  // namespace ex::check
