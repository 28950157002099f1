// The data parallelism of lessons 11–14's trainings (train/batch_parts.hpp) must not change
// what a step computes: the parts' gradients add up to the whole batch's mean gradient (BERT's
// parts count different numbers of masked characters) for the GPT, BERT, the positions
// model and the ViT; threads or no threads give the same bits; and every step reads the
// model's current weights.
#include "train/batch_parts.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "course/lesson_13.hpp"
#include "course/lesson_14.hpp"
#include "model/bert.hpp"
#include "model/gpt.hpp"
#include "support/model_helpers.hpp"
#include "train/lm.hpp"
#include "train/mlm.hpp"

#include "support/catch.hpp"

using namespace tfm;

namespace {

// `count` windows of config.max_positions + 1 ids (ids 5 … V − 1 after <bos>).
std::vector<TokenIds> windows(const ModelConfig& config, std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<arma::uword> id(5, config.src_vocab_size - 1);
    std::vector<TokenIds> out(count, TokenIds{Vocab::bos});
    for (TokenIds& w : out)
        while (w.size() < config.max_positions + 1) w.push_back(id(rng));
    return out;
}

const auto gpt_loss = [](Gpt& m, const std::vector<TokenIds>& w) { return lm_loss(m, w); };
const auto bert_loss = [](Bert& m, const std::vector<MaskedExample>& e) { return mlm_loss(m, e); };

// The one-part reference: the mean loss's gradient of the whole batch on the model itself.
template <class Model, class Example, class Loss>
StepLoss whole_batch(Model& model, const std::vector<Example>& batch, Loss loss) {
    model.zero_grad();
    CrossEntropy ce = loss(model, batch);
    ce.dlogits /= static_cast<double>(ce.count);
    model.backward(ce.dlogits);
    return {ce.total, ce.count};
}

template <class Model, class Example, class Loss>
void check_parts_add_up(Model& model, const std::vector<Example>& batch, Loss loss) {
    const StepLoss whole = whole_batch(model, batch, loss);
    const std::vector<arma::mat> expected = test::gradient_copies(model.params());
    for (const arma::uword parts : {1u, 2u, 3u, 9u}) {  // 9 > the batch: 7 parts used
        BatchParts<Model> batch_parts(model, parts, 5);
        model.zero_grad();
        const StepLoss split = batch_parts.step(batch, 0.0, loss);
        INFO(parts << " parts");
        CHECK(split.count == whole.count);
        CHECK(split.total == Approx(whole.total).epsilon(1e-12));
        const std::vector<arma::mat> got = test::gradient_copies(model.params());
        const ParamList params = model.params();
        for (std::size_t i = 0; i < params.size(); ++i) {
            INFO(params[i].name);
            CHECK(arma::approx_equal(got[i], expected[i], "absdiff", 1e-12));
        }
    }
}

}  // namespace

TEST_CASE("the GPT's parts add up to the whole batch's mean gradient", "[train][parallel]") {
    set_seed(21);
    Gpt model(test::tiny_gpt_config());
    check_parts_add_up(model, windows(model.config, 7, 1), gpt_loss);
}

TEST_CASE("BERT's parts add up to the whole batch's mean gradient, whatever each part counts",
          "[train][parallel]") {
    set_seed(22);
    Bert model(test::tiny_bert_config());
    std::mt19937_64 rng(3);
    std::vector<MaskedExample> batch;
    std::vector<arma::uword> counts;
    for (const TokenIds& w : windows(model.config, 7, 2)) {
        batch.push_back(
            mask_tokens(TokenIds(w.begin(), w.end() - 1), model.config.src_vocab_size, rng));
        counts.push_back(0);
        for (arma::uword t : batch.back().target) counts.back() += t != Vocab::pad;
    }
    INFO("masked per example: " << arma::urowvec(counts));
    CHECK(arma::urowvec(counts).min() != arma::urowvec(counts).max());  // the parts differ
    check_parts_add_up(model, batch, bert_loss);
}

TEST_CASE("the positions model's and the ViT's parts add up to the whole batch's gradient",
          "[train][parallel]") {
    set_seed(25);
    course::PositionModelConfig pc;
    pc.kind = PositionKind::rope;
    pc.d_model = 8;
    pc.num_heads = 2;
    pc.d_ff = 12;
    pc.layers = 1;
    course::PositionModel positions(pc);
    TaskRng rng(4);
    std::vector<course::ReverseExample> strings;
    for (int i = 0; i < 7; ++i)
        strings.push_back(course::reverse_example(course::random_digits(rng, 5)));
    check_parts_add_up(positions, strings, course::reverse_loss);

    set_seed(26);
    Vit vit(course::digit_vit_config());
    std::vector<DigitImage> images;
    for (std::uint64_t id = 0; id < 7; ++id) images.push_back(digit_image(id));
    check_parts_add_up(vit, images, course::vit_loss);
}

TEST_CASE("BatchParts give the same bits with threads and without, dropout on",
          "[train][parallel]") {
    set_seed(23);
    Gpt model(test::tiny_gpt_config());
    const std::vector<TokenIds> batch = windows(model.config, 6, 4);
    BatchParts<Gpt> threaded(model, 2, 7, true), sequential(model, 2, 7, false);
    for (int step = 0; step < 2; ++step) {  // the dropout generators move on alike
        model.zero_grad();
        const StepLoss a = threaded.step(batch, 0.3, gpt_loss);
        const std::vector<arma::mat> ga = test::gradient_copies(model.params());
        model.zero_grad();
        const StepLoss b = sequential.step(batch, 0.3, gpt_loss);
        const std::vector<arma::mat> gb = test::gradient_copies(model.params());
        INFO("step " << step);
        CHECK(a.total == b.total);
        for (std::size_t i = 0; i < ga.size(); ++i)
            CHECK(arma::approx_equal(ga[i], gb[i], "absdiff", 0.0));
    }
}

TEST_CASE("BatchParts read the model's current weights at every step", "[train][parallel]") {
    set_seed(24);
    Gpt model(test::tiny_gpt_config());
    const std::vector<TokenIds> batch = windows(model.config, 4, 5);
    BatchParts<Gpt> batch_parts(model, 2, 1);
    for (const Param& p : model.params()) *p.value *= 1.5;  // after the replicas were made
    model.zero_grad();
    const StepLoss via_parts = batch_parts.step(batch, 0.0, gpt_loss);
    const StepLoss direct = whole_batch(model, batch, gpt_loss);
    CHECK(via_parts.total == Approx(direct.total).epsilon(1e-12));
    CHECK_THROWS_AS(batch_parts.step(std::vector<TokenIds>{}, 0.0, gpt_loss), InputError);
    CHECK_THROWS_AS(BatchParts<Gpt>(model, 0, 1), InputError);
}
