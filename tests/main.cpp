// The one Catch2 runner (no tests here: it compiles slowly, so it compiles once).
// Seeds Armadillo from --rng-seed (default 42), so any failure replays:
//   build/tests/unit --rng-seed 7 "softmax*"
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "core/random.hpp"

int main(int argc, char* argv[]) {
    Catch::Session session;
    if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
    unsigned seed = session.configData().rngSeed;
    tfm::set_seed(seed != 0 ? seed : 42);
    return session.run();
}
