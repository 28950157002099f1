#include "train/dates.hpp"

#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace tfm {

namespace {

const char* const kMonths[12] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};
const char* const kWeekdays[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                  "Friday", "Saturday", "Sunday"};

std::string two_digits(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n % 100);
    return buf;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd, 23rd … 31st.
std::string ordinal(int day) {
    const char* suffix = "th";
    if (day % 10 == 1 && day != 11) suffix = "st";
    if (day % 10 == 2 && day != 12) suffix = "nd";
    if (day % 10 == 3 && day != 13) suffix = "rd";
    return std::to_string(day) + suffix;
}

}  // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

bool is_valid_date(const Date& d) {
    return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

// Sakamoto's method: counts days from a fixed Sunday, treating January and February
// as months 13 and 14 of the previous year so that the leap day comes last.
int weekday(const Date& d) {
    static const int offset[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    const int y = d.month < 3 ? d.year - 1 : d.year;
    const int sunday_based = (y + y / 4 - y / 100 + y / 400 + offset[d.month - 1] + d.day) % 7;
    return (sunday_based + 6) % 7;
}

std::string iso(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

const std::vector<DateFormat>& date_formats() {
    static const std::vector<DateFormat> formats = {
        {"d Month yyyy", "25 November 2026"},
        {"mon d, yyyy", "nov 25, 2026"},
        {"mm/dd/yyyy", "11/25/2026"},
        {"Weekday dth of Month yyyy", "Wednesday 25th of November 2026"},
        {"dd.mm.yy", "25.11.26"},
        {"Month d, yyyy", "November 25, 2026"},
        {"d Mon yyyy", "25 Nov 2026"},
        {"Wkd, d Mon yyyy", "Wed, 25 Nov 2026"},
        {"dd.mm.yyyy", "25.11.2026"},
        {"yyyy-mm-dd", "2026-11-25"},
        {"MON d yyyy", "NOV 25 2026"},
        {"yyyymmdd", "20261125"},
        {"the dth of Month, yyyy", "the 25th of November, 2026"},
        {"Weekday, Month d, yyyy", "Wednesday, November 25, 2026"},
        {"dd-Mon-yyyy", "25-Nov-2026"},
        {"mm/dd/yy", "11/25/26"},
        {"Month dth, yyyy", "November 25th, 2026"},
        {"d month yyyy", "25 november 2026"},
    };
    return formats;
}

std::string format_date(const Date& d, std::size_t format) {
    const std::string month = kMonths[d.month - 1];
    const std::string mon = month.substr(0, 3);
    const std::string weekday_name = kWeekdays[weekday(d)];
    const std::string day = std::to_string(d.day);
    const std::string year = std::to_string(d.year);
    switch (format) {
        case 0:
            return day + " " + month + " " + year;
        case 1:
            return lower(mon) + " " + day + ", " + year;
        case 2:
            return two_digits(d.month) + "/" + two_digits(d.day) + "/" + year;
        case 3:
            return weekday_name + " " + ordinal(d.day) + " of " + month + " " + year;
        case 4:
            return two_digits(d.day) + "." + two_digits(d.month) + "." + two_digits(d.year);
        case 5:
            return month + " " + day + ", " + year;
        case 6:
            return day + " " + mon + " " + year;
        case 7:
            return weekday_name.substr(0, 3) + ", " + day + " " + mon + " " + year;
        case 8:
            return two_digits(d.day) + "." + two_digits(d.month) + "." + year;
        case 9:
            return iso(d);
        case 10:
            return upper(mon) + " " + day + " " + year;
        case 11:
            return year + two_digits(d.month) + two_digits(d.day);
        case 12:
            return "the " + ordinal(d.day) + " of " + month + ", " + year;
        case 13:
            return weekday_name + ", " + month + " " + day + ", " + year;
        case 14:
            return two_digits(d.day) + "-" + mon + "-" + year;
        case 15:
            return two_digits(d.month) + "/" + two_digits(d.day) + "/" + two_digits(d.year);
        case 16:
            return month + " " + ordinal(d.day) + ", " + year;
        case 17:
            return day + " " + lower(month) + " " + year;
    }
    throw std::out_of_range("format_date: no format " + std::to_string(format));
}

Date random_date(TaskRng& rng) {
    const int year = kFirstYear + static_cast<int>(rng.below(kLastYear - kFirstYear + 1));
    const int day_of_year = static_cast<int>(rng.below(is_leap_year(year) ? 366 : 365));
    Date d{year, 1, day_of_year + 1};
    while (d.day > days_in_month(year, d.month)) {
        d.day -= days_in_month(year, d.month);
        ++d.month;
    }
    return d;
}

}  // namespace tfm
