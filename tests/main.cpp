// The one Catch2 runner (no tests here: it compiles slowly, so it compiles once).
//
// Every test case starts from its own seed, made of the run's --rng-seed (default 42)
// and the test case's name, and so does every re-run of it that Catch2 makes to reach
// each SECTION. A test case therefore draws the same numbers whether it runs alone or
// among all the others, and any failure replays by name:
//   build/tests/unit --rng-seed 7 "softmax rows sum to one even for huge logits"
// (tests/cli/test_replay.cpp checks that promise.)
#define CATCH_CONFIG_RUNNER
#include "support/catch.hpp"

#include "core/random.hpp"

#include <cstdint>
#include <string>

namespace {

std::uint64_t run_seed = 42;

// FNV-1a of the name, mixed with the run's seed.
std::uint64_t test_seed(const std::string& name) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    return h ^ (run_seed * 0x9E3779B97F4A7C15ull);
}

#ifdef TFM_CATCH2_V3
struct Reseed : Catch::EventListenerBase {
    using Catch::EventListenerBase::EventListenerBase;
    void testCasePartialStarting(const Catch::TestCaseInfo& info, std::uint64_t) override {
        tfm::set_seed(test_seed(info.name));
    }
};
#else
struct Reseed : Catch::TestEventListenerBase {
    using Catch::TestEventListenerBase::TestEventListenerBase;
    std::string current;
    void testCaseStarting(const Catch::TestCaseInfo& info) override {
        current = info.name;
        Catch::TestEventListenerBase::testCaseStarting(info);
    }
    // Catch2 v2 enters the test case's own section once per run through it.
    void sectionStarting(const Catch::SectionInfo& info) override {
        if (info.name == current) tfm::set_seed(test_seed(current));
        Catch::TestEventListenerBase::sectionStarting(info);
    }
};
#endif

}  // namespace

CATCH_REGISTER_LISTENER(Reseed)

int main(int argc, char* argv[]) {
    Catch::Session session;
    session.configData().rngSeed = 42;  // Catch2 v3 would draw one at random
    if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
    run_seed = session.configData().rngSeed;
    tfm::set_seed(run_seed);
    return session.run();
}
