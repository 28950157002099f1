// Cross-entropy over the generator's logits: values, gradients, <pad>, label smoothing.
#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/linear.hpp"
#include "support/gradcheck.hpp"
#include "train/cross_entropy.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("cross-entropy of equal logits is ln V at every counted position") {
    const arma::mat logits(3, 7, arma::fill::zeros);
    const CrossEntropy ce = cross_entropy(logits, {4, 5, 6});
    CHECK(ce.count == 3);
    CHECK(ce.total == Approx(3.0 * std::log(7.0)));
    CHECK(ce.mean() == Approx(std::log(7.0)));
}

TEST_CASE("cross-entropy with label smoothing matches the hand-computed value") {
    // p = (0.5, 0.25, 0.25), target 0, ε = 0.3: q = 0.7·(1, 0, 0) + 0.1 = (0.8, 0.1, 0.1)
    // loss = −(0.8 ln 0.5 + 0.1 ln 0.25 + 0.1 ln 0.25) = 0.8 ln 2 + 0.4 ln 2 = 1.2 ln 2
    // dlogits = p − q = (−0.3, 0.15, 0.15)
    const arma::mat logits = {{std::log(0.5), std::log(0.25), std::log(0.25)}};
    const CrossEntropy ce = cross_entropy(logits, {0}, 99, 0.3);
    CHECK(ce.total == Approx(1.2 * std::log(2.0)).epsilon(1e-12));
    const arma::mat expected = {{-0.3, 0.15, 0.15}};
    INFO("dlogits\n" << ce.dlogits << "expected\n" << expected);
    CHECK(arma::approx_equal(ce.dlogits, expected, "absdiff", 1e-12));
}

TEST_CASE("without smoothing the loss is minus the log-probability of the target") {
    const arma::mat logits = {{1.0, 2.0, 3.0}};
    const double log_sum = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    CHECK(cross_entropy(logits, {1}).total == Approx(log_sum - 2.0).epsilon(1e-12));
}

TEST_CASE("huge logits give a finite loss") {
    const arma::mat logits = {{1000.0, -1000.0, 0.0}};
    const CrossEntropy ce = cross_entropy(logits, {1});
    CHECK(ce.total == Approx(2000.0));
    CHECK(ce.dlogits.is_finite());
}

TEST_CASE("pad targets contribute neither loss nor gradient") {
    arma::mat logits = normal(4, 6);
    const CrossEntropy with_pad = cross_entropy(logits, {2, 0, 5, 0}, 0, 0.1);
    const CrossEntropy rows02 = cross_entropy(logits.rows(arma::uvec{0, 2}), {2, 5}, 0, 0.1);
    CHECK(with_pad.count == 2);
    CHECK(with_pad.total == Approx(rows02.total).epsilon(1e-14));
    INFO("dlogits\n" << with_pad.dlogits);
    CHECK(arma::accu(arma::abs(with_pad.dlogits.row(1))) == 0.0);
    CHECK(arma::accu(arma::abs(with_pad.dlogits.row(3))) == 0.0);
    // Changing the logits of a pad row changes nothing.
    logits.row(1) += 5.0;
    CHECK(cross_entropy(logits, {2, 0, 5, 0}, 0, 0.1).total == with_pad.total);
}

TEST_CASE("cross-entropy rejects a target outside the vocabulary and a count mismatch") {
    const arma::mat logits(2, 4, arma::fill::zeros);
    CHECK_THROWS_AS(cross_entropy(logits, {1, 4}), InputError);
    CHECK_THROWS_AS(cross_entropy(logits, {1}), InputError);
}

TEST_CASE("cross-entropy gradient matches central finite differences, with and without smoothing") {
    for (double smoothing : {0.0, 0.1}) {
        arma::mat logits = normal(5, 9);
        const TokenIds targets = {3, 0, 8, 1, 4};
        const CrossEntropy ce = cross_entropy(logits, targets, 0, smoothing);
        const arma::mat numeric = test::numeric_grad(
            [&] { return cross_entropy(logits, targets, 0, smoothing).total; }, logits);
        const double err = test::relative_error(ce.dlogits, numeric);
        INFO("smoothing " << smoothing << ", relative error " << err);
        CHECK(err < test::kGradTolerance);
    }
}

TEST_CASE(
    "generator plus cross-entropy: backward matches finite differences for weight, bias and "
    "input") {
    Linear generator(6, 11);
    arma::mat h = normal(4, 6);
    const TokenIds targets = {5, 10, 0, 2};
    const double smoothing = 0.1;
    const auto loss = [&] {
        return cross_entropy(generator.forward(h), targets, 0, smoothing).total;
    };

    generator.zero_grad();
    const CrossEntropy ce = cross_entropy(generator.forward(h), targets, 0, smoothing);
    const arma::mat dh = generator.backward(ce.dlogits);

    const arma::mat weight_grad = generator.weight_grad, bias_grad = generator.bias_grad;
    const double err_w =
        test::relative_error(weight_grad, test::numeric_grad(loss, generator.weight));
    const double err_b = test::relative_error(bias_grad, test::numeric_grad(loss, generator.bias));
    const double err_h = test::relative_error(dh, test::numeric_grad(loss, h));
    INFO("relative errors: weight " << err_w << ", bias " << err_b << ", input " << err_h);
    CHECK(err_w < test::kGradTolerance);
    CHECK(err_b < test::kGradTolerance);
    CHECK(err_h < test::kGradTolerance);
}

