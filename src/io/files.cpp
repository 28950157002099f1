#include "io/files.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"

#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace tfm {

std::string read_file_bytes(const std::string& path) {
    FileReader file(path);
    require_memory(path, file.size());
    return file.read(0, file.size());
}

FileReader::FileReader(const std::string& path) : path_(path) {
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (ec) throw InputError(tr("{1}: cannot open ({2})", path, ec.message()));
    if (!std::filesystem::is_regular_file(status))
        throw InputError(tr("{1}: not a regular file", path));
    size_ = std::filesystem::file_size(path, ec);
    if (ec) throw InputError(tr("{1}: cannot open ({2})", path, ec.message()));
    in_.open(path, std::ios::binary);
    if (!in_)
        throw InputError(tr("{1}: cannot open ({2})", path, std::string(std::strerror(errno))));
}

std::string FileReader::read(std::uint64_t offset, std::uint64_t n) {
    if (offset > size_ || n > size_ - offset)
        throw InputError(tr("{1}: read error (truncated)", path_));
    std::string bytes(n, '\0');
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(bytes.data(), static_cast<std::streamsize>(n));
    if (!in_ || static_cast<std::uint64_t>(in_.gcount()) != n) {
        in_.clear();
        throw InputError(tr("{1}: read error", path_));
    }
    return bytes;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(temp.c_str(), "wb");
    if (!f)
        throw InputError(tr("{1}: cannot write ({2})", path, std::string(std::strerror(errno))));
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed || std::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(temp.c_str());
        throw InputError(tr("{1}: cannot write ({2})", path, reason));
    }
}

void probe_writable(const std::string& what, const std::string& path) {
    std::error_code ec;
    require(!std::filesystem::is_directory(path, ec),
            tr("{1} {2}: is a folder, not a file name", what, path));
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(temp.c_str(), "wb");
    if (!f)
        throw InputError(
            tr("{1} {2}: cannot write ({3})", what, path, std::string(std::strerror(errno))));
    std::fclose(f);
    std::remove(temp.c_str());
}

namespace {

template <typename T>
void copy_values(const char* data, std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) {
        T x;
        std::memcpy(&x, data + i * sizeof(T), sizeof(T));
        out[i] = static_cast<double>(x);
    }
}

}  // namespace

void read_floats(const char* data, std::size_t n, std::size_t itemsize, double* out) {
    require(itemsize == 4 || itemsize == 8,
            tr("read_floats: {1}-byte floats are neither float32 nor float64", itemsize));
    if (itemsize == 8)
        copy_values<double>(data, n, out);
    else
        copy_values<float>(data, n, out);
}

std::string data_path(const std::string& file_name) {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("TFM_DATA_DIR"); env != nullptr && env[0] != '\0')
        dirs.emplace_back(env);
    dirs.emplace_back("data");
    dirs.emplace_back("../data");
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(exe.parent_path() / "../../data");
    std::string looked;
    for (const fs::path& dir : dirs) {
        const fs::path candidate = dir / file_name;
        if (fs::is_regular_file(candidate, ec)) return candidate.lexically_normal().string();
        looked += (looked.empty() ? "" : ", ") + dir.lexically_normal().string();
    }
    throw InputError(
        tr("cannot find data file {1} (looked in {2}; set TFM_DATA_DIR to the folder "
           "that holds it)",
           file_name, looked));
}

}  // namespace tfm
