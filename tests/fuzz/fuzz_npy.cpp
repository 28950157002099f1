// The .npy reader: any bytes give a matrix or an InputError, never a crash, an
// allocation the header's lie asks for, or a matrix of another size than the data.
#include "core/error.hpp"
#include "fuzz/fuzz_target.hpp"
#include "io/npy.hpp"

#include <cstdio>

namespace tfm::fuzz {

int npy(const std::uint8_t* data, std::size_t size) {
    const std::string path = write_input("npy", data, size);
    const SmallBudget budget;
    try {
        const arma::mat m = load_npy(path);
        const NpyShape shape = read_npy_shape(path);
        invariant(m.n_rows == shape.rows && m.n_cols == shape.cols, "shape agrees with the header");
        invariant(m.n_elem * 4 <= size, "every element came from the data");
    } catch (const InputError&) {}
    std::remove(path.c_str());
    return 0;
}

}  // namespace tfm::fuzz

TFM_FUZZ_ENTRY(npy)
