// A fuzz target is one function from bytes to nothing that must never crash, leak or
// misbehave, whatever the bytes: tfm_fuzz_NAME(data, size). The same function serves
//   - libFuzzer (make fuzz: clang, -fsanitize=fuzzer,address,undefined), which calls it
//     through LLVMFuzzerTestOneInput when built with -DTFM_LIBFUZZER, and
//   - make test, whose [fuzz] test replays every committed corpus file and crash
//     reproducer through it (tests/fuzz/test_fuzz_replay.cpp), with g++, plain and ASan.
// An InputError is the right answer to bad bytes and is caught inside; a broken invariant
// throws std::logic_error, which libFuzzer reports as a crash and the replay as a failure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace tfm::fuzz {

// The bytes as a file of this process (the readers take paths): /tmp/tfm-fuzz-PID-TAG.
std::string write_input(const std::string& tag, const std::uint8_t* data, std::size_t size);

// A small memory budget while one input runs (a lying header must be refused, not
// allocated), the process's own restored afterwards (the replay runs inside make test).
struct SmallBudget {
    SmallBudget();
    ~SmallBudget();
    std::uint64_t saved;
};

inline void invariant(bool holds, const std::string& what) {
    if (!holds) throw std::logic_error("fuzz invariant broken: " + what);
}

int npy(const std::uint8_t* data, std::size_t size);
int safetensors(const std::uint8_t* data, std::size_t size);
int tokenizer(const std::uint8_t* data, std::size_t size);
int vocab(const std::uint8_t* data, std::size_t size);
int checkpoint(const std::uint8_t* data, std::size_t size);

}  // namespace tfm::fuzz

#if defined(TFM_LIBFUZZER)
#define TFM_FUZZ_ENTRY(name)                                                            \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
        return tfm::fuzz::name(data, size);                                             \
    }
#else
#define TFM_FUZZ_ENTRY(name)
#endif
