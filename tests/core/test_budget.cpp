// The memory budget: sizes printed in binary units, the one-line refusal, and estimates
// that saturate instead of wrapping around.
#include "core/budget.hpp"
#include "core/error.hpp"

#include "support/catch.hpp"

#include <limits>

TEST_CASE("sizes are printed in binary units with at most three digits", "[budget]") {
    CHECK(tfm::format_bytes(0) == "0 bytes");
    CHECK(tfm::format_bytes(1023) == "1023 bytes");
    CHECK(tfm::format_bytes(1024) == "1 KiB");
    CHECK(tfm::format_bytes(1536) == "1.50 KiB");
    CHECK(tfm::format_bytes(std::uint64_t{2} << 30) == "2 GiB");
    CHECK(tfm::format_bytes(std::uint64_t{300} << 20) == "300 MiB");
    CHECK(tfm::format_bytes((std::uint64_t{15} << 30) / 2) == "7.50 GiB");
    CHECK(tfm::format_bytes(std::numeric_limits<std::uint64_t>::max()) == "16 EiB");
}

TEST_CASE("a need over the budget is one line naming what asks, the estimate and the option",
          "[budget]") {
    REQUIRE(tfm::memory_budget() == tfm::kDefaultMemoryBudget);
    CHECK_NOTHROW(tfm::require_memory("x", tfm::kDefaultMemoryBudget));
    CHECK_THROWS_WITH(tfm::require_memory("--d-model 1024 over 6 tokens", std::uint64_t{3} << 30),
                      "--d-model 1024 over 6 tokens would need about 3 GiB, more than the memory "
                      "budget of 2 GiB (raise it with --max-memory)");
    tfm::set_memory_budget(std::uint64_t{1} << 20);
    CHECK_THROWS_AS(tfm::require_memory("x", (std::uint64_t{1} << 20) + 1), tfm::InputError);
    tfm::set_memory_budget(tfm::kDefaultMemoryBudget);
    CHECK_NOTHROW(tfm::require_work("x", tfm::kWorkBudget));
    CHECK_THROWS_WITH(tfm::require_work("x", 3'100'000'000'000),
                      Catch::StartsWith("x would need about 3.1e+12 multiply-adds"));
}

TEST_CASE("estimates saturate at the largest size instead of wrapping around", "[budget]") {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    CHECK(tfm::mul_sat(std::uint64_t{1} << 32, std::uint64_t{1} << 32) == max);
    CHECK(tfm::mul_sat(0, max) == 0);
    CHECK(tfm::mul_sat(3, 4) == 12);
    CHECK(tfm::add_sat(max - 1, 2) == max);
    CHECK(tfm::add_sat(2, 3) == 5);
}
