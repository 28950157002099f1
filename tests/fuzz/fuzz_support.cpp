#include "fuzz/fuzz_target.hpp"

#include "core/budget.hpp"

#include <unistd.h>
#include <cstdio>

namespace tfm::fuzz {

SmallBudget::SmallBudget() : saved(memory_budget()) { set_memory_budget(std::uint64_t{64} << 20); }
SmallBudget::~SmallBudget() { set_memory_budget(saved); }

std::string write_input(const std::string& tag, const std::uint8_t* data, std::size_t size) {
    const std::string path = "/tmp/tfm-fuzz-" + std::to_string(::getpid()) + "-" + tag;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    invariant(f != nullptr, "cannot write " + path);
    invariant(std::fwrite(data, 1, size, f) == size && std::fclose(f) == 0, "cannot write " + path);
    return path;
}

}  // namespace tfm::fuzz
