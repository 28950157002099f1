// The memory budget (DESIGN §4, --max-memory): the most a run may allocate. Lessons
// estimate what their options imply from the shapes (model/footprint.hpp) and file
// readers what a file's header implies, and both check it here before allocating, so
// that sizes too big together end in one line and exit status 2, not in std::bad_alloc
// after gigabytes and seconds.
//
// One value per process: set once from --max-memory (read_common), read by every check.
#pragma once
#include <cstdint>
#include <string>

namespace tfm {

// At most 2 GiB by default: a teaching machine's share, and far above what any lesson's
// default screen needs (a few MB).
constexpr std::uint64_t kDefaultMemoryBudget = std::uint64_t{2} << 30;

void set_memory_budget(std::uint64_t bytes);
std::uint64_t memory_budget();

// "2 GiB", "1.5 GiB", "300 MiB", "12 KiB", "512 bytes": binary units, three digits at most.
std::string format_bytes(std::uint64_t bytes);

// InputError "WHAT need(s) about 7.4 GiB, more than the memory budget of 2 GiB (raise it
// with --max-memory)" when bytes exceeds the budget. `what` names what asks for it: the
// options ("--d-model 1024, --layers 24 over 6 tokens") or the file.
void require_memory(const std::string& what, std::uint64_t bytes);

// The work a run may take, in multiply-adds (model/footprint.hpp counts them): about a
// minute of this project's 2-core machine (measured: docs/architecture.md, "Budgets").
constexpr std::uint64_t kWorkBudget = 200'000'000'000;

// InputError "WHAT would need about 3.1e12 multiply-adds, more than the 2e11 a run may take
// (about a minute here); use smaller sizes or fewer tokens".
void require_work(const std::string& what, std::uint64_t madds);

// Estimates are sums of products of sizes the learner chose: saturating, so that absurd
// sizes give a huge estimate, never one that wrapped around to a small number.
std::uint64_t add_sat(std::uint64_t a, std::uint64_t b);
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b);

}  // namespace tfm
