// Human-written dates → ISO 8601, the task lesson 09's shipped model is trained on.
//
// A date is drawn uniformly from 1950-01-01 … 2049-12-31 (valid calendar dates only,
// leap years by the Gregorian rule), then written in one of the formats below, chosen
// uniformly. The target is always "YYYY-MM-DD". Two-digit years (formats "dd.mm.yy",
// "mm/dd/yy") pivot at 50: 50–99 → 1950–1999, 00–49 → 2000–2049, so every input has
// exactly one answer. Weekdays are the real weekday of that date. docs/09-full-model.md
// lists the same table.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tfm {

// The random source of the generated tasks: a 64-bit Mersenne Twister (the same
// numbers on every standard library) and our own range reduction, because
// std::uniform_int_distribution differs between library implementations.
class TaskRng {
public:
    explicit TaskRng(std::uint64_t seed) : engine_(seed) {}
    // Uniform on 0 … n−1 (n ≥ 1).
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }

private:
    std::mt19937_64 engine_;
};

struct Date {
    int year, month, day;  // month 1–12, day 1–31
};

constexpr int kFirstYear = 1950, kLastYear = 2049;

bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_valid_date(const Date& d);
// 0 = Monday … 6 = Sunday.
int weekday(const Date& d);
std::string iso(const Date& d);  // "2026-11-25"

struct DateFormat {
    std::string name;     // e.g. "d Month yyyy"
    std::string example;  // how 2026-11-25 looks in it, e.g. "25 November 2026"
};
// Every format the generator writes, in the order of their index.
const std::vector<DateFormat>& date_formats();
// Writes d in format number `format` (an index into date_formats()).
std::string format_date(const Date& d, std::size_t format);

// A uniformly drawn valid date in kFirstYear … kLastYear.
Date random_date(TaskRng& rng);

}  // namespace tfm
