// The dates task: valid calendar dates, real weekdays, every documented format.
#include "core/error.hpp"
#include "train/dates.hpp"
#include "train/tasks.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace tfm;

namespace {

// An independent weekday: count the days since Thursday 1970-01-01.
int weekday_by_counting(const Date& d) {
    long days = 0;
    for (int y = 1970; y < d.year; ++y) days += is_leap_year(y) ? 366 : 365;
    for (int y = d.year; y < 1970; ++y) days -= is_leap_year(y) ? 366 : 365;
    for (int m = 1; m < d.month; ++m) days += days_in_month(d.year, m);
    days += d.day - 1;
    return static_cast<int>(((days + 3) % 7 + 7) % 7);  // 1970-01-01 is a Thursday (3)
}

Date parse_iso(const std::string& s) {
    return {std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2))};
}

}  // namespace

TEST_CASE("every documented format writes 25 November 2026 as its documented example") {
    const Date d{2026, 11, 25};
    REQUIRE(date_formats().size() >= 5);
    for (std::size_t f = 0; f < date_formats().size(); ++f) {
        INFO("format " << f << " '" << date_formats()[f].name << "'");
        CHECK(format_date(d, f) == date_formats()[f].example);
    }
    CHECK_THROWS(format_date(d, date_formats().size()));
}

TEST_CASE("the issue's example inputs are among the formats") {
    const Date d{2026, 11, 25};
    std::set<std::string> written;
    for (std::size_t f = 0; f < date_formats().size(); ++f) written.insert(format_date(d, f));
    for (const char* s : {"25 November 2026", "nov 25, 2026", "11/25/2026", "Wednesday 25th of November 2026",
                          "25.11.26"})
        CHECK(written.count(s) == 1);
}

TEST_CASE("weekdays of known dates") {
    CHECK(weekday({2026, 11, 25}) == 2);  // Wednesday
    CHECK(weekday({2000, 1, 1}) == 5);    // Saturday
    CHECK(weekday({1970, 1, 1}) == 3);    // Thursday
    CHECK(weekday({2024, 2, 29}) == 3);   // Thursday
    CHECK(weekday({1950, 1, 1}) == 6);    // Sunday
}

TEST_CASE("leap years follow the Gregorian rule") {
    CHECK(is_leap_year(2000));
    CHECK_FALSE(is_leap_year(1900));
    CHECK(is_leap_year(2024));
    CHECK_FALSE(is_leap_year(2026));
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(2026, 2) == 28);
    CHECK_FALSE(is_valid_date({2026, 2, 29}));
    CHECK_FALSE(is_valid_date({2026, 4, 31}));
}

TEST_CASE("ordinals and two-digit years are written correctly") {
    CHECK(format_date({2001, 3, 1}, 3) == "Thursday 1st of March 2001");
    CHECK(format_date({2001, 3, 2}, 12) == "the 2nd of March, 2001");
    CHECK(format_date({2001, 3, 3}, 16) == "March 3rd, 2001");
    CHECK(format_date({2001, 3, 11}, 16) == "March 11th, 2001");
    CHECK(format_date({2001, 3, 12}, 16) == "March 12th, 2001");
    CHECK(format_date({2001, 3, 13}, 16) == "March 13th, 2001");
    CHECK(format_date({2001, 3, 22}, 16) == "March 22nd, 2001");
    CHECK(format_date({2001, 3, 31}, 16) == "March 31st, 2001");
    CHECK(format_date({1950, 1, 5}, 4) == "05.01.50");
    CHECK(format_date({2049, 12, 31}, 15) == "12/31/49");
}

TEST_CASE("generated dates are valid, in range, with the real weekday, and every format occurs") {
    const Task task("dates");
    TaskRng rng(7);
    std::vector<int> format_count(date_formats().size(), 0);
    bool saw_leap_day = false;
    for (int i = 0; i < 20000; ++i) {
        const Example e = task.sample(rng);
        const Date d = parse_iso(e.target);
        INFO(e.source << " -> " << e.target);
        REQUIRE(is_valid_date(d));
        REQUIRE(d.year >= kFirstYear);
        REQUIRE(d.year <= kLastYear);
        REQUIRE(iso(d) == e.target);
        saw_leap_day = saw_leap_day || (d.month == 2 && d.day == 29);
        // The source is exactly one documented format of the target date…
        int matches = 0;
        for (std::size_t f = 0; f < date_formats().size(); ++f) {
            if (format_date(d, f) == e.source) {
                ++format_count[f];
                ++matches;
            }
        }
        REQUIRE(matches >= 1);
        // …and any weekday in it is the real one (checked by an independent count).
        static const char* const names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        for (int w = 0; w < 7; ++w) {
            if (e.source.find(names[w]) != std::string::npos) REQUIRE(w == weekday_by_counting(d));
        }
    }
    CHECK(saw_leap_day);
    for (std::size_t f = 0; f < format_count.size(); ++f) {
        INFO("format " << f << " '" << date_formats()[f].name << "'");
        CHECK(format_count[f] > 0);
    }
}

TEST_CASE("the date generator is deterministic per seed") {
    const Task task("dates");
    TaskRng a(42), b(42), c(43);
    std::vector<std::string> from_a, from_b, from_c;
    for (int i = 0; i < 50; ++i) {
        from_a.push_back(task.sample(a).source);
        from_b.push_back(task.sample(b).source);
        from_c.push_back(task.sample(c).source);
    }
    CHECK(from_a == from_b);
    CHECK(from_a != from_c);
}

TEST_CASE("the sources of the dates task are all in its vocabulary") {
    const Task task("dates");
    TaskRng rng(1);
    for (int i = 0; i < 2000; ++i) {
        const Example e = task.sample(rng);
        INFO(e.source);
        for (arma::uword id : e.src) REQUIRE(id != Vocab::unk);
        REQUIRE(e.tgt.size() == 10);
    }
}

TEST_CASE("copy and reverse write what their names say") {
    const Task copy("copy"), reverse("reverse");
    CHECK(copy.from_source("3141").target == "3141");
    CHECK(reverse.from_source("3141").target == "1413");
    TaskRng rng(3);
    for (int i = 0; i < 200; ++i) {
        const Example e = reverse.sample(rng);
        REQUIRE(e.src.size() >= 1);
        REQUIRE(e.src.size() <= 10);
        REQUIRE(TokenIds(e.src.rbegin(), e.src.rend()) == e.tgt);
    }
    CHECK_THROWS_AS(Task("translate"), InputError);
}

TEST_CASE("sample_distinct draws different sources") {
    const Task task("dates");
    TaskRng rng(5);
    const std::vector<Example> examples = task.sample_distinct(rng, 500);
    std::set<std::string> sources;
    for (const Example& e : examples) sources.insert(e.source);
    CHECK(sources.size() == 500);
}
