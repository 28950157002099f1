// .safetensors weight files: bit-exact round trips, F32 on read, every lie in a header
// rejected, and load_params all-or-nothing.
#include "support/catch.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"
#include "support/file_checks.hpp"

#include <cstring>
#include <limits>

using tfm::test::same_bits;
using tfm::test::write_temp_file;

namespace {

std::string u64_le(std::uint64_t v) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}

// A file made by hand: the length, the JSON header as given, the data as given.
std::string file_bytes(const std::string& header, const std::string& data) {
    return u64_le(header.size()) + header + data;
}

template <typename T>
std::string raw(std::initializer_list<T> values) {
    std::string s;
    for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
    return s;
}

// Expects load_safetensors to reject `bytes` with a message that names the file and
// contains `problem`.
void check_rejected(const std::string& bytes, const std::string& problem) {
    tfm::test::check_rejected(
        "load_safetensors", [](const std::string& path) { tfm::load_safetensors(path); },
        "w.safetensors", bytes, problem);
}

// A toy module: a 3 × 2 weight and a bias of 3.
struct Toy {
    arma::mat weight = arma::randn(3, 2), weight_grad = arma::zeros(3, 2);
    arma::mat bias = arma::randn(1, 3), bias_grad = arma::zeros(1, 3);
    tfm::ParamList params() {
        return {{"lin.weight", &weight, &weight_grad, false},
                {"lin.bias", &bias, &bias_grad, true}};
    }
};

}  // namespace

TEST_CASE("a safetensors round trip is bit-exact for 2-D and 1-D tensors", "[safetensors]") {
    tfm::TensorMap tensors;
    arma::mat w = arma::randn(4, 3);
    w(0, 0) = -std::numeric_limits<double>::infinity();
    w(1, 1) = -0.0;
    tensors["w"] = tfm::Tensor{{4, 3}, w};
    tensors["b"] = tfm::Tensor{{5}, arma::randn(1, 5)};
    tensors["empty"] = tfm::Tensor{{0, 2}, arma::mat(0, 2)};
    const std::string path = tfm::test::temp_dir("st") + "/w.safetensors";
    tfm::save_safetensors(path, tensors, {{"lesson", "04_multi_head"}});
    const tfm::TensorMap back = tfm::load_safetensors(path);
    REQUIRE(back.size() == 3);
    for (const auto& [name, t] : tensors) {
        INFO(name);
        REQUIRE(back.count(name));
        CHECK(back.at(name).shape == t.shape);
        CHECK(same_bits(back.at(name).value, t.value));
    }
}

TEST_CASE("a saved file is F64, row-major, with an 8-byte aligned JSON header", "[safetensors]") {
    tfm::TensorMap tensors;
    tensors["m"] = tfm::Tensor{{2, 2}, arma::mat{{1.0, 2.0}, {3.0, 4.0}}};
    const std::string path = tfm::test::temp_dir("st") + "/m.safetensors";
    tfm::save_safetensors(path, tensors);
    const std::string bytes = tfm::read_file_bytes(path);
    std::uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    CHECK(n % 8 == 0);
    REQUIRE(bytes.size() == 8 + n + 32);
    const std::string header = bytes.substr(8, n);
    CHECK(header.find("\"dtype\":\"F64\"") != std::string::npos);
    CHECK(header.find("\"shape\":[2,2]") != std::string::npos);
    CHECK(header.find("\"data_offsets\":[0,32]") != std::string::npos);
    double second;
    std::memcpy(&second, bytes.data() + 8 + n + 8, 8);
    CHECK(second == 2.0);  // row-major: m(0, 1) comes second
}

