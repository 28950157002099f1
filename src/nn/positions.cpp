#include "nn/positions.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "nn/positional_encoding.hpp"

#include <cmath>

namespace tfm {

const std::vector<PositionKind>& position_kinds() {
    static const std::vector<PositionKind> kinds = {PositionKind::none, PositionKind::sinusoidal,
                                                    PositionKind::learned, PositionKind::rope,
                                                    PositionKind::alibi};
    return kinds;
}

std::string to_string(PositionKind kind) {
    switch (kind) {
        case PositionKind::none:
            return "none";
        case PositionKind::sinusoidal:
            return "sinusoidal";
        case PositionKind::learned:
            return "learned";
        case PositionKind::rope:
            return "rope";
        case PositionKind::alibi:
            return "alibi";
    }
    return "?";
}

std::string position_kind_names() {
    std::string names;
    for (PositionKind kind : position_kinds())
        names += (names.empty() ? "" : "|") + to_string(kind);
    return names;
}

PositionKind position_kind(const std::string& name) {
    for (PositionKind kind : position_kinds())
        if (to_string(kind) == name) return kind;
    throw InputError(tr("unknown position encoding '{1}' ({2})", name, position_kind_names()));
}

AttentionPositions attention_positions(PositionKind kind, RopeLayout layout) {
    AttentionPositions p;
    p.rope = kind == PositionKind::rope;
    p.rope_layout = layout;
    p.alibi = kind == PositionKind::alibi;
    return p;
}

namespace {

// Half-split row j·d_k + r is interleaved row j·d_k + permutation[r], head by head.
arma::mat permute_head_rows(const arma::mat& w, arma::uword d_k, bool to_half_split) {
    const std::vector<arma::uword> permutation = rope_layout_permutation(d_k);
    arma::mat out(arma::size(w));
    for (arma::uword head = 0; head < w.n_rows / d_k; ++head)
        for (arma::uword r = 0; r < d_k; ++r) {
            const arma::uword half = head * d_k + r, inter = head * d_k + permutation[r];
            if (to_half_split)
                out.row(half) = w.row(inter);
            else
                out.row(inter) = w.row(half);
        }
    return out;
}

}  // namespace

void convert_rope_layout(MultiHeadAttention& attention, RopeLayout to) {
    if (attention.positions.rope_layout == to) return;
    const bool to_half = to == RopeLayout::half_split;
    const arma::uword d_k = attention.d_k;
    for (Linear* w : {&attention.wq, &attention.wk}) {
        w->weight = permute_head_rows(w->weight, d_k, to_half);
        if (!w->bias.is_empty()) w->bias = permute_head_rows(w->bias.t(), d_k, to_half).t();
    }
    attention.positions.rope_layout = to;
}

InputPositions::InputPositions(PositionKind kind, arma::uword max_positions, arma::uword d_model)
    : kind(kind),
      max_positions(max_positions),
      table(kind == PositionKind::learned ? max_positions : 0, d_model) {
    // P starts at the size of what it is added to, E[ids]·√d_model (entries ~ 1), and of
    // the sinusoidal table it replaces: N(0, 1) rather than the token table's N(0, 1/d).
    table.weight = normal(table.weight.n_rows, d_model, 1.0);
}

arma::mat InputPositions::forward(const arma::mat& embeddings, arma::uword sequences) {
    require(sequences > 0 && embeddings.n_rows % sequences == 0, [&] {
        return tr("{1} rows do not split into {2} sequences of one length", embeddings.n_rows,
                  sequences);
    });
    if (kind == PositionKind::sinusoidal) return add_positions(embeddings, sequences);
    arma::mat x = embeddings * std::sqrt(static_cast<double>(embeddings.n_cols));
    if (kind == PositionKind::learned) {
        const arma::uword n = embeddings.n_rows / sequences;
        require(n <= max_positions, [&] {
            return tr("{1} tokens, more than the {2} learned positions", n, max_positions);
        });
        TokenIds positions;
        for (arma::uword b = 0; b < sequences; ++b)
            for (arma::uword t = 0; t < n; ++t) positions.push_back(t);
        x += table.forward(positions);
    }
    return x;
}

arma::mat InputPositions::backward(const arma::mat& dx) {
    if (kind == PositionKind::learned) table.backward(dx);
    return dx * std::sqrt(static_cast<double>(dx.n_cols));
}

void InputPositions::zero_grad() { table.zero_grad(); }

void InputPositions::params(const std::string& prefix, ParamList& out) {
    const std::size_t before = out.size();
    table.params(prefix, out);
    for (std::size_t i = before; i < out.size(); ++i) out[i].init = {Init::normal, 1.0};
}

void InputPositions::shapes(const std::string& prefix, PositionKind kind, arma::uword max_positions,
                            arma::uword d_model, ShapeList& out) {
    if (kind == PositionKind::learned) Embedding::shapes(prefix, max_positions, d_model, out);
}

}  // namespace tfm