TEST_CASE("log_softmax rows exponentiate to probabilities that sum to one") {
    const arma::mat logits = normal(3, 5) * 10.0;
    const arma::vec sums = arma::sum(arma::exp(log_softmax_rows(logits)), 1);
    CHECK(arma::approx_equal(sums, arma::vec(3, arma::fill::ones), "absdiff", 1e-12));
}

TEST_CASE("batch_cross_entropy of stacked sequences is one cross_entropy over all their rows") {
    const arma::mat logits = normal(3 * 4, 7);
    const std::vector<TokenIds> targets = {{1, 0, 6, 2}, {0, 0, 3, 5}, {4, 4, 0, 1}};
    TokenIds all;
    for (const TokenIds& t : targets) all.insert(all.end(), t.begin(), t.end());
    const CrossEntropy one = cross_entropy(logits, all, 0, 0.2);
    const CrossEntropy batch = batch_cross_entropy(logits, targets, 0, 0.2);
    CHECK(batch.count == one.count);
    CHECK(batch.count == 8);
    CHECK(std::abs(batch.total - one.total) < 1e-12);
    CHECK(arma::approx_equal(batch.dlogits, one.dlogits, "absdiff", 1e-15));
    CHECK_THROWS_AS(batch_cross_entropy(logits.rows(0, 10), targets), InputError);
    CHECK_THROWS_AS(batch_cross_entropy(logits, {}), InputError);
}

namespace {

// The row-by-row formula as first written (one row extracted at a time, std::exp): the
// blocked code in train/cross_entropy.cpp, with its own exp, must agree with it to rounding.
CrossEntropy row_by_row(const arma::mat& logits, const TokenIds& targets, arma::uword ignore_id,
                        double eps) {
    arma::mat log_p(arma::size(logits));
    for (arma::uword i = 0; i < logits.n_rows; ++i) {
        const arma::rowvec row = logits.row(i);
        const double m = row.max();
        const double log_sum = std::log(arma::accu(arma::exp(row - m)));
        log_p.row(i) = row - m - log_sum;
    }
    const double V = static_cast<double>(logits.n_cols);
    CrossEntropy ce;
    ce.dlogits.zeros(arma::size(logits));
    for (arma::uword i = 0; i < targets.size(); ++i) {
        const arma::uword t = targets[i];
        if (t == ignore_id) continue;
        ce.total += -(1.0 - eps) * log_p(i, t) - eps / V * arma::accu(log_p.row(i));
        ce.dlogits.row(i) = arma::exp(log_p.row(i)) - eps / V;
        ce.dlogits(i, t) -= 1.0 - eps;
        ++ce.count;
    }
    return ce;
}

}  // namespace

TEST_CASE("cross-entropy agrees with the row-by-row formula, with and without smoothing") {
    for (const arma::uword V : {1, 2, 7, 1592}) {
        const arma::mat logits = 4.0 * normal(41, V);  // a block of 32 rows, then 9
        TokenIds targets;
        for (arma::uword i = 0; i < 41; ++i) targets.push_back(i % 3 == 0 ? 0 : i % V);
        for (const double eps : {0.0, 0.1}) {
            INFO("V " << V << ", smoothing " << eps);
            const CrossEntropy fast = cross_entropy(logits, targets, 0, eps);
            const CrossEntropy slow = row_by_row(logits, targets, 0, eps);
            CHECK(fast.count == slow.count);
            CHECK(std::abs(fast.total - slow.total) <= 1e-13 * std::abs(slow.total) + 1e-15);
            // The row-by-row formula takes p = exp(log p), and log p carries the rounding of
            // x − max − log total (terms up to about 30 here): 1.9e-15 apart at most, seen.
            INFO("largest difference " << arma::abs(fast.dlogits - slow.dlogits).max());
            CHECK(arma::approx_equal(fast.dlogits, slow.dlogits, "absdiff", 1e-14));
        }
        arma::mat log_p(arma::size(logits));
        for (arma::uword i = 0; i < logits.n_rows; ++i) {
            const arma::rowvec row = logits.row(i);
            log_p.row(i) = row - row.max() - std::log(arma::accu(arma::exp(row - row.max())));
        }
        CHECK(arma::approx_equal(log_softmax_rows(logits), log_p, "absdiff", 1e-13));
    }
}

TEST_CASE("a row's loss and gradient have the same bits alone as in a batch of 70 rows") {
    const arma::uword V = 300;
    const arma::mat logits = 3.0 * normal(70, V);
    TokenIds targets;
    for (arma::uword i = 0; i < 70; ++i) targets.push_back(i == 5 ? 0 : 1 + (7 * i) % (V - 1));
    const CrossEntropy batch = cross_entropy(logits, targets, 0, 0.1);
    const arma::mat log_p = log_softmax_rows(logits);
    for (const arma::uword i : {0, 5, 31, 32, 33, 63, 64, 69}) {
        INFO("row " << i);
        const CrossEntropy alone = cross_entropy(logits.row(i), {targets[i]}, 0, 0.1);
        CHECK(arma::approx_equal(alone.dlogits, batch.dlogits.row(i), "absdiff", 0.0));
        CHECK(arma::approx_equal(log_softmax_rows(logits.row(i)), log_p.row(i), "absdiff", 0.0));
    }
    CHECK(arma::all(batch.dlogits.row(5) == 0.0));  // the ignored row
    CHECK(batch.count == 69);
}
