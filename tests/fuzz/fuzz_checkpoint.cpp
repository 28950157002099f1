// Lesson 09's checkpoint load path, as the lesson runs it (course::load_lesson_model):
// metadata parsed strictly, tensors checked against it before the model is built, the
// vocabulary from the metadata, the weights loaded. Any bytes give a model or an
// InputError; never a crash or an allocation the metadata asks for.
#include "core/error.hpp"
#include "course/lesson_09.hpp"
#include "fuzz/fuzz_target.hpp"
#include "train/trainer.hpp"

#include <cstdio>

namespace tfm::fuzz {

int checkpoint(const std::uint8_t* data, std::size_t size) {
    const std::string path = write_input("checkpoint.safetensors", data, size);
    const SmallBudget budget;
    course::ModelRequest request;
    request.weights = path;
    request.task = "copy";
    request.config = task_model_config(Task("copy"));
    try {
        course::LessonModel m = course::load_lesson_model(request);
        invariant(m.config.src_vocab_size == m.vocab.size(), "the model fits its vocabulary");
    } catch (const InputError&) {}
    std::remove(path.c_str());
    return 0;
}

}  // namespace tfm::fuzz

TFM_FUZZ_ENTRY(checkpoint)
