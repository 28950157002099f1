// Every committed fuzz input, replayed through its target in make test: the seed corpora
// (valid files from the lessons and NumPy) and every crash reproducer libFuzzer ever
// found (tests/fuzz/crashes/NAME/), so a fixed crash stays fixed.
#include "fuzz/fuzz_target.hpp"
#include "io/files.hpp"

#include "support/catch.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

const std::map<std::string, Target>& targets() {
    static const std::map<std::string, Target> all = {{"npy", tfm::fuzz::npy},
                                                      {"safetensors", tfm::fuzz::safetensors},
                                                      {"tokenizer", tfm::fuzz::tokenizer},
                                                      {"vocab", tfm::fuzz::vocab},
                                                      {"checkpoint", tfm::fuzz::checkpoint}};
    return all;
}

// The files of tests/fuzz/DIR/NAME/, if that folder exists.
std::vector<std::string> inputs(const std::string& dir, const std::string& name) {
    std::vector<std::string> paths;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("tests/fuzz/" + dir + "/" + name, ec))
        if (e.is_regular_file()) paths.push_back(e.path().string());
    return paths;
}

}  // namespace

TEST_CASE("every fuzz target has a seed corpus, and every seed and crash replays cleanly",
          "[fuzz]") {
    for (const auto& [name, target] : targets()) {
        const std::vector<std::string> seeds = inputs("corpus", name);
        INFO(name);
        CHECK(seeds.size() >= 2);
        std::vector<std::string> all = seeds;
        for (const std::string& c : inputs("crashes", name)) all.push_back(c);
        for (const std::string& path : all) {
            const std::string bytes = tfm::read_file_bytes(path);
            INFO(path);
            CHECK_NOTHROW(
                target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
        }
    }
}
