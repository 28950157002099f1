// Whole-file reads and atomic writes, shared by the .npy and .safetensors code, and
// where the files shipped in data/ are found.
#pragma once
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

namespace tfm {

// The file's bytes. InputError "PATH: cannot open (REASON)" when it cannot be read, or
// when it is larger than the memory budget (checked before reading).
std::string read_file_bytes(const std::string& path);

// A file read in parts: its size first, then the byte ranges asked for, so that a reader
// checks a header's sizes (against the file and the memory budget) before it reads or
// allocates anything for the data. Only regular files: a pipe or a device has no size.
class FileReader {
public:
    // InputError "PATH: cannot open (REASON)", or "PATH: not a regular file".
    explicit FileReader(const std::string& path);
    std::uint64_t size() const { return size_; }
    // `n` bytes from `offset`; InputError "PATH: read error" when the file gives fewer.
    std::string read(std::uint64_t offset, std::uint64_t n);

private:
    std::string path_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
};

// Writes `bytes` to PATH.tmp-PID, then renames it over PATH, so that a reader never
// sees a half-written file and a failed write leaves no partial file behind.
// InputError naming PATH on failure.
void write_file_atomically(const std::string& path, const std::string& bytes);

// Whether PATH can be written, found before the work that produces it (a training run):
// PATH must not be a folder, and PATH.tmp-PID (the name write_file_atomically uses) is
// created in PATH's folder and removed again. InputError "WHAT PATH: REASON" otherwise.
void probe_writable(const std::string& what, const std::string& path);

// Reads n little-endian IEEE floats of `itemsize` bytes (4: float32, 8: float64) from
// `data` into doubles (the .npy and .safetensors payloads; the machine is little-endian).
void read_floats(const char* data, std::size_t n, std::size_t itemsize, double* out);

// Finds a file shipped in data/ (tries $TFM_DATA_DIR, ./data, then ../data and the
// executable's ../../data, so lessons run from the project root or build/lessons/).
// InputError naming the file and the folders tried when it is in none of them.
std::string data_path(const std::string& file_name);

}  // namespace tfm
