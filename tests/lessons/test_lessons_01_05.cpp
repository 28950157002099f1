// Lessons 01–05 run as a learner runs them: defaults, --help, dumps, their own input and
// weights files, and bad input. Numbers are checked through the dumps (bit for bit where
// the lesson must reproduce a file, against the core's modules where it computes).
#include "lessons/run_lesson.hpp"

#include "core/random.hpp"
#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "nn/ffn_block.hpp"
#include "nn/linear.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "text/tokenizer.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include "support/catch.hpp"

using tfm::test::contains;
using tfm::test::run_lesson;
using tfm::test::RunResult;
using tfm::test::temp_dir;

namespace {

const char* const kLessons[] = {"01_embedding", "02_qkv", "03_attention", "04_multi_head",
                                "05_ffn"};
// The lessons that read an input X (--input).
const char* const kInputLessons[] = {"02_qkv", "03_attention", "04_multi_head", "05_ffn"};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A made-up input: n × d with entries sin(i + 0.3 j), nothing random.
arma::mat made_up_x(arma::uword n, arma::uword d) {
    arma::mat x(n, d);
    for (arma::uword i = 0; i < n; ++i)
        for (arma::uword j = 0; j < d; ++j) x(i, j) = std::sin(static_cast<double>(i) + 0.3 * j);
    return x;
}

// Bad input must end with exit status 2 and two lines on stderr: the error, then the
// --help hint.
void check_rejected(const std::string& lesson, const std::vector<std::string>& args,
                    const std::string& expected_words) {
    const RunResult r = run_lesson(lesson, args);
    INFO(lesson << " stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(tfm::test::count_lines(r.err) == 2);
    CHECK(contains(r.err, "\nTry '" + lesson + " --help'.\n"));
    CHECK(contains(r.err, expected_words));
}

}  // namespace

TEST_CASE("every lesson 01-05 runs with its defaults and prints the key tensors with shapes") {
    const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
        {"01_embedding",
         {"embed.weight [", "embeddings [6 × 8]", "one_hot [6 × ", "scaled [6 × 8]", "PE [6 × 8]",
          "X [6 × 8]"}},
        {"02_qkv",
         {"X [6 × 8]", "wq.weight [8 × 8]", "wq.bias [8]", "Q [6 × 8]", "K [6 × 8]", "V [6 × 8]",
          "Q_row1 [1 × 8]"}},
        {"03_attention",
         {"scores [6 × 6]", "mask [6 × 6]", "scaled [6 × 6]", "weights [6 × 6]",
          "weights_row_sums [6]", "output [6 × 8]", "var(q·k)"}},
        {"04_multi_head",
         {"head0.Q [6 × 4]", "head0.output [6 × 4]", "head1.weights [6 × 6]", "concat [6 × 8]",
          "wo.weight [8 × 8]", "output [6 × 8]"}},
        {"05_ffn",
         {"linear1.weight [32 × 8]", "hidden_pre [6 × 32]", "hidden [6 × 32]", "ffn_out [6 × 8]",
          "residual [6 × 8]", "mean_before [6]", "max |mean_after|", "output [6 × 8]"}},
    };
    for (const auto& [lesson, names] : expected) {
        const RunResult r = run_lesson(lesson, {});
        INFO(lesson << " stderr: " << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        for (const std::string& name : names) {
            INFO("looking for '" << name << "'");
            CHECK(contains(r.out, name));
        }
    }
}

TEST_CASE("every lesson 01-05 prints its usage with --help and exits 0") {
    for (const char* lesson : kLessons) {
        const RunResult r = run_lesson(lesson, {"--help"});
        INFO(lesson);
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "--seed"));
        CHECK(contains(r.out, "--dump-dir"));
        CHECK(contains(r.out, "--save-weights"));
    }
    for (const char* lesson : kInputLessons) {
        INFO(lesson);
        CHECK(contains(run_lesson(lesson, {"--help"}).out, "--input"));
    }
    CHECK(contains(run_lesson("04_multi_head", {"--help"}).out, "--grad-output"));
    CHECK(contains(run_lesson("05_ffn", {"--help"}).out, "--norm-first"));
}

