// model_table — the sizes of the course's model presets, computed from the modules' shapes.
//
//   build/tools/model_table --config gpt2-small     one preset: settings, parameters per part, MACs
//   build/tools/model_table --all                   every preset in one table
//   build/tools/model_table --all --markdown        the same as Markdown (docs/configs.md)
//
// An unknown preset name is one line on stderr and exit status 2.
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/printer.hpp"
#include "model/size_table.hpp"

#include <cctype>
#include <cstdio>
#include <string>

namespace {

void print_markdown(const tfm::TextTable& t) {
    auto line = [](const std::vector<std::string>& cells) {
        std::string s = "|";
        for (const std::string& c : cells) s += " " + c + " |";
        std::printf("%s\n", s.c_str());
    };
    line(t.header);
    // Right-align the columns whose first cell is a number.
    std::string rule = "|";
    for (std::size_t i = 0; i < t.header.size(); ++i) {
        const std::string& cell = t.rows.empty() ? std::string() : t.rows[0][i];
        const bool number = !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell[0])) ||
                                              cell[0] == '+' || cell[0] == '-');
        rule += number ? "---:|" : "---|";
    }
    std::printf("%s\n", rule.c_str());
    for (const auto& row : t.rows) line(row);
    std::printf("\n");
}

int run(int argc, char** argv) {
    using tfm::tr;
    tfm::cli::Options options("model_table",
                              tr("Parameter counts and multiply-adds of the model presets, "
                                 "computed from the modules' shapes."));
    std::string presets;
    for (const std::string& n : tfm::preset_names()) presets += (presets.empty() ? "" : ", ") + n;
    auto add = options.add_options();
    add("config", tr("one preset: {1}", presets), tfm::cli::value<std::string>());
    add("all", tr("a table of every preset"));
    add("seq-len", tr("sequence length for MACs/token (0 = each model's context)"),
        tfm::cli::value<std::size_t>()->default_value("0"));
    add("markdown", tr("print Markdown tables"));
    add("h,help", tr("this help"));
    const tfm::cli::ParseResult args = tfm::cli::parse(options, argc, argv);
    const bool markdown = args.count("markdown") > 0;
    const arma::uword seq_len = args["seq-len"].as<std::size_t>();
    tfm::Printer printer(tfm::PrintOptions{});
    auto show = [&](const tfm::TextTable& t) {
        if (markdown)
            print_markdown(t);
        else
            printer.table(t.header, t.rows);
    };

    tfm::require(args.count("config") || args.count("all"),
                 tr("give --config NAME or --all (see --help)"));
    if (args.count("config")) {
        const tfm::ModelConfig config = tfm::preset(args["config"].as<std::string>());
        show(tfm::config_settings(config));
        if (!markdown) std::printf("\n");
        show(tfm::config_breakdown(config, seq_len));
    }
    if (args.count("all")) {
        if (args.count("config") && !markdown) std::printf("\n");
        show(tfm::size_table(tfm::preset_names(), seq_len));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, run); }
