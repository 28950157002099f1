// Reading the PyTorch reference fixtures (tests/reference/README.md) and comparing our
// modules' numbers with them.
//
//   Fixture f("mha_self_causal");            // tests/reference/fixtures/mha_self_causal/
//   MultiHeadAttention mha(f.integer("d_model"), f.integer("num_heads"));
//   const ParamList ps = load_fixture_weights(f, mha);
//   check_close("output", mha.forward(x, x, f.mask("mask")), f.npy("output"), kForwardTolerance);
//   check_param_grads(f, ps);
//
// The fixtures are found relative to the repository root, where `make test` runs.
#pragma once
#include "core/params.hpp"
#include "io/safetensors.hpp"
#include "model/config.hpp"
#include "model/transformer.hpp"
#include "nn/embedding.hpp"
#include "ops/mask.hpp"

#include <armadillo>
#include <memory>
#include <string>
#include <vector>

namespace tfm::test {

// PyTorch and we compute the same float64 arithmetic in a different order: forward
// values agree to ~1e-14; gradients pass through more products, so a looser bound.
constexpr double kForwardTolerance = 1e-10;
constexpr double kGradientTolerance = 1e-9;

class Fixture {
public:
    explicit Fixture(const std::string& name);  // fails the test if the folder is missing
    ~Fixture();

    const std::string& name() const { return name_; }
    std::string path(const std::string& file) const;  // DIR/file
    std::string weights() const { return path("weights.safetensors"); }

    arma::mat npy(const std::string& name) const;  // DIR/name.npy
    Mask mask(const std::string& name) const;      // a 0/1 matrix, 1 = blocked
    TokenIds ids(const std::string& name) const;   // token ids stored as float64 (n,)
    double scalar(const std::string& name) const;  // a (1,) array, e.g. loss

    // Values from config.json.
    long integer(const std::string& key) const;
    double number(const std::string& key) const;
    bool flag(const std::string& key) const;
    std::string text(const std::string& key) const;
    bool has(const std::string& key) const;

    // d_model, num_heads, d_ff, activation, norm_first, layers, vocabularies, sharing.
    ModelConfig model_config() const;

    // The parameter names that have a grad.NAME.npy in the folder.
    std::vector<std::string> grad_names() const;

private:
    struct Json;
    std::string name_, dir_;
    std::unique_ptr<Json> config_;
};

// CHECKs that ours has the reference's shape and lies within tol of it (absolute),
// with both matrices and the largest difference in the failure message.
void check_close(const std::string& what, const arma::mat& ours, const arma::mat& reference,
                 double tol);

// Every parameter's gradient against grad.NAME.npy (kGradientTolerance), and the
// names themselves: the fixture holds a gradient for exactly the parameters listed.
void check_param_grads(const Fixture& f, const ParamList& params);

// The module's parameters, named without a prefix as in the fixture, with the fixture's
// weights loaded into them.
template <class Module>
ParamList load_fixture_weights(const Fixture& f, Module& module) {
    ParamList params;
    module.params("", params);
    load_params(f.weights(), params);
    return params;
}

// The comparison for a module with one input x (a layer, a stack, an FFN): loads the
// weights, checks forward(input) against output, then backward(grad_output) against
// grad_input and every parameter's gradient. `forward(x)` runs the module with whatever
// mask the fixture needs.
template <class Module, class Forward>
void check_single_input_module(const Fixture& f, Module& module, const Forward& forward) {
    const ParamList params = load_fixture_weights(f, module);
    check_close("output", forward(f.npy("input")), f.npy("output"), kForwardTolerance);

    module.zero_grad();
    check_close("grad_input", module.backward(f.npy("grad_output")), f.npy("grad_input"),
                kGradientTolerance);
    check_param_grads(f, params);
}

// The full-model fixtures: post-LN ReLU, pre-LN GELU, and post-LN ReLU with one table
// shared by the source and target embeddings and the generator.
inline const std::vector<std::string> kTransformerFixtures = {
    "transformer_post_relu", "transformer_pre_gelu", "transformer_shared_post_relu"};

// The fixture's pad id and weights loaded into `model`; returns its parameters.
ParamList load_fixture_model(const Fixture& f, Transformer& model);

}  // namespace tfm::test
