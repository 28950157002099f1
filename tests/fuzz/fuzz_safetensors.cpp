// The .safetensors reader with load_params: any bytes load into a toy module (a 3 × 2
// weight and a bias of 3) or give an InputError that leaves every parameter as it was.
#include "core/error.hpp"
#include "fuzz/fuzz_target.hpp"
#include "io/safetensors.hpp"

#include <cstdio>

namespace tfm::fuzz {

int safetensors(const std::uint8_t* data, std::size_t size) {
    const std::string path = write_input("safetensors", data, size);
    const SmallBudget budget;
    const arma::mat weight0 = arma::reshape(arma::regspace(1, 6), 3, 2), bias0 = {{7, 8, 9}};
    arma::mat weight = weight0, bias = bias0, weight_grad(3, 2), bias_grad(1, 3);
    const ParamList params = {{"lin.weight", &weight, &weight_grad, false},
                              {"lin.bias", &bias, &bias_grad, true}};
    try {
        read_safetensors_header(path);
        load_safetensors(path);
        load_params(path, params);
        invariant(weight.is_finite() && bias.is_finite(), "loaded values are finite");
    } catch (const InputError&) {
        invariant(arma::approx_equal(weight, weight0, "absdiff", 0.0) &&
                      arma::approx_equal(bias, bias0, "absdiff", 0.0),
                  "a failed load changes nothing");
    }
    std::remove(path.c_str());
    return 0;
}

}  // namespace tfm::fuzz

TFM_FUZZ_ENTRY(safetensors)
