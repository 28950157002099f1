// The generated tasks: the dates task writes only documented formats of valid dates
// with real weekdays (weekday() itself is checked against counting days for every date
// in range, in test_dates.cpp); copy and reverse; determinism per seed.
#include "core/error.hpp"
#include "train/tasks.hpp"

#include "support/catch.hpp"

#include <set>

using namespace tfm;

namespace {

Date parse_iso(const std::string& s) {
    return {std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2))};
}

}  // namespace

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
        // …and any weekday in it is the real one.
        static const char* const names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        for (int w = 0; w < 7; ++w) {
            if (e.source.find(names[w]) != std::string::npos) REQUIRE(w == weekday(d));
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
