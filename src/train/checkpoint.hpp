// A trained model on disk: one .safetensors file holds every parameter (DESIGN §5 names)
// and, in its __metadata__, the configuration, the task and the vocabulary (one token per
// line, as in data/vocab.txt). One file written by one atomic write (a temporary file,
// then rename): an interrupted or failed save leaves the old checkpoint whole and no
// temporary file, and weights and vocabulary cannot come from different runs.
//
// Still read: the earlier two-file form, whose vocabulary sits beside the weights as
// PATH's .vocab.txt ("dates.safetensors" → "dates.vocab.txt"), as checkpoints written
// before 2026-12-02 have it. A vocabulary in the metadata wins over a file beside it.
#pragma once
#include "io/safetensors.hpp"
#include "model/config.hpp"
#include "model/transformer.hpp"
#include "text/tokenizer.hpp"

#include <map>
#include <string>

namespace tfm {

// "data/dates.safetensors" → "data/dates.vocab.txt".
std::string vocab_path_for(const std::string& weights_path);

// The metadata also says lesson = 09_full_model unless `extra` names the lesson.
void save_checkpoint(const std::string& path, Transformer& model, const Vocab& vocab,
                     const std::string& task, const std::map<std::string, std::string>& extra = {});
// The same for any model of `config` (the GPT of lesson 11, the BERT of 12): its sizes,
// its architecture, its learned positions and the vocabulary go into the metadata. `extra`
// must name the lesson.
void save_checkpoint(const std::string& path, const ParamList& params, const ModelConfig& config,
                     const Vocab& vocab, const std::string& task,
                     const std::map<std::string, std::string>& extra);

struct CheckpointInfo {
    ModelConfig config;
    std::string task;  // empty when the file does not say
    std::map<std::string, std::string> metadata;
};
// The configuration written by save_checkpoint; `fallback` supplies anything the
// metadata does not say (a weights file from elsewhere). Vocabulary sizes come from
// the metadata when present. Parsed strictly: sizes are digits only (the whole value)
// and within the range of the option that sets them (d_model 1 to 1024, as --d-model;
// core/limits.hpp), norm_first is true or false, activation relu or gelu, architecture
// (when said) the fallback's own — a file cannot turn a GPT into a BERT — and the sizes
// fit together (d_model divisible by num_heads); anything else is an InputError naming
// the file, the key and the value. Reads the header only. (read_safetensors_metadata is
// in io/safetensors.hpp.)
CheckpointInfo read_checkpoint_info(const std::string& path, const ModelConfig& fallback);

// Checks the file's tensors, by the names and shapes in its header (no data read),
// against the model `config` describes (model_shapes): every parameter present with its
// shape, nothing else. InputError naming the file, the tensor and both shapes. Call it
// before building the model, so that a file that lies about its sizes allocates nothing.
void check_checkpoint_tensors(const std::string& path, const ModelConfig& config);

// The vocabulary of the checkpoint at `path` whose metadata is `metadata`: the metadata's
// "vocabulary", else PATH's .vocab.txt beside it, else `fallback` (the task's own).
// InputError naming the file and the line when it does not parse (Vocab::parse).
Vocab read_checkpoint_vocab(const std::string& path, const Metadata& metadata,
                            const Vocab& fallback);

// Writes one token per line, specials first (what Vocab::load reads), atomically: the
// two-file form's vocabulary, which save_checkpoint no longer writes.
void save_vocab(const std::string& path, const Vocab& vocab);

}  // namespace tfm
