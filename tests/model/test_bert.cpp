// Lesson 12's BERT: every gradient of the masked-LM loss by central differences, only the
// chosen positions counting, both sides read (and <pad> keys never), and the names and
// shapes config.hpp counts.
#include "model/bert.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/param_gradcheck.hpp"
#include "support/model_helpers.hpp"
#include "text/poems.hpp"
#include "train/mlm.hpp"

#include <set>

#include "support/catch.hpp"

namespace {

using namespace tfm;
using tfm::test::tiny_bert_config;

Bert drawn_bert(const ModelConfig& config, std::uint64_t seed) {
    Bert model(config);
    draw_params(model.params(), seed);
    // The head's output bias starts at 0; give it values so that its gradient is tested
    // away from a special point.
    model.head_bias = 0.1 * normal(1, config.src_vocab_size);
    return model;
}

}  // namespace

TEST_CASE("BERT's parameters are the ones model_shapes counts, names and shapes", "[bert]") {
    const ModelConfig config = tiny_bert_config();
    Bert model(config);
    const ParamList params = model.params();
    test::check_shapes_match(params, model_shapes(config));
    std::set<std::string> names;
    for (const Param& p : params) names.insert(p.name);
    CHECK(names.count("embed_norm.weight") == 1);
    CHECK(names.count("encoder.layers.1.norm2.bias") == 1);
    CHECK(names.count("encoder.norm.weight") == 0);  // post-LN: no final norm
    CHECK(names.count("mlm_head.dense.weight") == 1);
    CHECK(names.count("mlm_head.bias") == 1);
    CHECK(names.count("pooler.weight") == 0);
    CHECK(names.count("segment_embed.weight") == 0);
    // The published BERT presets keep their pooler and have no masked-LM head.
    const ShapeList base = model_shapes(preset("bert-base"));
    CHECK(std::count_if(base.begin(), base.end(),
                        [](const ParamShape& s) { return s.name == "pooler.weight"; }) == 1);
    CHECK(std::count_if(base.begin(), base.end(), [](const ParamShape& s) {
              return s.name.rfind("mlm_head.", 0) == 0;
          }) == 0);
}

TEST_CASE("every gradient of the masked-LM loss matches central differences", "[bert][gradcheck]") {
    Bert model = drawn_bert(tiny_bert_config(), 21);
    // Two sequences of 6; the second ends in <pad> (a key no one reads, never a target).
    const std::vector<MaskedExample> batch = {
        {{2, 5, mask_id, 7, 8, 3}, {0, 0, 6, 0, 8, 0}},
        {{2, mask_id, 6, 3, Vocab::pad, Vocab::pad}, {0, 7, 0, 0, 0, 0}}};
    auto loss = [&] { return mlm_loss(model, batch).total; };
    model.zero_grad();
    const CrossEntropy ce = mlm_loss(model, batch);
    CHECK(ce.count == 3);
    model.backward(ce.dlogits);
    test::check_param_grads(model.params(), loss);  // the tied E: both of its uses
}

TEST_CASE("only the chosen positions count in the masked-LM loss", "[bert]") {
    Bert model = drawn_bert(tiny_bert_config(), 22);
    const MaskedExample e{{2, 5, mask_id, 7, 8, 3}, {0, 0, 6, 0, 8, 0}};
    model.zero_grad();
    const CrossEntropy ce = mlm_loss(model, {e});
    CHECK(ce.count == 2);
    REQUIRE(ce.dlogits.n_rows == 2);  // the head ran on the two chosen rows alone
    model.backward(ce.dlogits);
    const std::vector<arma::mat> rows_only = test::gradient_copies(model.params());
    // The same as the head on every row with dlogits 0 on the rows not chosen, and the
    // total the two rows' losses alone.
    const arma::mat logits = model.forward(e.input);
    const CrossEntropy two = cross_entropy(logits.rows(2, 2), {6});
    const CrossEntropy four = cross_entropy(logits.rows(4, 4), {8});
    CHECK(ce.total == Approx(two.total + four.total).epsilon(1e-13));
    arma::mat dlogits(arma::size(logits), arma::fill::zeros);
    dlogits.row(2) = two.dlogits;
    dlogits.row(4) = four.dlogits;
    model.zero_grad();
    model.backward(dlogits);
    const std::vector<arma::mat> every_row = test::gradient_copies(model.params());
    const ParamList params = model.params();
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i].name);
        CHECK(arma::approx_equal(rows_only[i], every_row[i], "absdiff", 1e-13));
    }
    // Nothing chosen: no loss and no gradient.
    const CrossEntropy none = mlm_loss(model, {MaskedExample{e.input, TokenIds(6, 0)}});
    CHECK(none.count == 0);
    CHECK(none.total == 0.0);
    CHECK(arma::all(arma::vectorise(none.dlogits) == 0.0));
    CHECK_THROWS_AS(model.forward_rows({e.input}, {2, 2}), InputError);  // a row twice
}

TEST_CASE("BERT reads both sides of a position, and no <pad> key", "[bert]") {
    Bert model = drawn_bert(tiny_bert_config(), 23);
    const TokenIds a = {2, 5, mask_id, 7, 8, 3}, b = {2, 5, mask_id, 7, 6, 3};
    const arma::mat la = model.forward(a), lb = model.forward(b);
    // A change after position 2 moves position 2's logits (GPT's would not).
    CHECK(arma::abs(la.row(2) - lb.row(2)).max() > 1e-6);
    // Padding: the real rows of a padded sequence are those of the short one, whatever
    // the pad rows hold.
    const TokenIds s = {2, 5, 6, 3}, padded = {2, 5, 6, 3, Vocab::pad, Vocab::pad};
    const arma::mat ls = model.forward(s), lp = model.forward(padded);
    CHECK(arma::abs(ls - lp.rows(0, 3)).max() < 1e-13);
    // In a batch each sequence reads only itself.
    const arma::mat both = model.forward(std::vector<TokenIds>{a, padded});
    CHECK(arma::abs(both.rows(0, 5) - la).max() < 1e-13);
    CHECK(arma::abs(both.rows(6, 9) - ls).max() < 1e-13);
    // The head on chosen rows alone gives those rows of the full logits.
    const arma::mat some = model.forward_rows({a, padded}, {2, 7, 9});
    CHECK(arma::abs(some.row(0) - both.row(2)).max() < 1e-13);
    CHECK(arma::abs(some.row(1) - both.row(7)).max() < 1e-13);
    CHECK(arma::abs(some.row(2) - both.row(9)).max() < 1e-13);
    CHECK_THROWS_AS(model.forward_rows({a}, {6}), InputError);
    CHECK_THROWS_AS(model.forward(TokenIds(7, 5)), InputError);  // 7 > 6 positions
    CHECK_THROWS_AS(model.forward(TokenIds(3, Vocab::pad)), InputError);
}

TEST_CASE("a configuration that is not lesson 12's BERT is refused", "[bert]") {
    ModelConfig c = tiny_bert_config();
    c.norm_first = true;
    CHECK_THROWS_AS(Bert(c), InputError);
    c = tiny_bert_config();
    c.pooler = true;
    CHECK_THROWS_AS(Bert(c), InputError);
    CHECK_THROWS_AS(Bert(test::tiny_gpt_config()), InputError);
}
