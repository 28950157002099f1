// The one Catch2 include of the tests: Catch2 v3 (Debian 13, Ubuntu 24.04) when it is
// installed, else Catch2 v2 (Debian 12). The tests use the part of the API both share;
// the two names v3 moved are given back here: Approx and Catch::Contains.
#pragma once
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#define TFM_CATCH2_V3 1
using Catch::Approx;
namespace Catch {
inline Matchers::StringContainsMatcher Contains(const std::string& text,
                                                CaseSensitive sensitivity = CaseSensitive::Yes) {
    return Matchers::ContainsSubstring(text, sensitivity);
}
}  // namespace Catch
#else
#include <catch2/catch.hpp>
#endif
