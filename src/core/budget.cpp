#include "core/budget.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cstdio>
#include <limits>

namespace tfm {
namespace {

std::uint64_t budget = kDefaultMemoryBudget;

}  // namespace

void set_memory_budget(std::uint64_t bytes) { budget = bytes; }
std::uint64_t memory_budget() { return budget; }

std::string format_bytes(std::uint64_t bytes) {
    const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return tr("{1} bytes", bytes);
    double value = static_cast<double>(bytes) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    // Whole numbers without a decimal ("2 GiB"); otherwise three significant digits.
    if (value == static_cast<double>(static_cast<std::uint64_t>(value)))
        std::snprintf(text, sizeof text, "%.0f %s", value, units[unit]);
    else
        std::snprintf(text, sizeof text,
                      value < 10    ? "%.2f %s"
                      : value < 100 ? "%.1f %s"
                                    : "%.0f %s",
                      value, units[unit]);
    return text;
}

void require_memory(const std::string& what, std::uint64_t bytes) {
    require(bytes <= budget, tr("{1} would need about {2}, more than the memory budget of {3} "
                                "(raise it with --max-memory)",
                                what, format_bytes(bytes), format_bytes(budget)));
}

void require_work(const std::string& what, std::uint64_t madds) {
    if (madds <= kWorkBudget) return;
    char text[32];
    std::snprintf(text, sizeof text, "%.2g", static_cast<double>(madds));
    throw InputError(
        tr("{1} would need about {2} multiply-adds, more than the 2e11 a run may "
           "take (about a minute here); use smaller sizes or fewer tokens",
           what, std::string(text)));
}

std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) {
    return a > std::numeric_limits<std::uint64_t>::max() - b
               ? std::numeric_limits<std::uint64_t>::max()
               : a + b;
}

std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) {
    return b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b
               ? std::numeric_limits<std::uint64_t>::max()
               : a * b;
}

}  // namespace tfm
