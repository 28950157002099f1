#include "core/params.hpp"

namespace tfm {

std::uint64_t count_params(const ParamList& params) {
    std::uint64_t total = 0;
    for (const Param& p : params) total += p.value->n_elem;
    return total;
}

std::uint64_t count_params(const ShapeList& shapes) {
    std::uint64_t total = 0;
    for (const ParamShape& s : shapes) total += s.count();
    return total;
}

void zero_grads(const ParamList& params) {
    for (const Param& p : params) p.grad->zeros();
}

}  // namespace tfm