TEST_CASE("F32 tensors are read and widened to double exactly", "[safetensors]") {
    const std::string header = R"({"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                               R"("v":{"dtype":"F64","shape":[2],"data_offsets":[16,32]}})";
    const std::string data = raw<float>({0.5f, -1.25f, 3.0f, 0.1f}) + raw<double>({7.0, -8.0});
    const std::string path = write_temp_file("w.safetensors", file_bytes(header, data));
    const tfm::TensorMap t = tfm::load_safetensors(path);
    const arma::mat a = {{0.5, -1.25}, {3.0, static_cast<double>(0.1f)}};
    INFO(t.at("a").value);
    CHECK(same_bits(t.at("a").value, a));
    CHECK(t.at("v").shape == std::vector<std::uint64_t>{2});
    CHECK(same_bits(t.at("v").value, arma::mat{{7.0, -8.0}}));
}

TEST_CASE("the safetensors file Python's reference writer layout is read, metadata ignored",
          "[safetensors]") {
    // Header as the safetensors library writes it: __metadata__ first, padded with spaces.
    std::string header = R"({"__metadata__":{"format":"pt"},)"
                         R"("x":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::string path =
        write_temp_file("w.safetensors", file_bytes(header, raw<double>({1.5, 2.5})));
    const tfm::TensorMap t = tfm::load_safetensors(path);
    REQUIRE(t.size() == 1);
    CHECK(same_bits(t.at("x").value, arma::mat{{1.5, 2.5}}));
}

TEST_CASE("a truncated file or a header length past the end is rejected", "[safetensors]") {
    check_rejected("", "shorter than");
    check_rejected("\x10\x00\x00", "shorter than");
    check_rejected(u64_le(1000) + "{}", "runs past the end");
    check_rejected(u64_le(std::numeric_limits<std::uint64_t>::max()) + "{}", "runs past the end");
    const std::string header = R"({"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}})";
    check_rejected(file_bytes(header, raw<double>({1.0})), "run past the end of the data");
}

TEST_CASE("a header that is not a JSON object of tensors is rejected", "[safetensors]") {
    check_rejected(file_bytes("{\"x\": ", ""), "not valid JSON");
    check_rejected(file_bytes("[1, 2]", ""), "not a JSON object");
    check_rejected(file_bytes(R"({"x": 3})", ""), "not an object");
    check_rejected(file_bytes(R"({"x": {"shape": [1], "data_offsets": [0, 8]}})", raw<double>({1})),
                   "no dtype");
    check_rejected(
        file_bytes(R"({"x": {"dtype": "F64", "data_offsets": [0, 8]}})", raw<double>({1})),
        "no shape");
    check_rejected(file_bytes(R"({"x": {"dtype": "F64", "shape": [1]}})", raw<double>({1})),
                   "no data_offsets");
    check_rejected(file_bytes(R"({"x": {"dtype": "F64", "shape": [-1], "data_offsets": [0, 8]}})",
                              raw<double>({1})),
                   "not a list of sizes");
    check_rejected(file_bytes(R"({"x": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8.5]}})",
                              raw<double>({1})),
                   "not byte offsets");
    check_rejected(file_bytes(R"({"__metadata__": {"a": 1}})", ""), "__metadata__");
}

TEST_CASE("unknown and unsupported dtypes are rejected by name", "[safetensors]") {
    check_rejected(file_bytes(R"({"x": {"dtype": "F63", "shape": [1], "data_offsets": [0, 8]}})",
                              raw<double>({1})),
                   "unknown dtype 'F63'");
    check_rejected(file_bytes(R"({"x": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}})",
                              raw<double>({1})),
                   "unsupported dtype 'I64'");
    check_rejected(file_bytes(R"({"x": {"dtype": "F16", "shape": [4], "data_offsets": [0, 8]}})",
                              raw<double>({1})),
                   "unsupported dtype 'F16'");
}

TEST_CASE("a size that disagrees with shape × dtype size is rejected", "[safetensors]") {
    // F64 [2] needs 16 bytes, the offsets give 8.
    check_rejected(file_bytes(R"({"x": {"dtype": "F64", "shape": [2], "data_offsets": [0, 8]}})",
                              raw<double>({1})),
                   "needs 16 bytes");
    // The F32 lie: 2 floats are 8 bytes, not 16.
    check_rejected(file_bytes(R"({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 16]}})",
                              raw<double>({1, 2})),
                   "needs 8 bytes");
    check_rejected(
        file_bytes(
            R"({"x": {"dtype": "F64", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}})",
            raw<double>({1})),
        "too large");
}

