// .npy files: bit-exact round trips, files NumPy wrote, and every malformed file rejected
// with an InputError that names the file.
#include "support/catch.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "io/npy.hpp"
#include "lessons/run_lesson.hpp"
#include "support/file_checks.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

using tfm::test::same_bits;

namespace {

const std::string kFixtures = "tests/io/fixtures/";

// What make_fixtures.py stores: value k + k/8 at row-major position k.
arma::mat ramp(arma::uword rows, arma::uword cols) {
    arma::mat m(rows, cols);
    for (arma::uword r = 0; r < rows; ++r)
        for (arma::uword c = 0; c < cols; ++c) {
            const double k = static_cast<double>(r * cols + c);
            m(r, c) = k + k / 8;
        }
    return m;
}

// Expects load_npy to reject `bytes` with a message that names the file and contains `problem`.
void check_rejected(const std::string& bytes, const std::string& problem) {
    tfm::test::check_rejected(
        "load_npy", [](const std::string& path) { tfm::load_npy(path); }, "bad.npy", bytes,
        problem);
}

// The bytes of a valid 3 × 4 '<f8' file, with header text replaced when asked.
std::string valid_bytes() { return tfm::read_file_bytes(kFixtures + "c_order_f8.npy"); }

std::string with_header(const std::string& dict) {
    std::string header = dict;
    while ((10 + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    return bytes + header + std::string(12 * 8, '\0');
}

}  // namespace

TEST_CASE("an npy round trip is bit-exact, including infinities and signed zeros", "[npy]") {
    arma::mat m = arma::randn(5, 3) * 1e3;
    m(0, 0) = -std::numeric_limits<double>::infinity();
    m(1, 2) = -0.0;
    m(4, 1) = std::numeric_limits<double>::denorm_min();
    const std::string path = tfm::test::temp_dir("npy") + "/m.npy";
    tfm::save_npy(path, m);
    const arma::mat back = tfm::load_npy(path);
    INFO(m << back);
    CHECK(same_bits(m, back));
}

TEST_CASE("a saved vector has shape (n,) and reads back as one row", "[npy]") {
    const arma::rowvec v = arma::randu<arma::rowvec>(7);
    const std::string path = tfm::test::temp_dir("npy") + "/v.npy";
    tfm::save_npy_vector(path, v);
    const std::string bytes = tfm::read_file_bytes(path);
    CHECK(bytes.find("'shape': (7,)") != std::string::npos);
    const arma::mat back = tfm::load_npy(path);
    CHECK(same_bits(arma::mat(v), back));
}

TEST_CASE("saved files are npy version 1.0 '<f8' in C order with a 64-byte aligned header",
          "[npy]") {
    const arma::mat m = {{1, 2, 3}, {4, 5, 6}};
    const std::string path = tfm::test::temp_dir("npy") + "/m.npy";
    tfm::save_npy(path, m);
    const std::string bytes = tfm::read_file_bytes(path);
    REQUIRE(bytes.size() == 128 + 6 * 8);
    CHECK(bytes.compare(0, 8, std::string("\x93NUMPY\x01\x00", 8)) == 0);
    CHECK(bytes.find("'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)") !=
          std::string::npos);
    CHECK(bytes[127] == '\n');
    double second;  // row-major: the second value stored is m(0, 1)
    std::memcpy(&second, bytes.data() + 128 + 8, 8);
    CHECK(second == 2.0);
}

TEST_CASE("a saved matrix is byte for byte the file NumPy writes for it", "[npy]") {
    const std::string path = tfm::test::temp_dir("npy") + "/m.npy";
    tfm::save_npy(path, ramp(3, 4));
    CHECK(tfm::read_file_bytes(path) == tfm::read_file_bytes(kFixtures + "c_order_f8.npy"));
    tfm::save_npy_vector(path, ramp(1, 5));
    CHECK(tfm::read_file_bytes(path) == tfm::read_file_bytes(kFixtures + "vector_f8.npy"));
}

TEST_CASE("an empty matrix round-trips", "[npy]") {
    const std::string path = tfm::test::temp_dir("npy") + "/empty.npy";
    tfm::save_npy(path, arma::mat(0, 4));
    const arma::mat back = tfm::load_npy(path);
    CHECK(back.n_rows == 0);
    CHECK(back.n_cols == 4);
}

TEST_CASE("saving leaves no temporary file behind and replaces an old file whole", "[npy]") {
    const std::string dir = tfm::test::temp_dir("npy");
    tfm::save_npy(dir + "/m.npy", arma::mat(20, 20, arma::fill::ones));
    tfm::save_npy(dir + "/m.npy", arma::mat(1, 2, arma::fill::zeros));
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        (void)entry;
        ++files;
    }
    CHECK(files == 1);
    CHECK(tfm::load_npy(dir + "/m.npy").n_elem == 2);
}

TEST_CASE("saving into a missing folder is an InputError naming the file", "[npy]") {
    const std::string path = tfm::test::temp_dir("npy") + "/no/such/dir/m.npy";
    CHECK_THROWS_AS(tfm::save_npy(path, arma::mat(2, 2)), tfm::InputError);
    CHECK_THROWS_WITH(tfm::save_npy(path, arma::mat(2, 2)), Catch::Contains(path));
}

TEST_CASE("files NumPy wrote read back with the values NumPy stored", "[npy]") {
    const arma::mat expected = ramp(3, 4);
    for (const char* name : {"c_order_f8.npy", "fortran_order_f8.npy", "c_order_f4.npy",
                             "fortran_order_f4.npy", "version2_f8.npy"}) {
        const arma::mat m = tfm::load_npy(kFixtures + name);
        INFO(name << "\n" << m);
        CHECK(same_bits(m, expected));
    }
    const arma::mat v = tfm::load_npy(kFixtures + "vector_f8.npy");
    CHECK(same_bits(v, ramp(1, 5)));
}

TEST_CASE("a missing file is an InputError naming it", "[npy]") {
    CHECK_THROWS_AS(tfm::load_npy("/nonexistent/x.npy"), tfm::InputError);
    CHECK_THROWS_WITH(tfm::load_npy("/nonexistent/x.npy"), Catch::Contains("/nonexistent/x.npy"));
}

TEST_CASE("a file that is not npy is rejected by its magic", "[npy]") {
    std::string bytes = valid_bytes();
    bytes[1] = 'X';
    check_rejected(bytes, "wrong magic");
    check_rejected("", "wrong magic");
    check_rejected("\x93NUM", "wrong magic");
}

TEST_CASE("an unknown npy version is rejected", "[npy]") {
    std::string bytes = valid_bytes();
    bytes[6] = 9;
    check_rejected(bytes, "version");
}

TEST_CASE("a truncated header is rejected", "[npy]") {
    const std::string bytes = valid_bytes();
    check_rejected(bytes.substr(0, 9), "truncated header");
    check_rejected(bytes.substr(0, 40), "truncated header");
    std::string huge = bytes;  // header length 0xffff, far past the end
    huge[8] = '\xff';
    huge[9] = '\xff';
    check_rejected(huge, "truncated header");
}

TEST_CASE("truncated or padded data disagree with the shape and are rejected", "[npy]") {
    const std::string bytes = valid_bytes();
    check_rejected(bytes.substr(0, bytes.size() - 1), "shape (3, 4)");
    check_rejected(bytes.substr(0, 128), "shape (3, 4)");
    check_rejected(bytes + std::string(8, '\0'), "shape (3, 4)");
}

TEST_CASE("a header dict that does not parse is rejected", "[npy]") {
    check_rejected(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), "),
                   "does not parse");
    check_rejected(with_header("['descr', '<f8']"), "does not parse");
    check_rejected(with_header("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (3, 4), }"),
                   "does not parse");
    check_rejected(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, x), }"),
                   "bad shape");
    check_rejected(with_header("{'descr': '<f8, 'fortran_order': False, 'shape': (3, 4), }"),
                   "does not parse");
    check_rejected(with_header("{'descr': '<f8', 'shape': (3, 4), }"), "lacks");
    check_rejected(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), 'x': 1}"),
                   "unexpected key");
}

