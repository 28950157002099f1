// Models for the decoding tests: random encoder–decoders of odd sizes in both norm
// placements, and the shipped dates model.
#pragma once
#include "course/lesson_09.hpp"
#include "model/config.hpp"

namespace tfm::test {

// d_model 12, 3 heads (d_k 4), d_ff 10, 2 + 3 layers, source vocabulary 11, target 13:
// no two sizes alike, so a transposed or misplaced block cannot go unnoticed.
ModelConfig odd_decoding_config(bool norm_first);

// data/dates.safetensors with its vocabulary, as lesson 09 and 10 load it.
course::LessonModel dates_model();

}  // namespace tfm::test
