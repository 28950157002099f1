#include "support/file_checks.hpp"

#include "core/error.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <cstring>
#include <fstream>

namespace tfm::test {

std::string write_temp_file(const std::string& file_name, const std::string& bytes) {
    const std::string path = temp_dir("file") + "/" + file_name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

void check_rejected(const std::string& loader, const std::function<void(const std::string&)>& load,
                    const std::string& file_name, const std::string& bytes,
                    const std::string& problem) {
    const std::string path = write_temp_file(file_name, bytes);
    INFO("expected problem: " << problem);
    try {
        load(path);
        FAIL(loader << " accepted a malformed file");
    } catch (const InputError& e) {
        const std::string message = e.what();
        INFO("message: " << message);
        CHECK(message.find(path) != std::string::npos);
        CHECK(message.find(problem) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

bool same_bits(const arma::mat& a, const arma::mat& b) {
    return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
           (a.n_elem == 0 || std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(double)) == 0);
}

}  // namespace tfm::test
