// tools/model_table run as a learner runs it: one preset, every preset, a bad name.
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

using tfm::test::count_lines;
using tfm::test::run_tool;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("model_table prints one preset's breakdown, every preset, and rejects an unknown name",
          "[lessons][stacks]") {
    const auto one = run_tool("model_table", {"--config", "gpt2-small"});
    INFO(one.err);
    REQUIRE(one.exit_code == 0);
    CHECK(has(one.out, "124,439,808"));
    CHECK(has(one.out, "MACs per token"));
    CHECK(has(one.out, "published"));

    const auto all = run_tool("model_table", {"--all"});
    REQUIRE(all.exit_code == 0);
    for (const char* name : {"lesson", "transformer-base", "transformer-big", "bert-base",
                             "bert-large", "gpt2-small", "gpt2-xl", "gpt3-medium", "gpt3-xl"})
        CHECK(has(all.out, name));

    const auto bad = run_tool("model_table", {"--config", "gpt5"});
    INFO(bad.err);
    CHECK(bad.exit_code == 2);
    CHECK(count_lines(bad.err) == 2);  // the error, then "Try 'model_table --help'."
    CHECK(has(bad.err, "gpt5"));
    CHECK(bad.out.empty());
}