TEST_CASE("offsets that overlap, leave gaps, go backwards or leave bytes over are rejected",
          "[safetensors]") {
    const std::string data = raw<double>({1, 2, 3});
    check_rejected(file_bytes(R"({"a": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]},
                                  "b": {"dtype": "F64", "shape": [2], "data_offsets": [8, 24]}})",
                              data),
                   "overlap");
    check_rejected(file_bytes(R"({"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]},
                                  "b": {"dtype": "F64", "shape": [1], "data_offsets": [16, 24]}})",
                              data),
                   "gap");
    check_rejected(
        file_bytes(R"({"a": {"dtype": "F64", "shape": [1], "data_offsets": [16, 8]}})", data),
        "end before they begin");
    check_rejected(
        file_bytes(R"({"a": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}})", data),
        "belong to no tensor");
    check_rejected(
        file_bytes(R"({"a": {"dtype": "F64", "shape": [1], "data_offsets": [16, 24]}})", data),
        "gap");
    check_rejected(
        file_bytes(R"({"a": {"dtype": "F64", "shape": [1], "data_offsets": [24, 32]}})", data),
        "run past the end");
}

TEST_CASE("0-D and 3-D tensors are rejected", "[safetensors]") {
    check_rejected(file_bytes(R"({"x": {"dtype": "F64", "shape": [], "data_offsets": [0, 8]}})",
                              raw<double>({1})),
                   "0-D");
    check_rejected(
        file_bytes(R"({"x": {"dtype": "F64", "shape": [1, 1, 1], "data_offsets": [0, 8]}})",
                   raw<double>({1})),
        "3-D");
}

TEST_CASE("save_params then load_params restores every parameter bit for bit", "[safetensors]") {
    Toy a, b;
    const std::string path = tfm::test::temp_dir("st") + "/toy.safetensors";
    tfm::save_params(path, a.params());
    const tfm::TensorMap file = tfm::load_safetensors(path);
    CHECK(file.at("lin.bias").shape == std::vector<std::uint64_t>{3});  // 1-D in the file
    CHECK(file.at("lin.weight").shape == std::vector<std::uint64_t>{3, 2});
    tfm::load_params(path, b.params());
    CHECK(same_bits(a.weight, b.weight));
    CHECK(same_bits(a.bias, b.bias));
}

TEST_CASE(
    "load_params rejects a missing, extra or misshapen tensor and leaves the parameters untouched",
    "[safetensors]") {
    Toy toy;
    const arma::mat weight = toy.weight, bias = toy.bias;
    const std::string dir = tfm::test::temp_dir("st");
    auto expect_untouched = [&](const tfm::TensorMap& tensors, const std::string& problem) {
        const std::string path = dir + "/bad.safetensors";
        tfm::save_safetensors(path, tensors);
        INFO(problem);
        CHECK_THROWS_WITH(tfm::load_params(path, toy.params()),
                          Catch::Contains(problem) && Catch::Contains(path));
        CHECK(same_bits(toy.weight, weight));
        CHECK(same_bits(toy.bias, bias));
    };
    // The weight comes first in the file and is right: a loader that assigned as it went
    // would already have changed it.
    tfm::TensorMap missing{{"lin.weight", {{3, 2}, arma::ones(3, 2)}}};
    expect_untouched(missing, "'lin.bias' [3] is missing");
    tfm::TensorMap extra = missing;
    extra["lin.bias"] = {{3}, arma::ones(1, 3)};
    extra["lin.scale"] = {{3}, arma::ones(1, 3)};
    expect_untouched(extra, "'lin.scale' [3] is not a parameter");
    tfm::TensorMap transposed = extra;
    transposed.erase("lin.scale");
    transposed["lin.weight"] = {{2, 3}, arma::ones(2, 3)};
    expect_untouched(transposed, "'lin.weight' has shape [2, 3], expected [3, 2]");
    tfm::TensorMap bias_as_matrix = transposed;
    bias_as_matrix["lin.weight"] = {{3, 2}, arma::ones(3, 2)};
    bias_as_matrix["lin.bias"] = {{1, 3}, arma::ones(1, 3)};
    expect_untouched(bias_as_matrix, "'lin.bias' has shape [1, 3], expected [3]");
    // The bias is last in the file: a loader that checked values as it assigned them
    // would have changed the weight first.
    tfm::TensorMap infinite = missing;
    infinite["lin.bias"] = {{3}, arma::mat{{0.0, 1.0, -arma::datum::inf}}};
    expect_untouched(
        infinite, "tensor 'lin.bias': entry [0, 2] is -inf; every entry must be a finite number");
}