TEST_CASE("a shape whose size overflows is rejected, not allocated", "[npy]") {
    check_rejected(
        with_header(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"),
        "shape");
    check_rejected(
        with_header(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999, 1), }"),
        "too large");
}

TEST_CASE("unsupported dtypes are rejected by name", "[npy]") {
    for (const char* dtype : {">f8", "<i4", "<f2", "|u1", "<c16"}) {
        check_rejected(with_header(std::string("{'descr': '") + dtype +
                                   "', 'fortran_order': False, 'shape': (3, 4), }"),
                       std::string("unsupported dtype '") + dtype + "'");
    }
}

TEST_CASE("0-D and 3-D arrays are rejected", "[npy]") {
    check_rejected(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 3), }"),
                   "3-D");
    check_rejected(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"), "0-D");
}

TEST_CASE(
    "a file whose header needs more than the memory budget is refused before its data is read",
    "[npy]") {
    struct Budget {  // restores the default even when a check fails
        Budget() { tfm::set_memory_budget(std::uint64_t{1} << 20); }
        ~Budget() { tfm::set_memory_budget(tfm::kDefaultMemoryBudget); }
    } one_mib;
    const std::string dir = tfm::test::temp_dir("npybudget");
    tfm::save_npy(dir + "/small.npy", arma::mat(64, 64, arma::fill::ones));  // 32 KiB
    CHECK(tfm::load_npy(dir + "/small.npy").n_rows == 64);
    tfm::save_npy(dir + "/big.npy", arma::mat(256, 512, arma::fill::ones));  // 1 MiB of data
    CHECK_THROWS_WITH(tfm::load_npy(dir + "/big.npy"),
                      Catch::StartsWith(dir + "/big.npy (256, 512) would need about 3 MiB, more "
                                              "than the memory budget of 1 MiB"));
    CHECK(tfm::read_npy_shape(dir + "/big.npy").cols == 512);  // the header alone is fine
}
