// Whole-file reads and atomic writes, shared by the .npy and .safetensors code.
#pragma once
#include <string>

namespace tfm {

// The file's bytes. InputError "PATH: cannot open (REASON)" when it cannot be read.
std::string read_file_bytes(const std::string& path);

// Writes `bytes` to PATH.tmp-PID, then renames it over PATH, so that a reader never
// sees a half-written file and a failed write leaves no partial file behind.
// InputError naming PATH on failure.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace tfm
