// Lesson plumbing shared by several lessons: comma-separated lists and option aliases.
#include "support/catch.hpp"

#include "cli/lesson_support.hpp"
#include "cli/options.hpp"

#include <string>
#include <vector>

TEST_CASE("a comma-separated list of positive numbers is read, and a bad one is named") {
    CHECK(tfm::cli::parse_positive_list("rho", "0.5,1,2e0", 6) ==
          std::vector<double>{0.5, 1.0, 2.0});
    CHECK_THROWS_WITH(tfm::cli::parse_positive_list("rho", "0.5,x", 6),
                      Catch::Contains("--rho: 'x'"));
    CHECK_THROWS_WITH(tfm::cli::parse_positive_list("rho", "0.5,-1", 6), Catch::Contains("> 0"));
    CHECK_THROWS_WITH(tfm::cli::parse_positive_list("rho", "1,2,3", 2), Catch::Contains("1 to 2"));
    CHECK(tfm::cli::printf_number(1e-5, "%.3e") == "1.000e-05");
}

TEST_CASE("an option alias is read as the option it stands for, spaced or with =", "[cli]") {
    for (const std::vector<std::string>& given :
         {std::vector<std::string>{"--T", "7"}, {"--T=7"}}) {
        std::vector<std::string> args = {"lesson"};
        args.insert(args.end(), given.begin(), given.end());
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        tfm::cli::Options options("lesson", "test");
        options.add_options()("T,seq-len", "length", tfm::cli::value<long>()->default_value("1"));
        const tfm::cli::ParseResult r = tfm::cli::parse(options, static_cast<int>(argv.size()),
                                                        argv.data(), {{"T", "seq-len"}});
        CHECK(r["seq-len"].as<long>() == 7);
    }
}
