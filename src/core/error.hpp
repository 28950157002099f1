// Errors the learner can cause (bad options, malformed files, shapes that do not fit).
// Lessons catch InputError at the top of main(), print its one-line message to stderr
// and exit with status 2; anything else is a bug in the course.
#pragma once
#include <stdexcept>
#include <string>
#include <type_traits>

namespace tfm {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws InputError(message) unless condition holds.
inline void require(bool condition, const std::string& message) {
    if (!condition) throw InputError(message);
}
inline void require(bool condition, const char* message) {
    if (!condition) throw InputError(message);
}
// The same with the message made only when it is needed: require(ok, [&] { return tr(…); }).
// The checks of the layers and operations run at every call, a head's at every head; a
// message formatted each time cost the ViT's step 2% of its time (perf record), for a
// string that is thrown away.
template <class MakeMessage,
          class = std::enable_if_t<std::is_invocable_r_v<std::string, MakeMessage>>>
inline void require(bool condition, MakeMessage&& message) {
    if (!condition) throw InputError(message());
}

}  // namespace tfm
