// Errors the learner can cause (bad options, malformed files, shapes that do not fit).
// Lessons catch InputError at the top of main(), print its one-line message to stderr
// and exit with status 2; anything else is a bug in the course.
#pragma once
#include <stdexcept>
#include <string>

namespace tfm {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws InputError(message) unless condition holds.
inline void require(bool condition, const std::string& message) {
    if (!condition) throw InputError(message);
}

}  // namespace tfm
