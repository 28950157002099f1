// The dates task: valid calendar dates, real weekdays, every documented format.
#include "core/error.hpp"
#include "train/dates.hpp"

#include "support/catch.hpp"

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
    for (const char* s : {"25 November 2026", "nov 25, 2026", "11/25/2026",
                          "Wednesday 25th of November 2026", "25.11.26"})
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

TEST_CASE("random dates are valid, in range, and include leap days") {
    TaskRng rng(11);
    bool saw_leap_day = false;
    for (int i = 0; i < 20000; ++i) {
        const Date d = random_date(rng);
        INFO(iso(d));
        REQUIRE(is_valid_date(d));
        REQUIRE(d.year >= kFirstYear);
        REQUIRE(d.year <= kLastYear);
        saw_leap_day = saw_leap_day || (d.month == 2 && d.day == 29);
    }
    CHECK(saw_leap_day);
}

TEST_CASE("weekday agrees with counting days from 1970-01-01 for every date in range") {
    for (int y = kFirstYear; y <= kLastYear; ++y)
        for (int m = 1; m <= 12; ++m)
            for (int d = 1; d <= days_in_month(y, m); ++d) {
                const Date date{y, m, d};
                if (weekday(date) != weekday_by_counting(date)) FAIL(iso(date));
            }
}
