// The __metadata__ of the weight files lessons 01–07 write (--save-weights) and check
// when they read one (--weights): which lesson wrote it, and every size or choice among
// the lesson's options that shapes its module (docs/formats.md, "Metadata").
//
//   d_model  num_heads  d_ff  layers     digits only ("8")
//   norm_first                            true | false
//   activation                            relu | gelu
//   lesson                                e.g. 06_encoder (not checked: 02 and 03 share a file)
//
// Lesson 09's checkpoints carry the same keys, with encoder_layers and decoder_layers
// for layers (train/checkpoint.hpp).
#pragma once
#include "io/safetensors.hpp"

#include <string>

namespace tfm::cli {

struct Common;  // cli/options.hpp

// The metadata a lesson with these shared-option `features` writes: "lesson" and, of
// --d-model, --heads, --d-ff, --layers, --norm-first, --activation, those it has.
Metadata lesson_weight_metadata(const Common& common, const std::string& lesson, unsigned features);

// Checks a weight file's metadata (`found`, read from `path`) against what this run's
// options would write (`expected`): for every key both hold except "lesson", the values
// must agree. InputError naming the file, the key, the file's value and the option's
// value otherwise, or when the file's value does not parse. A file without metadata, or
// without a key, passes: it is then checked by names and shapes only.
void check_weight_metadata(const std::string& path, const Metadata& found,
                           const Metadata& expected);

}  // namespace tfm::cli
