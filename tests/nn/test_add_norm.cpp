// AddNorm: the one residual + LayerNorm sub-layer connection, in both norm placements.
#include "core/random.hpp"
#include "nn/add_norm.hpp"
#include "nn/linear.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

namespace {

constexpr arma::uword n = 4, d = 6;

// A LayerNorm whose weight and bias are not the identity, so their gradients show.
LayerNorm drawn_norm() {
    LayerNorm norm(d);
    norm.weight = 1.0 + 0.3 * normal(1, d);
    norm.bias = 0.2 * normal(1, d);
    return norm;
}

}  // namespace

TEST_CASE("AddNorm computes LN(x + f(x)) post-LN and x + f(LN(x)) pre-LN", "[add_norm]") {
    Linear f(d, d);
    LayerNorm norm = drawn_norm();
    const arma::mat x = normal(n, d);
    const Sublayer sublayer = [&](const arma::mat& h) { return f.forward(h); };

    LayerNorm by_hand = norm;
    const arma::mat post_expected = by_hand.forward(x + f.forward(x));
    const arma::mat pre_expected = x + f.forward(by_hand.forward(x));

    CHECK(arma::approx_equal(AddNorm(false).forward(norm, x, sublayer), post_expected, "absdiff",
                             0.0));
    CHECK(
        arma::approx_equal(AddNorm(true).forward(norm, x, sublayer), pre_expected, "absdiff", 0.0));
}

TEST_CASE("AddNorm backward matches finite differences of dL/dx, the norm's and f's parameters",
          "[add_norm][gradcheck]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            Linear f(d, d);
            LayerNorm norm = drawn_norm();
            const AddNorm sublayer(norm_first);
            arma::mat x = normal(n, d);
            const arma::mat g = normal(n, d);
            const Sublayer forward_f = [&](const arma::mat& h) { return f.forward(h); };
            const Sublayer backward_f = [&](const arma::mat& dh) { return f.backward(dh); };
            auto loss = [&] { return arma::accu(sublayer.forward(norm, x, forward_f) % g); };

            f.zero_grad();
            norm.zero_grad();
            sublayer.forward(norm, x, forward_f);
            const arma::mat dx = sublayer.backward(norm, g, backward_f);

            ParamList params;
            f.params("f.", params);
            norm.params("norm.", params);
            check_param_grads(params, loss);
            check_input_grad("x", dx, x, loss);
        }
    }
}
