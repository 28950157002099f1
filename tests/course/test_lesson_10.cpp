// Lesson 10's own work: the readings of the inputs, the comparison of the decoders, the
// sampling summary and the cost rows.
#include "course/lesson_10.hpp"

#include "decode/decode_helpers.hpp"
#include "decode/step_cost.hpp"
#include "support/table_column.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::course;

TEST_CASE("an ISO date is yyyy-mm-dd of a real calendar day", "[lesson10]") {
    CHECK(is_iso_date("2021-03-04"));
    CHECK(is_iso_date("2000-02-29"));
    CHECK_FALSE(is_iso_date("1900-02-29"));
    CHECK_FALSE(is_iso_date("2021-3-202"));
    CHECK_FALSE(is_iso_date("2021-13-01"));
    CHECK_FALSE(is_iso_date("2021-03-04x"));
}

TEST_CASE("the intended reading pads unpadded numbers into a trained format", "[lesson10]") {
    const std::optional<IntendedDate> us = intended_date("3/4/2021");  // mm/dd/yyyy
    REQUIRE(us);
    CHECK(us->date.iso == "2021-03-04");
    CHECK(us->unpadded);
    const std::optional<IntendedDate> dots = intended_date("7.5.1999");  // dd.mm.yyyy
    REQUIRE(dots);
    CHECK(dots->date.iso == "1999-05-07");
    const std::optional<IntendedDate> trained = intended_date("25 November 2026");
    REQUIRE(trained);
    CHECK_FALSE(trained->unpadded);
    CHECK_FALSE(intended_date("hello"));
    CHECK_FALSE(intended_date("32/1/2021"));
}

TEST_CASE("the decoder comparison scores the intended reading by a full forward pass",
          "[lesson10]") {
    LessonModel m = test::dates_model();
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    BeamOptions beam;
    beam.beam = 3;
    const DecoderComparison c = compare_decoders(m, "3/4/2021", beam, options);
    CHECK(c.expected == "2021-03-04");
    TokenIds tokens = m.task.from_source(c.expected).src;
    tokens.push_back(Vocab::eos);
    double sum = 0.0;
    for (double lp : rescore(m.model, m.task.from_source("3/4/2021").src, tokens)) sum += lp;
    CHECK(c.expected_log_prob == Approx(sum).margin(1e-12));
    CHECK(n_best_table(m.vocab, c).rows.size() == c.beam.n_best.size());
    const std::size_t rank = c.expected_rank(m.vocab);
    if (rank > 0) CHECK(c.wider_beam == 0);
    if (c.wider_beam > 0) CHECK(c.wider_rank > 0);
    // One row per step; no row holds more than the beam.
    const TextTable steps = beam_steps_table(m.vocab, c.beam);
    CHECK(steps.rows.size() == c.beam.steps.size());
    CHECK(steps.header.size() == beam.beam + 1);
}

TEST_CASE("the sampling summary counts what the draws wrote", "[lesson10]") {
    LessonModel m = test::dates_model();
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    const Encoded encoded = m.model.encode(m.task.from_source("25 November 2026").src);
    const Hypothesis greedy = greedy_search(m.model, encoded, options);
    SamplingSetting t0{"T 0", SamplingOptions()};
    t0.options.temperature = 0.0;
    const std::size_t step = most_uncertain_step(m, encoded, greedy, options);
    CHECK(step < greedy.tokens.size());
    const SamplingSummary s =
        summarise_samples(m, encoded, t0, 40, 3, options, "2026-11-25", greedy, step);
    CHECK(s.samples == 40);
    CHECK(s.greedy == 40);
    CHECK(s.distinct == 1);
    CHECK(s.first_entropy == 0.0);
    CHECK(s.step_entropy == 0.0);
    const TextTable t = sampling_table({s}, step);
    CHECK(t.rows.at(0).at(0) == "T 0");
    CHECK(test::column(t, "greedy").at(0) == "100.0%");
    CHECK(default_sampling_settings().front().name == "T 0");
    const TextTable every = answer_counts_table(s);
    REQUIRE(every.rows.size() == 1);
    CHECK(every.rows[0] == std::vector<std::string>{"2026-11-25", "40", "100.0%", "yes"});
    SamplingOptions mine;
    mine.temperature = 0.7;
    mine.top_p = 0.9;
    CHECK(setting_name(mine) == "T 0.7, top-p 0.9");
}

TEST_CASE("the KV cache table shows the self-attention cache growing one row per step",
          "[lesson10]") {
    LessonModel m = test::dates_model();
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    const Encoded encoded = m.model.encode(m.task.from_source("25 November 2026").src);
    const Hypothesis greedy = greedy_search(m.model, encoded, options);
    const TextTable t = cache_growth_table(m.model, encoded, m.vocab, greedy);
    REQUIRE(t.rows.size() == greedy.tokens.size());
    const std::string cross = "[" + std::to_string(encoded.memory.n_rows) + " × 32]";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        CHECK(t.rows[i][2] == "[" + std::to_string(i + 1) + " × 32]");
        CHECK(t.rows[i][3] == cross);
    }
    CHECK(cache_difference(m.model, encoded, options) < 1e-12);
}

TEST_CASE("the cost rows count multiply-adds without timing when told not to", "[lesson10]") {
    ModelConfig c = test::dates_model().config;
    const std::vector<StepCostRow> rows = measure_step_costs(c, {4, 8}, 6, false);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].cached == step_multiply_adds(c, 4, 6, true));
    CHECK(rows[1].uncached == step_multiply_adds(c, 8, 6, false));
    CHECK(rows[0].cached_s == 0.0);
    const std::vector<StepCostRow> timed = measure_step_costs(c, {4}, 6, true);
    CHECK(timed[0].cached_s > 0.0);
    CHECK(timed[0].uncached_s > 0.0);
    CHECK(step_cost_table(timed, true).header.size() == 7);
    CHECK(step_cost_table(rows, false).header.size() == 4);
    CHECK(cost_sentence(rows, false).find("grew") != std::string::npos);
}