TEST_CASE("read_safetensors_header gives every tensor's shape and the metadata, reading no data",
          "[safetensors]") {
    const std::string dir = tfm::test::temp_dir("st");
    tfm::save_safetensors(dir + "/h.safetensors",
                          {{"w", {{2, 3}, arma::ones(2, 3)}}, {"b", {{3}, arma::ones(1, 3)}}},
                          {{"d_model", "3"}});
    const tfm::SafetensorsHeader h = tfm::read_safetensors_header(dir + "/h.safetensors");
    CHECK(h.shapes.at("w") == std::vector<std::uint64_t>{2, 3});
    CHECK(h.shapes.at("b") == std::vector<std::uint64_t>{3});
    CHECK(h.shapes.size() == 2);
    CHECK(h.metadata.at("d_model") == "3");
    // The header is checked against the file's size even though no data is read.
    const std::string header = R"({"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}})";
    tfm::test::check_rejected(
        "read_safetensors_header",
        [](const std::string& path) { tfm::read_safetensors_header(path); }, "short.safetensors",
        file_bytes(header, raw<double>({1.0})), "run past the end of the data");
}

TEST_CASE("dump_param_grads writes DIR/grad.NAME.npy, vectors as (n,)", "[safetensors]") {
    Toy toy;
    toy.weight_grad = arma::randn(3, 2);
    toy.bias_grad = arma::randn(1, 3);
    const std::string dir = tfm::test::temp_dir("st") + "/grads";
    tfm::dump_param_grads(dir, toy.params());
    CHECK(same_bits(tfm::load_npy(dir + "/grad.lin.weight.npy"), toy.weight_grad));
    CHECK(same_bits(tfm::load_npy(dir + "/grad.lin.bias.npy"), toy.bias_grad));
    CHECK(tfm::read_file_bytes(dir + "/grad.lin.bias.npy").find("'shape': (3,)") !=
          std::string::npos);
}

TEST_CASE("a weight file that needs more than the memory budget is refused before its data is read",
          "[safetensors]") {
    struct Budget {  // restores the default even when a check fails
        Budget() { tfm::set_memory_budget(std::uint64_t{1} << 20); }
        ~Budget() { tfm::set_memory_budget(tfm::kDefaultMemoryBudget); }
    } one_mib;
    const std::string path = tfm::test::temp_dir("stbudget") + "/big.safetensors";
    tfm::save_safetensors(path, {{"w", {{256, 512}, arma::ones(256, 512)}}});
    CHECK_THROWS_WITH(tfm::load_safetensors(path),
                      path +
                          " would need about 3 MiB, more than the memory budget of 1 MiB (raise it "
                          "with --max-memory)");
    CHECK(tfm::read_safetensors_header(path).shapes.at("w")[1] == 512);
    CHECK_THROWS_WITH(tfm::read_file_bytes(path), Catch::Contains("more than the memory budget"));
}
