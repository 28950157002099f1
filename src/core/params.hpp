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

struct Param {
    std::string name;
    arma::mat* value;  // rows × cols; a 1-D parameter is 1 × n
    arma::mat* grad;   // same shape as value
    bool is_vector;    // stored as shape (n,) in files
};
using ParamList = std::vector<Param>;

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
