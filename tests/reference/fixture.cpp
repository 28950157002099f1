#include "reference/fixture.hpp"

#include "io/npy.hpp"
#include "ops/activation.hpp"

#include <nlohmann/json.hpp>
#include "support/catch.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace tfm::test {

namespace fs = std::filesystem;

struct Fixture::Json {
    nlohmann::json value;
};

Fixture::Fixture(const std::string& name)
    : name_(name), dir_("tests/reference/fixtures/" + name), config_(std::make_unique<Json>()) {
    INFO("fixture folder " << dir_ << " (run the tests from the repository root)");
    std::ifstream in(path("config.json"));
    REQUIRE(in.good());
    config_->value = nlohmann::json::parse(in);
}

Fixture::~Fixture() = default;

std::string Fixture::path(const std::string& file) const { return dir_ + "/" + file; }

arma::mat Fixture::npy(const std::string& name) const { return load_npy(path(name + ".npy")); }

Mask Fixture::mask(const std::string& name) const {
    const arma::mat m = npy(name);
    Mask out(m.n_rows, m.n_cols, arma::fill::zeros);
    out.elem(arma::find(m != 0.0)).ones();
    return out;
}

TokenIds Fixture::ids(const std::string& name) const {
    const arma::mat m = npy(name);
    TokenIds out(m.n_elem);
    for (arma::uword i = 0; i < m.n_elem; ++i) out[i] = static_cast<arma::uword>(m(i));
    return out;
}

double Fixture::scalar(const std::string& name) const {
    const arma::mat m = npy(name);
    REQUIRE(m.n_elem == 1);
    return m(0);
}

long Fixture::integer(const std::string& key) const { return config_->value.at(key).get<long>(); }
double Fixture::number(const std::string& key) const {
    return config_->value.at(key).get<double>();
}
bool Fixture::flag(const std::string& key) const { return config_->value.at(key).get<bool>(); }
std::string Fixture::text(const std::string& key) const {
    return config_->value.at(key).get<std::string>();
}
bool Fixture::has(const std::string& key) const { return config_->value.contains(key); }

ModelConfig Fixture::model_config() const {
    ModelConfig c;
    c.name = "fixture " + name_;
    c.d_model = integer("d_model");
    c.num_heads = integer("num_heads");
    c.d_ff = integer("d_ff");
    c.activation = parse_activation(text("activation"));
    c.norm_first = flag("norm_first");
    const long layers = has("layers") ? integer("layers") : 1;
    c.encoder_layers = layers;
    c.decoder_layers = layers;
    if (has("src_vocab_size")) c.src_vocab_size = integer("src_vocab_size");
    if (has("tgt_vocab_size")) c.tgt_vocab_size = integer("tgt_vocab_size");
    if (has("share_embeddings")) c.share_embeddings = flag("share_embeddings");
    return c;
}

std::vector<std::string> Fixture::grad_names() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
        const std::string file = entry.path().filename().string();
        if (file.rfind("grad.", 0) == 0 && file.size() > 9 &&
            file.compare(file.size() - 4, 4, ".npy") == 0)
            names.push_back(file.substr(5, file.size() - 9));
    }
    std::sort(names.begin(), names.end());
    return names;
}

namespace {

// One row per line, 6 significant digits: enough to see which entries differ.
std::string rows_text(const std::string& title, const arma::mat& m) {
    std::ostringstream out;
    out << title << "\n";
    char cell[32];
    for (arma::uword r = 0; r < m.n_rows; ++r) {
        for (arma::uword c = 0; c < m.n_cols; ++c) {
            std::snprintf(cell, sizeof cell, "%11.6g", m(r, c));
            out << cell;
        }
        out << "\n";
    }
    return out.str();
}

}  // namespace

void check_close(const std::string& what, const arma::mat& ours, const arma::mat& reference,
                 double tol) {
    std::ostringstream shapes;
    shapes << what << ": ours " << ours.n_rows << " x " << ours.n_cols << ", PyTorch "
           << reference.n_rows << " x " << reference.n_cols;
    INFO(shapes.str());
    REQUIRE(ours.n_rows == reference.n_rows);
    REQUIRE(ours.n_cols == reference.n_cols);
    std::ostringstream text;
    text.precision(17);
    if (ours.n_elem > 0) {
        const arma::mat diff = arma::abs(ours - reference);
        const arma::uword at = diff.index_max();
        const arma::uword r = at % diff.n_rows, c = at / diff.n_rows;
        text << "max abs diff " << diff(at) << " (tolerance " << tol << ") at row " << r
             << ", column " << c << ": ours " << ours(r, c) << ", PyTorch " << reference(r, c)
             << "\n";
    }
    text << rows_text("ours:", ours) << rows_text("PyTorch:", reference);
    INFO(text.str());
    CHECK(arma::approx_equal(ours, reference, "absdiff", tol));
}

void check_param_grads(const Fixture& f, const ParamList& params) {
    std::set<std::string> ours;
    for (const Param& p : params) {
        ours.insert(p.name);
        check_close("grad." + p.name, *p.grad, f.npy("grad." + p.name), kGradientTolerance);
    }
    const std::vector<std::string> theirs = f.grad_names();
    CHECK(std::vector<std::string>(ours.begin(), ours.end()) == theirs);
}

ParamList load_fixture_model(const Fixture& f, Transformer& model) {
    model.pad_id = f.integer("pad_id");
    const ParamList params = model.params();
    load_params(f.weights(), params);
    return params;
}

}  // namespace tfm::test
