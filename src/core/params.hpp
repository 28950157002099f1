// A parameter as the optimiser, the weight files and the gradient dumps see it:
// its DESIGN §5 name, its value and its gradient (same shape). Biases and norm
// weights are 1 × n row vectors in memory and 1-D (n,) tensors in files.
//
// Every module has `void params(const std::string& prefix, ParamList& out)`, which
// appends its parameters with names prefix + "wq.weight", …  — the one place that
// knows the names. And a static `shapes(...)` twin that lists the same names and
// shapes without allocating anything (used for the parameter counts of big
// presets); a test checks that the two agree.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

namespace tfm {

// How a parameter is first drawn (DESIGN §3); each module states it for its own
// parameters, and draw_params() uses it.
struct Init {
    enum Kind { constant, uniform, normal } kind = constant;
    double scale = 0.0;  // constant: the value; uniform: the bound b of U(−b, b); normal: σ
};

struct Param {
    std::string name;
    arma::mat* value;  // rows × cols; a 1-D parameter is 1 × n
    arma::mat* grad;   // same shape as value
    bool is_vector;    // stored as shape (n,) in files
    Init init{};       // how draw_params() fills it
};
using ParamList = std::vector<Param>;

// Renames a lesson's short parameter names to their canonical place in the course's
// encoder–decoder (DESIGN §5): the first rule whose `from` is a prefix of the name
// replaces that prefix with `to`. {{"norm.", "encoder.layers.0.norm2."},
// {"", "encoder.layers.0.ffn."}} maps "norm.weight" → "encoder.layers.0.norm2.weight" and
// "linear1.bias" → "encoder.layers.0.ffn.linear1.bias".
struct NameRule {
    std::string from, to;
};
using NameMap = std::vector<NameRule>;
std::string canonical_name(const std::string& name, const NameMap& map);

// Draws every parameter by its Init from a generator seeded with `seed`, the canonical
// name and the shape, so that a tensor has the same values in every program that holds
// it, whatever else that program draws and in whichever order (the course's one running
// example). Entries are drawn in row-major order, as the files store them.
void draw_params(const ParamList& params, std::uint64_t seed, const NameMap& map = {});

struct ParamShape {
    std::string name;
    std::vector<std::uint64_t> shape;  // {rows, cols} or {n}
    std::uint64_t count() const {
        std::uint64_t c = 1;
        for (auto s : shape) c *= s;
        return c;
    }
};
using ShapeList = std::vector<ParamShape>;

// Sum of the element counts.
std::uint64_t count_params(const ParamList& params);
std::uint64_t count_params(const ShapeList& shapes);

// Sets every gradient in the list to zero.
void zero_grads(const ParamList& params);

}  // namespace tfm
