// Tables of model sizes for lessons 06/07, tools/model_table and docs/configs.md.
// Every number comes from model/config (count_breakdown, macs_per_token,
// published_size); this file only lays them out as rows of strings for
// Printer::table or plain printing.
#pragma once
#include "io/table.hpp"
#include "model/config.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tfm {

// The sequence length the tables use for MACs/token when none is given: the model's
// context (its learned positions), 512 for the sinusoidal encoder–decoder presets.
arma::uword default_seq_len(const ModelConfig& config);

// One row per preset: layers, sizes, parameters per part, total, published, difference,
// MACs/token. seq_len 0 = each model's default_seq_len.
TextTable size_table(const std::vector<std::string>& presets, arma::uword seq_len = 0);
// Narrower, for the lessons: parts, total, published, difference.
TextTable parts_table(const std::vector<std::string>& presets);
// GPT-2 and GPT-3 side by side, size by size, with the depths the source article gives.
TextTable gpt_depth_table();
// The depth columns of gpt_depth_table() as "12/24/36/48": the article's GPT-3 blocks,
// GPT-2's layers, GPT-3's layers.
struct GptDepths {
    std::string article, gpt2, gpt3;
};
GptDepths gpt_depths();
// One configuration: its settings (name, value) and its parameter breakdown.
TextTable config_settings(const ModelConfig& config);
TextTable config_breakdown(const ModelConfig& config, arma::uword seq_len = 0);

// The table's spelling of architecture_name (model/config.hpp): "decoder-only".
std::string to_string(Architecture a);

}  // namespace tfm
