#include "io/table.hpp"

#include "core/shape.hpp"

#include <cstdio>

namespace tfm {

std::string format_count(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string format_size(double n) {
    char buf[32];
    if (n >= 1e9)
        std::snprintf(buf, sizeof buf, "%.4gB", n / 1e9);
    else if (n >= 1e6)
        std::snprintf(buf, sizeof buf, "%.4gM", n / 1e6);
    else if (n >= 1e3)
        std::snprintf(buf, sizeof buf, "%.4gK", n / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", n);
    return buf;
}

std::string format_difference(std::uint64_t ours, double published) {
    if (published <= 0) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f%%",
                  100.0 * (static_cast<double>(ours) - published) / published);
    return buf;
}

std::string join_labels(const std::vector<std::string>& labels, const std::string& separator) {
    std::string out;
    for (const std::string& label : labels) out += (out.empty() ? "" : separator) + label;
    return out;
}

std::string printf_number(double x, const char* format) {
    char buf[48];
    std::snprintf(buf, sizeof buf, format, x);
    return buf;
}

std::string format_diff(double x) {
    if (x == 0.0) return "0";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1e", x);
    return buf;
}

std::string shape_of(const arma::mat& m) { return "[" + shape_string(m) + "]"; }

}  // namespace tfm
