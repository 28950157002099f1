// .safetensors weight files: 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F64", "shape": [r, c], "data_offsets": [begin, end]}, ...,
//  "__metadata__": {...}}, then the raw little-endian row-major data.
// Written: F64. Read: F64 or F32. The header is parsed with nlohmann::json; every
// lie (offsets out of range or overlapping, size ≠ shape × dtype size, bad JSON,
// truncated file) throws InputError naming the file and the tensor. The header is read
// first and checked against the file's size and the memory budget (core/budget.hpp)
// before any data is read.
#pragma once
#include "core/params.hpp"

#include <armadillo>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tfm {

struct Tensor {
    std::vector<std::uint64_t> shape;  // {rows, cols} or {n}
    arma::mat value;                   // 2-D as rows × cols; 1-D as 1 × n
};
using TensorMap = std::map<std::string, Tensor>;

// The __metadata__ of a weight file: string keys to string values (docs/formats.md).
using Metadata = std::map<std::string, std::string>;

// Every tensor of the file, checked as above; with `metadata`, also its __metadata__
// (empty when the file has none).
TensorMap load_safetensors(const std::string& path, Metadata* metadata = nullptr);
// The header alone, checked against the file's size (every rule above but the data's
// values): each tensor's shape by name, and the __metadata__. Reads no data, so that a
// model can be checked against the file before it is built.
struct SafetensorsHeader {
    std::map<std::string, std::vector<std::uint64_t>> shapes;
    Metadata metadata;
};
SafetensorsHeader read_safetensors_header(const std::string& path);
// Only the __metadata__ (read_safetensors_header's). InputError as load_safetensors.
Metadata read_safetensors_metadata(const std::string& path);
// A size in metadata ("32"): digits only, the whole string, no sign, no space, no
// overflow; InputError naming the file, the key and the value otherwise.
std::uint64_t metadata_size(const std::string& path, const std::string& key,
                            const std::string& value);
// Atomic write (temporary file, then rename).
void save_safetensors(const std::string& path, const TensorMap& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// The bridge to modules: write every parameter in the list; or fill every parameter
// from the file. Loading checks that each name exists with the expected shape, and
// that the file holds no tensor the module does not know, and that every value is a
// finite number (require_finite); on any mismatch it throws InputError before changing
// a single parameter.
void save_params(const std::string& path, const ParamList& params,
                 const std::map<std::string, std::string>& metadata = {});
void load_params(const std::string& path, const ParamList& params);
// Same for gradients: writes DIR/grad.NAME.npy for every parameter.
void dump_param_grads(const std::string& dir, const ParamList& params);

}  // namespace tfm
