#include "core/params.hpp"

#include "core/random.hpp"

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

std::string canonical_name(const std::string& name, const NameMap& map) {
    for (const NameRule& rule : map)
        if (name.compare(0, rule.from.size(), rule.from) == 0)
            return rule.to + name.substr(rule.from.size());
    return name;
}

void draw_params(const ParamList& params, std::uint64_t seed, const NameMap& map) {
    for (const Param& p : params) {
        arma::mat& m = *p.value;
        NamedGenerator gen(seed, canonical_name(p.name, map), m.n_rows, m.n_cols);
        for (arma::uword r = 0; r < m.n_rows; ++r)
            for (arma::uword c = 0; c < m.n_cols; ++c) {
                switch (p.init.kind) {
                    case Init::constant:
                        m(r, c) = p.init.scale;
                        break;
                    case Init::uniform:
                        m(r, c) = (2.0 * gen.uniform01() - 1.0) * p.init.scale;
                        break;
                    case Init::normal:
                        m(r, c) = gen.normal() * p.init.scale;
                        break;
                }
            }
    }
}

void zero_grads(const ParamList& params) {
    for (const Param& p : params) p.grad->zeros();
}

}  // namespace tfm
