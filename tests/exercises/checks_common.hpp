// What the exercise checks share (checks.hpp says what a check returns): the tolerance,
// the reporting of a difference, running a candidate, and independent models of the
// right computation and of the usual mistakes (no √d_k, softmax over columns, mask after
// softmax, …), computed here apart from the core on purpose. One file per lesson,
// checks_NN_topic.cpp, holds that lesson's checks.
#pragma once
#include "exercises/checks.hpp"

#include "model/config.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "ops/mask.hpp"

#include <armadillo>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace ex::check {

// Agreement with the expected values: absolute, in double, on values of order 1.
constexpr double kTol = 1e-9;

inline const double kInf = arma::datum::inf;

// ── reporting ────────────────────────────────────────────────────────────────
std::string num(double x);

std::string dims(arma::uword rows, arma::uword cols);

template <class M>
std::string dims(const M& m) {
    return dims(m.n_rows, m.n_cols);
}

bool same(const arma::mat& a, const arma::mat& b, double tol = kTol);

bool same(const tfm::Mask& a, const tfm::Mask& b);

// Where got first differs from expected, reading row by row, with both shapes:
// "first differs at [2, 1] of [3 × 4] (expected 0.1, got 0.15); 1 of 12 entries differ,
// by at most 0.05" — or the two shapes when they differ. Checks end with it when no
// named mistake matches, instead of guessing a cause.
std::string difference(const arma::mat& expected, const arma::mat& got);

// Runs a call of the candidate. "" when it returns; otherwise the diagnosis:
// "not implemented yet: …" for NotImplemented, else explain(what()).
std::string attempt(const std::function<void()>& call,
                    const std::function<std::string(const std::string&)>& explain);

std::string threw_on_valid_input(const std::string& what);

bool mentions(const std::string& text, const std::string& word);

// A size mismatch in a matrix product explained by `hint` (with Armadillo's words); any
// other exception is a throw on valid input.
std::string product_hint(const std::string& what, const std::string& hint);

// The first mistake whose result the candidate reproduces, or "".
struct Mistake {
    std::string diagnosis;
    arma::mat result;
};

std::string first_match(const arma::mat& got, const std::vector<Mistake>& mistakes);

// ── independent models of the right computation and of the usual mistakes ───

// Softmax over each row (or each column) of the positions not blocked; blocked → 0;
// a line with nothing open → 0. Written apart from tfm::softmax_rows on purpose.
arma::mat model_softmax(const arma::mat& scores, const tfm::Mask& mask, bool over_rows = true);

tfm::Mask inverted(const tfm::Mask& mask);

// Softmax of the unmasked scores, then the blocked weights set to 0 (rows no longer sum to 1).
arma::mat mask_after_softmax(const arma::mat& scores, const tfm::Mask& mask);

// The attention weights under a given scale and mask treatment.
enum class MaskUse { before, after, ignored, inverted, transposed };

arma::mat model_weights(const arma::mat& q, const arma::mat& k, const tfm::Mask& mask, double scale,
                        MaskUse use = MaskUse::before, bool over_rows = true);

// PE with optional mistakes.
enum class PeMistake {
    none,
    swapped,
    column_exponent,
    pair_exponent,
    multiplied,
    from_one,
    halves,
    integer_exponent
};

arma::mat model_pe(arma::uword seq_len, arma::uword d_model, PeMistake m = PeMistake::none);

arma::mat plus_row(arma::mat m, const arma::mat& row);

arma::mat relu(arma::mat x);

arma::mat gelu(arma::mat x);

arma::mat gelu_tanh(arma::mat x);

// Multi-head attention computed from mha's weights, with optional mistakes.
struct MhaMistakes {
    bool scale_by_d_model = false, no_wo = false, reversed_merge = false, interleaved_split = false,
         kv_from_query = false, ignore_mask = false, no_bias = false, one_head = false;
};

arma::mat model_mha(const tfm::MultiHeadAttention& mha, const arma::mat& query_in,
                    const arma::mat& kv_in, const tfm::Mask& mask, MhaMistakes m = {});

// A mask from rows of 0/1 written out in full.
tfm::Mask mask_of(std::initializer_list<std::initializer_list<arma::uword>> rows);

// Central differences of a scalar function at `at`, step h (double precision):
//   g[i] = (f(at + h·e_i) − f(at − h·e_i)) / 2h
arma::mat central_differences(const std::function<double(const arma::mat&)>& f, const arma::mat& at,
                              double h = 1e-6);

// ‖a − b‖ / max(‖a‖, ‖b‖): the gradient checks' measure; ≤ 1e-6 means they agree.
double relative_error(const arma::mat& a, const arma::mat& b);

constexpr double kGradTolerance = 1e-6;

// LayerNorm's defaults (weight 1, bias 0) would hide which norm went where.
void randomize(tfm::LayerNorm& norm);

tfm::ModelConfig small_config(bool norm_first);

std::string layout(bool norm_first);

}  // namespace ex::check
