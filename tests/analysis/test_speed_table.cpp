#include "analysis/speed_table.hpp"

#include "core/random.hpp"
#include "nn/multi_head_attention.hpp"
#include "rnn/vanilla_rnn.hpp"

#include "support/catch.hpp"

TEST_CASE("the timed RNN kernel computes the same last state as VanillaRnn", "[speed]") {
    tfm::VanillaRnn rnn(4, 4, tfm::RnnActivation::tanh);
    const arma::mat x = tfm::normal(7, 4);
    const arma::mat h = rnn.forward(x);
    const arma::vec last = tfm::rnn_forward_kernel(x, rnn.w_hh, rnn.w_xh, rnn.bias.t());
    INFO("module\n" << h.row(6) << "kernel\n" << last.t());
    CHECK(arma::approx_equal(last, arma::vec(h.row(6).t()), "absdiff", 1e-12));
}

TEST_CASE("the timed attention kernel computes what MultiHeadAttention computes without biases",
          "[speed]") {
    tfm::MultiHeadAttention mha(6, 3);
    for (tfm::Linear* l : {&mha.wq, &mha.wk, &mha.wv, &mha.wo}) l->bias.zeros();
    const arma::mat x = tfm::normal(5, 6);
    const arma::mat expected = mha.forward(x, x);
    const arma::mat got = tfm::attention_forward_kernel(x, mha.wq.weight, mha.wk.weight, mha.wv.weight,
                                                        mha.wo.weight, 3);
    INFO("module\n" << expected << "kernel\n" << got);
    CHECK(arma::approx_equal(got, expected, "absdiff", 1e-12));
}

TEST_CASE("the speed table has a row per length and thread count with the formulas' counts", "[speed]") {
    const std::vector<tfm::SpeedRow> rows = tfm::measure_sequential_vs_parallel({8, 16}, 4, 2, {1, 2}, 1);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].seq_len == 8);
    CHECK(rows[1].threads == 2);
    CHECK(rows[2].rnn_steps == 16);
    CHECK(rows[2].attention_steps == 5);
    CHECK(rows[3].attention_macs == 4 * 16 * 16 + 2 * 16 * 16 * 4);
    for (const tfm::SpeedRow& r : rows) {
        CHECK(r.rnn_seconds > 0.0);
        CHECK(r.attention_seconds > 0.0);
    }
}
