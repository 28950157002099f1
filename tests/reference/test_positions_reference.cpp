// The sinusoidal positional encoding against the 2017 paper's formula written in NumPy
// (tests/reference/make_fixtures.py, case "sinusoidal": 50 positions, d_model 16, and the
// shift M_3). PyTorch has no sinusoidal encoding of its own, so NumPy is the reference.
#include "nn/positional_encoding.hpp"
#include "reference/fixture.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

TEST_CASE("the sinusoidal table, its rows and the shift M_k match NumPy's formula",
          "[reference][positions]") {
    Fixture f("sinusoidal");
    const arma::uword n = f.integer("seq_len"), d = f.integer("d_model"), k = f.integer("shift");
    const arma::mat pe = f.npy("output");
    // The same libm sin and cos on the same angles: equal to the last bit or two.
    constexpr double tol = 1e-15;
    check_close("PE", positional_encoding(n, d), pe, tol);
    for (arma::uword pos : {arma::uword{0}, arma::uword{7}, n - 1})
        check_close("PE row " + std::to_string(pos), positional_encoding_row(pos, d), pe.row(pos),
                    tol);
    check_close("M_k", sinusoidal_shift(k, d), f.npy("shift"), tol);
    // The property the lesson prints, on NumPy's numbers: PE[pos + k] = PE[pos] · M_k.
    check_close("PE[k …] against PE[… n−k] · M_k", pe.rows(0, n - k - 1) * f.npy("shift"),
                pe.rows(k, n - 1), 1e-13);
}