TEST_CASE("the same seed gives byte-identical output and another seed changes the numbers") {
    for (const char* lesson : kLessons) {
        INFO(lesson);
        const RunResult a = run_lesson(lesson, {"--seed", "5"});
        const RunResult b = run_lesson(lesson, {"--seed", "5"});
        const RunResult c = run_lesson(lesson, {"--seed", "6"});
        REQUIRE(a.exit_code == 0);
        CHECK(a.out == b.out);
        CHECK(a.out != c.out);
    }
}

TEST_CASE("--dump-dir writes output.npy for every lesson, loadable with the right shape") {
    const std::vector<std::pair<std::string, arma::uword>> widths = {{"01_embedding", 8},
                                                                     {"02_qkv", 24},
                                                                     {"03_attention", 8},
                                                                     {"04_multi_head", 8},
                                                                     {"05_ffn", 8}};
    for (const auto& [lesson, width] : widths) {
        const std::string dir = temp_dir("dump");
        const RunResult r = run_lesson(lesson, {"--dump-dir", dir, "--quiet"});
        INFO(lesson << " stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        const arma::mat output = tfm::load_npy(dir + "/output.npy");
        CHECK(output.n_rows == 6);
        CHECK(output.n_cols == width);
    }
}

TEST_CASE(
    "a lesson run again from its own saved weights and dumped X reproduces output.npy bit for "
    "bit") {
    // Run once with seed 42, saving weights and dumps; run again with another seed but
    // the saved weights (and, where the lesson has one, the dumped X as --input).
    for (const char* lesson : kLessons) {
        INFO(lesson);
        const std::string first = temp_dir("first"), second = temp_dir("second");
        const std::string weights = first + "/w.safetensors";
        const RunResult a = run_lesson(lesson, {"--dump-dir", first, "--save-weights", weights});
        REQUIRE(a.exit_code == 0);
        std::vector<std::string> args = {"--seed", "1234",       "--weights",
                                         weights,  "--dump-dir", second};
        if (std::string(lesson) != "01_embedding") {
            args.push_back("--input");
            args.push_back(first + "/X.npy");
        }
        const RunResult b = run_lesson(lesson, args);
        INFO("stderr: " << b.err);
        REQUIRE(b.exit_code == 0);
        const std::string out_a = slurp(first + "/output.npy"),
                          out_b = slurp(second + "/output.npy");
        CHECK(!out_a.empty());
        CHECK(out_a == out_b);
    }
}

TEST_CASE("lesson 01: one_hot times E equals the lookup, and X is scaled embeddings plus PE") {
    const std::string dir = temp_dir("l01");
    REQUIRE(run_lesson("01_embedding", {"--dump-dir", dir}).exit_code == 0);
    const arma::mat e = tfm::load_npy(dir + "/embed.weight.npy");
    const arma::mat onehot = tfm::load_npy(dir + "/one_hot.npy");
    const arma::mat embeddings = tfm::load_npy(dir + "/embeddings.npy");
    const arma::mat x = tfm::load_npy(dir + "/X.npy");
    const tfm::Vocab vocab = tfm::Vocab::lesson_default();
    CHECK(e.n_rows == vocab.size());
    // "the cat sat on the mat": tokens 0 and 4 are both "the", so the same row of E.
    const std::vector<arma::uword> ids =
        vocab.encode(tfm::tokenize_words("the cat sat on the mat"));
    for (arma::uword i = 0; i < ids.size(); ++i) {
        INFO("token " << i);
        CHECK(arma::approx_equal(embeddings.row(i), e.row(ids[i]), "absdiff", 0.0));
        CHECK(onehot(i, ids[i]) == 1.0);
        CHECK(arma::accu(onehot.row(i)) == 1.0);
    }
    CHECK(arma::approx_equal(onehot * e, embeddings, "absdiff", 0.0));
    const arma::mat expected_x = embeddings * std::sqrt(8.0) + tfm::positional_encoding(6, 8);
    INFO("X\n" << x << "expected\n" << expected_x);
    CHECK(arma::approx_equal(x, expected_x, "absdiff", 1e-12));
    CHECK(slurp(dir + "/X.npy") == slurp(dir + "/output.npy"));
}

TEST_CASE("lesson 01 loads embed.weight from a file and looks rows up in it") {
    const tfm::Vocab vocab = tfm::Vocab::lesson_default();
    arma::mat e(vocab.size(), 4);
    for (arma::uword i = 0; i < e.n_rows; ++i)
        for (arma::uword j = 0; j < e.n_cols; ++j) e(i, j) = static_cast<double>(i) + 0.25 * j;
    const std::string dir = temp_dir("l01w");
    tfm::save_safetensors(dir + "/w.safetensors", {{"embed.weight", {{e.n_rows, e.n_cols}, e}}});
    const RunResult r =
        run_lesson("01_embedding", {"--d-model", "4", "--text", "cat mat", "--weights",
                                    dir + "/w.safetensors", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const arma::mat embeddings = tfm::load_npy(dir + "/embeddings.npy");
    CHECK(arma::approx_equal(embeddings.row(0), e.row(vocab.id("cat")), "absdiff", 0.0));
    CHECK(arma::approx_equal(embeddings.row(1), e.row(vocab.id("mat")), "absdiff", 0.0));
}

TEST_CASE("lesson 02 computes Q, K, V of a given X with given weights, and a row alone matches") {
    const std::string dir = temp_dir("l02");
    tfm::set_seed(3);
    tfm::Linear wq(8, 8), wk(8, 8), wv(8, 8);
    tfm::ParamList params;
    wq.params("wq.", params);
    wk.params("wk.", params);
    wv.params("wv.", params);
    tfm::save_params(dir + "/w.safetensors", params);
    const arma::mat x = made_up_x(5, 8);
    tfm::save_npy(dir + "/x.npy", x);
    const RunResult r =
        run_lesson("02_qkv", {"--input", dir + "/x.npy", "--weights", dir + "/w.safetensors",
                              "--row", "3", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const arma::mat expected = arma::join_rows(wq.forward(x), wk.forward(x), wv.forward(x));
    const arma::mat output = tfm::load_npy(dir + "/output.npy");
    INFO("output\n" << output << "expected\n" << expected);
    CHECK(arma::approx_equal(output, expected, "absdiff", 1e-12));
    const arma::mat q_row = tfm::load_npy(dir + "/Q_row3.npy");
    CHECK(arma::approx_equal(q_row, expected(arma::span(3), arma::span(0, 7)), "absdiff", 1e-12));
}

TEST_CASE("lesson 03 weights rows sum to one and output is weights times V") {
    const std::string dir = temp_dir("l03");
    REQUIRE(run_lesson("03_attention", {"--dump-dir", dir}).exit_code == 0);
    const arma::mat q = tfm::load_npy(dir + "/Q.npy"), k = tfm::load_npy(dir + "/K.npy");
    const arma::mat v = tfm::load_npy(dir + "/V.npy"), w = tfm::load_npy(dir + "/weights.npy");
    const arma::mat sums = tfm::load_npy(dir + "/weights_row_sums.npy");
    CHECK(arma::approx_equal(sums, arma::mat(1, 6, arma::fill::ones), "absdiff", 1e-12));
    const tfm::AttentionResult expected = tfm::scaled_dot_product_attention(q, k, v);
    CHECK(arma::approx_equal(w, expected.weights, "absdiff", 1e-12));
    CHECK(arma::approx_equal(tfm::load_npy(dir + "/output.npy"), w * v, "absdiff", 1e-12));
    CHECK(arma::approx_equal(tfm::load_npy(dir + "/scores.npy"), q * k.t(), "absdiff", 1e-12));
}

TEST_CASE("lesson 03 with a causal mask blocks later keys and says which keys each query keeps") {
    const std::string dir = temp_dir("l03c");
    const RunResult r = run_lesson("03_attention", {"--mask", "causal", "--dump-dir", dir});
    REQUIRE(r.exit_code == 0);
    const arma::mat mask = tfm::load_npy(dir + "/mask.npy");
    const arma::mat w = tfm::load_npy(dir + "/weights.npy");
    for (arma::uword i = 0; i < 6; ++i)
        for (arma::uword j = 0; j < 6; ++j) {
            INFO("query " << i << ", key " << j);
            CHECK(mask(i, j) == (j > i ? 1.0 : 0.0));
            if (j > i) CHECK(w(i, j) == 0.0);
        }
    CHECK(w(0, 0) == 1.0);  // the first token can only look at itself
    CHECK(contains(r.out, "keeps keys"));
    CHECK(contains(r.out, "blocked keys"));
}

TEST_CASE("lesson 03 with a padding mask appends <pad> tokens and gives them no weight") {
    const std::string dir = temp_dir("l03p");
    const RunResult r =
        run_lesson("03_attention", {"--mask", "padding", "--pad", "2", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "<pad>"));
    const arma::mat w = tfm::load_npy(dir + "/weights.npy");
    REQUIRE(w.n_rows == 8);
    REQUIRE(w.n_cols == 8);
    CHECK(arma::approx_equal(w.cols(6, 7), arma::mat(8, 2, arma::fill::zeros), "absdiff", 0.0));
    CHECK(arma::approx_equal(arma::sum(w, 1), arma::vec(8, arma::fill::ones), "absdiff", 1e-12));
    // With --input the last rows of the file are the padding instead.
    const std::string dir2 = temp_dir("l03p2");
    tfm::save_npy(dir2 + "/x.npy", made_up_x(5, 8));
    const RunResult f = run_lesson("03_attention", {"--mask", "padding", "--pad", "1", "--input",
                                                    dir2 + "/x.npy", "--dump-dir", dir2});
    INFO(f.err);
    REQUIRE(f.exit_code == 0);
    const arma::mat wf = tfm::load_npy(dir2 + "/weights.npy");
    CHECK(arma::approx_equal(wf.col(4), arma::vec(5, arma::fill::zeros), "absdiff", 0.0));
}

TEST_CASE("lesson 04 output is the multi-head module's output for the given X and weights") {
    const std::string dir = temp_dir("l04");
    tfm::set_seed(9);
    tfm::MultiHeadAttention mha(12, 3);
    tfm::ParamList params;
    mha.params("", params);
    tfm::save_params(dir + "/w.safetensors", params);
    const arma::mat x = made_up_x(7, 12);
    tfm::save_npy(dir + "/x.npy", x);
    const RunResult r = run_lesson(
        "04_multi_head", {"--d-model", "12", "--heads", "3", "--mask", "causal", "--input",
                          dir + "/x.npy", "--weights", dir + "/w.safetensors", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const arma::mat expected = mha.forward(x, x, tfm::causal_mask(7));
    CHECK(arma::approx_equal(tfm::load_npy(dir + "/output.npy"), expected, "absdiff", 1e-12));
    for (int j = 0; j < 3; ++j) {
        const std::string head = dir + "/head" + std::to_string(j);
        INFO("head " << j);
        CHECK(arma::approx_equal(tfm::load_npy(head + ".weights.npy"), mha.heads_[j].weights,
                                 "absdiff", 1e-12));
        CHECK(arma::approx_equal(tfm::load_npy(head + ".Q.npy"), mha.q_.cols(4 * j, 4 * j + 3),
                                 "absdiff", 1e-12));
    }
}

TEST_CASE("lesson 04's cost table is flat with d_k = d_model/h and linear with d_k fixed") {
    const RunResult r = run_lesson("04_multi_head", {"--quiet"});
    REQUIRE(r.exit_code == 0);
    // n = 128, d_model = 512, d_k = 512/h: 4·n·d² + 2·n²·d = 134,217,728 + 16,777,216.
    CHECK(contains(r.out, "150,994,944"));
    // d_k = 64 fixed, h = 1: 3·128·512·64 + 2·128·128·64 + 128·64·512 = 18,874,368; h = 16: ×16.
    CHECK(contains(r.out, "18,874,368"));
    CHECK(contains(r.out, "301,989,888"));
    CHECK(contains(r.out, "16.00"));
}

TEST_CASE(
    "lesson 05 output is the FFN block's output, post-LN and pre-LN, and a row alone matches") {
    for (bool norm_first : {false, true}) {
        INFO("norm_first " << norm_first);
        const std::string dir = temp_dir("l05");
        tfm::set_seed(4);
        tfm::FfnBlock block(8, 20, tfm::Activation::gelu, norm_first);
        tfm::ParamList params;
        block.params("", params);
        tfm::save_params(dir + "/w.safetensors", params);
        const arma::mat x = made_up_x(5, 8);
        tfm::save_npy(dir + "/x.npy", x);
        std::vector<std::string> args = {
            "--d-ff",       "20",        "--activation",         "gelu",  "--input",
            dir + "/x.npy", "--weights", dir + "/w.safetensors", "--row", "2",
            "--dump-dir",   dir};
        if (norm_first) args.push_back("--norm-first");
        const RunResult r = run_lesson("05_ffn", args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const arma::mat expected = block.forward(x);
        CHECK(arma::approx_equal(tfm::load_npy(dir + "/output.npy"), expected, "absdiff", 1e-12));
        const arma::mat ffn_out = tfm::load_npy(dir + "/ffn_out.npy");
        CHECK(arma::approx_equal(tfm::load_npy(dir + "/ffn_row2.npy"), ffn_out.row(2), "absdiff",
                                 1e-12));
    }
}

TEST_CASE("lesson 05 LayerNorm leaves each row with mean 0 and variance just under 1") {
    const std::string dir = temp_dir("l05n");
    REQUIRE(run_lesson("05_ffn", {"--dump-dir", dir}).exit_code == 0);
    const arma::mat mean = tfm::load_npy(dir + "/mean_after.npy");
    const arma::mat var = tfm::load_npy(dir + "/var_after.npy");
    const arma::mat var_before = tfm::load_npy(dir + "/var_before.npy");
    INFO("mean " << mean << "var " << var << "before " << var_before);
    CHECK(arma::approx_equal(mean, arma::mat(1, 6, arma::fill::zeros), "absdiff", 1e-12));
    // σ² / (σ² + 1e-5) with the row's own variance before the norm.
    CHECK(arma::approx_equal(var, var_before / (var_before + 1e-5), "absdiff", 1e-12));
    // ReLU zeros exactly the negative pre-activations.
    const arma::mat pre = tfm::load_npy(dir + "/hidden_pre.npy");
    const arma::mat hidden = tfm::load_npy(dir + "/hidden.npy");
    CHECK(arma::approx_equal(hidden, arma::clamp(pre, 0.0, arma::datum::inf), "absdiff", 0.0));
}

TEST_CASE("unknown options and non-numeric values are rejected by every lesson 01-05") {
    for (const char* lesson : kLessons) {
        check_rejected(lesson, {"--bogus"}, "bogus");
        check_rejected(lesson, {"--seed", "abc"}, "abc");
        check_rejected(lesson, {"--precision=-1"}, "precision");
    }
    check_rejected("01_embedding", {"--d-model", "eight"}, "eight");
    check_rejected("02_qkv", {"--row", "x"}, "x");
    check_rejected("03_attention", {"--mask", "sideways"}, "mask");
    check_rejected("05_ffn", {"--activation", "tanh"}, "activation");
}

TEST_CASE("sizes that do not fit are rejected: heads, rows, padding") {
    check_rejected("04_multi_head", {"--d-model", "8", "--heads", "3"}, "divisible");
    check_rejected("02_qkv", {"--row", "6"}, "--row");
    check_rejected("05_ffn", {"--row", "99"}, "--row");
    const std::string dir = temp_dir("pad");
    tfm::save_npy(dir + "/x.npy", made_up_x(3, 8));
    check_rejected("03_attention", {"--mask", "padding", "--pad", "3", "--input", dir + "/x.npy"},
                   "padding");
}

TEST_CASE("--input with the wrong width, a malformed .npy or a missing file is rejected") {
    const std::string dir = temp_dir("badinput");
    tfm::save_npy(dir + "/wide.npy", made_up_x(4, 5));
    std::ofstream(dir + "/garbage.npy") << "this is not a numpy file";
    std::string truncated = slurp(dir + "/wide.npy");
    truncated.resize(truncated.size() - 8);
    std::ofstream(dir + "/truncated.npy", std::ios::binary) << truncated;
    for (const char* lesson : kInputLessons) {
        check_rejected(lesson, {"--input", dir + "/wide.npy"}, "--d-model");
        check_rejected(lesson, {"--input", dir + "/garbage.npy"}, "garbage.npy");
        check_rejected(lesson, {"--input", dir + "/truncated.npy"}, "truncated.npy");
        check_rejected(lesson, {"--input", dir + "/absent.npy"}, "absent.npy");
    }
}

TEST_CASE("a weights file missing a tensor or with a wrong shape is rejected") {
    const std::string dir = temp_dir("badweights");
    const arma::mat w(8, 8, arma::fill::zeros);
    const arma::mat b(1, 8, arma::fill::zeros);
    // Only wq: wk and wv are missing.
    tfm::save_safetensors(dir + "/partial.safetensors",
                          {{"wq.weight", {{8, 8}, w}}, {"wq.bias", {{8}, b}}});
    // embed.weight 3 × 8: the vocabulary is larger.
    tfm::save_safetensors(dir + "/small_vocab.safetensors",
                          {{"embed.weight", {{3, 8}, arma::mat(3, 8, arma::fill::zeros)}}});
    check_rejected("01_embedding", {"--weights", dir + "/small_vocab.safetensors"}, "embed.weight");
    for (const char* lesson : {"02_qkv", "03_attention", "04_multi_head"})
        check_rejected(lesson, {"--weights", dir + "/partial.safetensors"}, "wk.");
    check_rejected("05_ffn", {"--weights", dir + "/partial.safetensors"}, "safetensors");
    std::ofstream(dir + "/garbage.safetensors") << "12345678{not json";
    check_rejected("04_multi_head", {"--weights", dir + "/garbage.safetensors"},
                   "garbage.safetensors");
}

TEST_CASE("--grad-output with the wrong shape is rejected before anything is computed") {
    const std::string dir = temp_dir("badgrad");
    tfm::save_npy(dir + "/g.npy", made_up_x(6, 5));
    check_rejected("04_multi_head", {"--grad-output", dir + "/g.npy"}, "--grad-output");
    check_rejected("05_ffn", {"--grad-output", dir + "/g.npy"}, "--grad-output");
}

TEST_CASE("lesson 04 --grad-output dumps the module's dL/dX and every parameter gradient") {
    const std::string dir = temp_dir("l04g");
    tfm::set_seed(21);
    tfm::MultiHeadAttention mha(8, 2);
    tfm::ParamList params;
    mha.params("", params);
    tfm::save_params(dir + "/w.safetensors", params);
    const arma::mat x = made_up_x(5, 8);
    const arma::mat g = made_up_x(5, 8) * 0.5 - 0.1;
    tfm::save_npy(dir + "/x.npy", x);
    tfm::save_npy(dir + "/g.npy", g);
    const RunResult r = run_lesson(
        "04_multi_head", {"--input", dir + "/x.npy", "--weights", dir + "/w.safetensors", "--mask",
                          "causal", "--grad-output", dir + "/g.npy", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    mha.forward(x, x, tfm::causal_mask(5));
    mha.zero_grad();
    const tfm::MultiHeadAttention::Grads grads = mha.backward(g);
    const arma::mat expected = grads.dquery_in + grads.dkv_in;
    CHECK(arma::approx_equal(tfm::load_npy(dir + "/grad_input.npy"), expected, "absdiff", 1e-12));
    for (const tfm::Param& p : params) {
        INFO(p.name);
        arma::mat dumped = tfm::load_npy(dir + "/grad." + p.name + ".npy");
        if (p.is_vector) dumped.reshape(1, dumped.n_elem);
        CHECK(arma::approx_equal(dumped, *p.grad, "absdiff", 1e-12));
    }
}

TEST_CASE("lesson 05 --grad-output dumps the block's dL/dX and every parameter gradient") {
    const std::string dir = temp_dir("l05g");
    tfm::set_seed(22);
    tfm::FfnBlock block(8, 16, tfm::Activation::relu, false);
    tfm::ParamList params;
    block.params("", params);
    tfm::save_params(dir + "/w.safetensors", params);
    const arma::mat x = made_up_x(4, 8);
    const arma::mat g = made_up_x(4, 8) * -0.7 + 0.2;
    tfm::save_npy(dir + "/x.npy", x);
    tfm::save_npy(dir + "/g.npy", g);
    const RunResult r = run_lesson(
        "05_ffn", {"--d-ff", "16", "--input", dir + "/x.npy", "--weights", dir + "/w.safetensors",
                   "--grad-output", dir + "/g.npy", "--dump-dir", dir});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    block.forward(x);
    block.zero_grad();
    const arma::mat expected = block.backward(g);
    CHECK(arma::approx_equal(tfm::load_npy(dir + "/grad_input.npy"), expected, "absdiff", 1e-12));
    for (const tfm::Param& p : params) {
        INFO(p.name);
        arma::mat dumped = tfm::load_npy(dir + "/grad." + p.name + ".npy");
        if (p.is_vector) dumped.reshape(1, dumped.n_elem);
        CHECK(arma::approx_equal(dumped, *p.grad, "absdiff", 1e-12));
    }
}
