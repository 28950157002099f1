// The tables lessons 03, 04, 05 and 08 print, checked on small cases worked by hand.
#include "support/catch.hpp"

#include "cli/lesson_support.hpp"
#include "cli/lesson_tables.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "ops/mask.hpp"

#include <string>
#include <vector>

using tfm::TextTable;

namespace {

// The column `name` of a table, top to bottom.
std::vector<std::string> column(const TextTable& t, const std::string& name) {
    std::size_t c = 0;
    while (c < t.header.size() && t.header[c] != name) ++c;
    REQUIRE(c < t.header.size());
    std::vector<std::string> cells;
    for (const auto& row : t.rows) cells.push_back(row[c]);
    return cells;
}

}  // namespace

TEST_CASE("the causal mask's table lets query i keep keys 0 … i and blocks the rest") {
    const TextTable t = tfm::cli::kept_and_blocked_table(tfm::causal_mask(3), {"a", "b", "c"});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0] == std::vector<std::string>{"0 a", "a", "b, c"});
    CHECK(t.rows[2] == std::vector<std::string>{"2 c", "a, b, c", "(none)"});
    const TextTable none = tfm::cli::kept_and_blocked_table(tfm::Mask(), {"a", "b"});
    CHECK(column(none, "blocked keys") == std::vector<std::string>{"(none)", "(none)"});
}

TEST_CASE("the head cost table is flat with d_k = d_model / h and grows like h with d_k fixed") {
    const std::vector<std::string> heads = {"1", "2", "4", "8", "16"};
    const TextTable flat = tfm::cli::head_cost_table(128, 512, 0);
    CHECK(column(flat, "h") == heads);
    CHECK(column(flat, "× h=1") == std::vector<std::string>(5, "1.00"));
    // 4·n·d² + 2·n²·d = 4·128·512² + 2·128²·512 = 150,994,944.
    CHECK(column(flat, "total") == std::vector<std::string>(5, "150,994,944"));
    const TextTable fixed = tfm::cli::head_cost_table(128, 512, 64);
    CHECK(column(fixed, "× h=1") == std::vector<std::string>{"1.00", "2.00", "4.00", "8.00", "16.00"});
}

TEST_CASE("one big projection split into heads equals the heads' own products") {
    tfm::set_seed(5);
    tfm::MultiHeadAttention mha(8, 2);
    const arma::mat x = tfm::normal(4, 8);
    mha.forward(x, x, tfm::Mask());
    const TextTable t = tfm::cli::head_split_table(mha, x);
    CHECK(column(t, "projection") == std::vector<std::string>{"Q", "K", "V"});
    CHECK(column(t, "h separate products") == std::vector<std::string>(3, "2 × [4 × 4]"));
    for (const std::string& diff : column(t, "max |small − block of big|")) CHECK(diff.size() <= 7);  // 0 or ~1e-16
}

TEST_CASE("the FFN row-alone check and the LayerNorm check report tiny differences") {
    tfm::set_seed(6);
    tfm::FeedForward ffn(4, 16, tfm::Activation::relu);
    const arma::mat x = tfm::normal(5, 4);
    tfm::FeedForward copy = ffn;
    const arma::mat y = copy.forward(x);
    const tfm::cli::RowAloneCheck check = tfm::cli::ffn_row_alone(ffn, x, y, 2, "ffn_row2");
    CHECK(arma::approx_equal(check.row_alone, y.row(2), "absdiff", 1e-12));
    CHECK(check.table.rows[0][0] == "max |ffn_row2 − ffn_out[2, :]|");

    tfm::LayerNorm norm(4);
    const arma::mat before = tfm::normal(3, 4) * 10.0;
    const TextTable t = tfm::cli::layer_norm_check_table(norm, before, norm.forward(before));
    REQUIRE(t.rows.size() == 2);
    for (const auto& row : t.rows) CHECK(std::stod(row[1]) < 1e-12);
}

TEST_CASE("lesson 08's tables show every run, the distances asked for and T - 1") {
    tfm::RnnRun run{0.5, 0.5, arma::vec(10, arma::fill::ones), arma::regspace<arma::vec>(1, 10), 0.9, 0.8, 0.1};
    const TextTable jac = tfm::cli::jacobian_table({run});
    CHECK(jac.header == std::vector<std::string>{"k", "rho=0.5", "rho^k"});
    CHECK(column(jac, "k") == std::vector<std::string>{"1", "2", "5", "9"});
    CHECK(column(jac, "rho^k")[1] == "2.500e-01");
    CHECK(tfm::cli::jacobian_columns({run, run}).n_cols == 2);

    const std::vector<tfm::SpeedRow> counted = tfm::cli::counted_speed_rows({64, 256}, 8);
    const TextTable speed = tfm::cli::speed_table(counted, false);
    CHECK(speed.header.size() == 5);
    CHECK(column(speed, "RNN steps") == std::vector<std::string>{"64", "256"});
    CHECK(tfm::cli::speed_table(counted, true).header.size() == 10);
    CHECK(tfm::cli::gmacs_per_second(2000000000, 1.0) == "2.00");
}

TEST_CASE("a comma-separated list of positive numbers is read, and a bad one is named") {
    CHECK(tfm::cli::parse_positive_list("rho", "0.5,1,2e0", 6) == std::vector<double>{0.5, 1.0, 2.0});
    CHECK_THROWS_WITH(tfm::cli::parse_positive_list("rho", "0.5,x", 6), Catch::Contains("--rho: 'x'"));
    CHECK_THROWS_WITH(tfm::cli::parse_positive_list("rho", "0.5,-1", 6), Catch::Contains("> 0"));
    CHECK_THROWS_WITH(tfm::cli::parse_positive_list("rho", "1,2,3", 2), Catch::Contains("1 to 2"));
    CHECK(tfm::cli::printf_number(1e-5, "%.3e") == "1.000e-05");
}

TEST_CASE("an option alias is read as the option it stands for, spaced or with =", "[cli]") {
    for (const std::vector<std::string>& given : {std::vector<std::string>{"--T", "7"}, {"--T=7"}}) {
        std::vector<std::string> args = {"lesson"};
        args.insert(args.end(), given.begin(), given.end());
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        tfm::cli::Options options("lesson", "test");
        options.add_options()("T,seq-len", "length", tfm::cli::value<long>()->default_value("1"));
        const tfm::cli::ParseResult r =
            tfm::cli::parse(options, static_cast<int>(argv.size()), argv.data(), {{"T", "seq-len"}});
        CHECK(r["seq-len"].as<long>() == 7);
    }
}
