// Tables of model sizes for lessons 06/07, tools/model_table and docs/configs.md.
// Every number comes from model/config (count_breakdown, macs_per_token,
// published_size); this file only lays them out as rows of strings for
// Printer::table or plain printing.
#pragma once
#include "model/config.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tfm {

struct TextTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

// 124439808 → "124,439,808"
std::string format_count(std::uint64_t n);
// 124439808 → "124.4M", 340e6 → "340M", 1557611200 → "1.558B" (4 significant digits)
std::string format_size(double n);
// ours vs published, as "+0.35%" (empty when nothing is published)
std::string format_difference(std::uint64_t ours, double published);

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

std::string to_string(Architecture a);

}  // namespace tfm
