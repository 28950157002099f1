// Checkpoints validated before use: every metadata field parsed strictly and held to the
// ranges of the options that set it, and the header's tensors checked against the model
// the metadata describes before that model is built.
#include "core/error.hpp"
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"
#include "model/transformer.hpp"
#include "support/model_helpers.hpp"
#include "train/checkpoint.hpp"
#include "train/tasks.hpp"

#include "support/catch.hpp"

#include <array>
#include <filesystem>
#include <iterator>

using namespace tfm;

namespace {

// A small dates checkpoint (d_model 16, 2 heads, d_ff 32, 1 + 1 layers) in a fresh folder.
std::string small_checkpoint() {
    const Task task("dates");
    Transformer model(tfm::test::tiny_task_config(task));
    const std::string path = tfm::test::temp_dir("ckpt") + "/m.safetensors";
    save_checkpoint(path, model, task.vocab(), task.name());
    return path;
}

// The same tensors under `key` = `value` in the metadata, written to a new file.
std::string with_metadata(const std::string& path, const std::string& key,
                          const std::string& value) {
    Metadata metadata;
    const TensorMap tensors = load_safetensors(path, &metadata);
    metadata[key] = value;
    const std::string edited = path + "." + key + ".safetensors";
    save_safetensors(edited, tensors, metadata);
    return edited;
}

}  // namespace

TEST_CASE("checkpoint metadata sizes are digits only and within the options' ranges",
          "[checkpoint]") {
    const std::string path = small_checkpoint();
    const std::vector<std::array<std::string, 3>> cases = {
        {"d_ff", "1000000000000",
         "metadata d_ff = 1000000000000 is out of range (1 to 8192, as --d-ff)"},
        {"decoder_layers", "100000000",
         "decoder_layers = 100000000 is out of range (1 to 24, as --layers)"},
        {"encoder_layers", "0", "encoder_layers = 0 is out of range (1 to 24"},
        {"d_model", "2048", "d_model = 2048 is out of range (1 to 1024, as --d-model)"},
        {"num_heads", "0", "num_heads = 0 is out of range"},
        {"src_vocab_size", "3", "src_vocab_size = 3 is out of range (4 to 1000000"},
        {"d_model", "-8", "metadata d_model = '-8' is not a whole number (digits only)"},
        {"d_model", "32abc", "metadata d_model = '32abc' is not a whole number"},
        {"d_model", " 32", "is not a whole number"},
        {"d_model", "99999999999999999999", "is not a whole number"},
        {"num_heads", "3", "metadata: d_model 16 is not divisible by 3 heads"},
        {"norm_first", "yes", "metadata norm_first = 'yes' is not true or false"},
        {"activation", "tanh", "metadata activation = 'tanh' is not relu or gelu"},
    };
    for (const auto& [key, value, problem] : cases) {
        const std::string edited = with_metadata(path, key, value);
        INFO(key << " = " << value);
        CHECK_THROWS_WITH(read_checkpoint_info(edited, ModelConfig{}),
                          Catch::StartsWith(edited + ": ") && Catch::Contains(problem));
    }
    CHECK_NOTHROW(read_checkpoint_info(path, ModelConfig{}));
}

TEST_CASE(
    "a checkpoint whose tensors disagree with its metadata is refused before the model is built",
    "[checkpoint]") {
    const std::string path = small_checkpoint();
    const Task task("dates");
    ModelConfig config = read_checkpoint_info(path, ModelConfig{}).config;
    config.src_vocab_size = config.tgt_vocab_size = task.vocab().size();
    CHECK_NOTHROW(check_checkpoint_tensors(path, config));

    // The largest d_ff the options allow, over tensors of d_ff 32: the shapes say so
    // before any 8192-wide layer is allocated.
    const std::string wide = with_metadata(path, "d_ff", "8192");
    ModelConfig claimed = read_checkpoint_info(wide, ModelConfig{}).config;
    claimed.src_vocab_size = claimed.tgt_vocab_size = task.vocab().size();
    CHECK_THROWS_WITH(
        check_checkpoint_tensors(wide, claimed),
        Catch::Contains(wide + ": tensor 'encoder.layers.0.ffn.linear1.weight' is [32, 16], "
                               "but the model of d_model 16, d_ff 8192, 1 + 1 layers, "
                               "vocabulary 71 needs [8192, 16]"));

    ModelConfig deeper = config;
    deeper.encoder_layers = 2;
    CHECK_THROWS_WITH(check_checkpoint_tensors(path, deeper),
                      Catch::Contains("tensor 'encoder.layers.1.") &&
                          Catch::Contains("is missing from the file"));
    ModelConfig shallower = config;
    shallower.decoder_layers = 1;
    shallower.encoder_layers = 1;
    shallower.norm_first = true;  // pre-LN stacks end with a norm the file lacks
    CHECK_THROWS_WITH(check_checkpoint_tensors(path, shallower),
                      Catch::Contains("is missing from the file"));
}

TEST_CASE("a checkpoint is one file; the two-file form is still read; a failed save leaves nothing",
          "[checkpoint]") {
    const Task task("dates");
    Transformer model(tfm::test::tiny_task_config(task));
    const std::string dir = tfm::test::temp_dir("ckpt1");
    save_checkpoint(dir + "/m.safetensors", model, task.vocab(), task.name());
    CHECK(std::filesystem::directory_iterator(dir)->path().filename() == "m.safetensors");
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 1);
    Metadata metadata;
    const TensorMap tensors = load_safetensors(dir + "/m.safetensors", &metadata);
    CHECK(metadata.at("vocabulary") == task.vocab().text());

    // The two-file form: no vocabulary in the metadata, NAME.vocab.txt beside it.
    const Vocab other = Vocab::from_tokens({"x", "y"});
    Metadata old_form = metadata;
    old_form.erase("vocabulary");
    save_safetensors(dir + "/old.safetensors", tensors, old_form);
    save_vocab(dir + "/old.vocab.txt", other);
    CHECK(read_checkpoint_vocab(dir + "/old.safetensors", old_form, task.vocab()).text() ==
          other.text());
    // Neither: the task's own.
    CHECK(read_checkpoint_vocab(dir + "/none.safetensors", old_form, task.vocab()).size() ==
          task.vocab().size());
    // A vocabulary in the metadata wins over a stale file beside it.
    save_vocab(dir + "/m.vocab.txt", other);
    CHECK(read_checkpoint_vocab(dir + "/m.safetensors", metadata, other).text() ==
          task.vocab().text());
    // A broken vocabulary in the metadata names the file and the line.
    Metadata broken = metadata;
    broken["vocabulary"] = "<pad>\n<unk>\n<eos>\n";
    CHECK_THROWS_WITH(read_checkpoint_vocab(dir + "/m.safetensors", broken, other),
                      Catch::StartsWith(dir + "/m.safetensors: metadata vocabulary: line 3"));

    // A save that fails (the name is a folder) leaves the folder as it was.
    std::filesystem::create_directory(dir + "/taken.safetensors");
    const auto before = std::distance(std::filesystem::directory_iterator(dir),
                                      std::filesystem::directory_iterator());
    CHECK_THROWS_AS(save_checkpoint(dir + "/taken.safetensors", model, task.vocab(), task.name()),
                    InputError);
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == before);
}
