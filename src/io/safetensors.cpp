// The .safetensors format:
//
//   N (8 bytes, little-endian)  header (N bytes of JSON)  data (the rest)
//
// The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]},
// offsets counted from the start of the data section; "__metadata__" maps strings to
// strings. We hold the reader to the format's own rules: the tensors tile the data
// section exactly, in order, with no gap, overlap or trailing byte.
#include "io/safetensors.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "io/files.hpp"
#include "io/npy.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>

namespace tfm {
namespace {

using nlohmann::json;

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Bytes per element of a dtype the format defines; 0 for a name it does not define.
std::uint64_t dtype_size(const std::string& dtype) {
    if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
    if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
    if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" ||
        dtype == "F8_E5M2")
        return 1;
    return 0;
}

std::uint64_t read_u64_le(const std::string& bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    return v;
}

std::string u64_le(std::uint64_t v) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}

// A header entry, checked for its form but not yet against the data.
struct Entry {
    std::string name;
    std::string dtype;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0, end = 0;
};

Entry read_entry(const std::string& path, const std::string& name, const json& j) {
    auto fail = [&](const std::string& problem) {
        throw InputError(tr("{1}: tensor '{2}': {3}", path, name, problem));
    };
    if (!j.is_object()) fail(tr("header entry is not an object"));
    Entry e;
    e.name = name;
    const auto dtype = j.find("dtype");
    const auto shape = j.find("shape");
    const auto offsets = j.find("data_offsets");
    if (dtype == j.end() || !dtype->is_string()) fail(tr("no dtype string"));
    if (shape == j.end() || !shape->is_array()) fail(tr("no shape array"));
    if (offsets == j.end() || !offsets->is_array() || offsets->size() != 2)
        fail(tr("no data_offsets pair"));
    e.dtype = dtype->get<std::string>();
    for (const json& d : *shape) {
        if (!d.is_number_unsigned()) fail(tr("shape {1} is not a list of sizes", shape->dump()));
        e.shape.push_back(d.get<std::uint64_t>());
    }
    for (const json& o : *offsets)
        if (!o.is_number_unsigned())
            fail(tr("data_offsets {1} are not byte offsets", offsets->dump()));
    e.begin = (*offsets)[0].get<std::uint64_t>();
    e.end = (*offsets)[1].get<std::uint64_t>();

    const std::uint64_t size = dtype_size(e.dtype);
    if (size == 0) fail(tr("unknown dtype '{1}'", e.dtype));
    if (e.dtype != "F64" && e.dtype != "F32")
        fail(tr("unsupported dtype '{1}' (expected F64 or F32)", e.dtype));
    if (e.shape.empty() || e.shape.size() > 2)
        fail(tr("shape {1} is {2}-D; only 1-D and 2-D tensors are supported", shape_text(e.shape),
                e.shape.size()));
    std::uint64_t bytes = size;
    for (std::uint64_t d : e.shape) {
        if (d != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / d)
            fail(tr("shape is too large"));
        bytes *= d;
    }
    if (e.end < e.begin) fail(tr("data_offsets {1} end before they begin", offsets->dump()));
    if (e.end - e.begin != bytes)
        fail(tr("shape {1} × {2} needs {3} bytes, data_offsets {4} hold {5}", shape_text(e.shape),
                e.dtype, bytes, offsets->dump(), e.end - e.begin));
    return e;
}

std::vector<std::uint64_t> param_shape(const Param& p) {
    if (p.is_vector) return {p.value->n_elem};
    return {p.value->n_rows, p.value->n_cols};
}

// The header of a file, checked against the file's size: every tensor's entry, sorted
// by offset, tiling the data section that starts at data_start. Reads only the header.
struct Layout {
    std::vector<Entry> entries;
    Metadata metadata;
    std::uint64_t data_start = 0, data_size = 0;
};

Layout read_layout(const std::string& path, FileReader& file) {
    auto fail = [&](const std::string& problem) {
        throw InputError(tr("{1}: {2}", path, problem));
    };
    if (file.size() < 8)
        fail(tr("not a .safetensors file (shorter than its 8-byte header length)"));
    const std::uint64_t header_len = read_u64_le(file.read(0, 8));
    if (header_len > file.size() - 8)
        fail(tr("header length {1} runs past the end of the file ({2} bytes)", header_len,
                file.size()));
    // nlohmann::json's tree takes several times the text's bytes.
    require_memory(tr("{1}'s header of {2} bytes", path, header_len), mul_sat(header_len, 16));
    const std::string text = file.read(8, header_len);
    const json header = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (header.is_discarded()) fail(tr("header is not valid JSON"));
    if (!header.is_object()) fail(tr("header is not a JSON object"));

    Layout layout;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object()) fail(tr("__metadata__ is not an object"));
            for (const json& v : *it)
                if (!v.is_string()) fail(tr("__metadata__ values must be strings"));
            layout.metadata = it->get<Metadata>();
            continue;
        }
        layout.entries.push_back(read_entry(path, it.key(), *it));
    }

    // The tensors must tile the data section: sorted by offset, each begins where the
    // previous one ended, and the last ends at the end of the file.
    layout.data_start = 8 + header_len;
    layout.data_size = file.size() - layout.data_start;
    std::vector<Entry>& entries = layout.entries;
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    const std::uint64_t data_size = layout.data_size;
    std::uint64_t expected_begin = 0;
    for (const Entry& e : entries) {
        if (e.end > data_size)
            fail(
                tr("tensor '{1}': data_offsets [{2}, {3}] run past the end of the data ({4} "
                   "bytes)",
                   e.name, e.begin, e.end, data_size));
        if (e.begin < expected_begin)
            fail(tr("tensor '{1}': data_offsets [{2}, {3}] overlap the previous tensor", e.name,
                    e.begin, e.end));
        if (e.begin != expected_begin)
            fail(tr("tensor '{1}': data_offsets [{2}, {3}] leave a gap after the previous tensor",
                    e.name, e.begin, e.end));
        expected_begin = e.end;
    }
    if (expected_begin != data_size)
        fail(
            tr("the data section has {1} bytes that belong to no tensor (truncated header or "
               "padded data)",
               data_size - expected_begin));
    return layout;
}

}  // namespace

TensorMap load_safetensors(const std::string& path, Metadata* metadata) {
    FileReader file(path);
    Layout layout = read_layout(path, file);
    if (metadata) *metadata = layout.metadata;
    // The bytes, then each tensor and its transpose as doubles.
    std::uint64_t needed = layout.data_size;
    for (const Entry& e : layout.entries)
        needed = add_sat(
            needed, mul_sat((e.end - e.begin) / (e.dtype == "F64" ? 8 : 4), 2 * sizeof(double)));
    require_memory(path, needed);
    const std::string bytes = file.read(layout.data_start, layout.data_size);

    TensorMap tensors;
    for (const Entry& e : layout.entries) {
        const std::uint64_t rows = e.shape.size() == 2 ? e.shape[0] : 1;
        const std::uint64_t cols = e.shape.back();
        // Row-major in the file: fill the transpose column by column, then transpose.
        arma::mat transposed(cols, rows);
        if (rows * cols > 0) {
            read_floats(bytes.data() + e.begin, rows * cols, e.dtype == "F64" ? 8 : 4,
                        transposed.memptr());
        }
        Tensor t;
        t.shape = e.shape;
        t.value = transposed.is_empty() ? arma::mat(rows, cols) : arma::mat(transposed.t());
        tensors.emplace(e.name, std::move(t));
    }
    return tensors;
}

SafetensorsHeader read_safetensors_header(const std::string& path) {
    FileReader file(path);
    Layout layout = read_layout(path, file);
    SafetensorsHeader header;
    header.metadata = std::move(layout.metadata);
    for (const Entry& e : layout.entries) header.shapes[e.name] = e.shape;
    return header;
}

Metadata read_safetensors_metadata(const std::string& path) {
    return read_safetensors_header(path).metadata;
}

std::uint64_t metadata_size(const std::string& path, const std::string& key,
                            const std::string& value) {
    const bool digits =
        !value.empty() && value.size() <= 19 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits)
        throw InputError(
            tr("{1}: metadata {2} = '{3}' is not a whole number (digits only)", path, key, value));
    return std::stoull(value);
}

void save_safetensors(const std::string& path, const TensorMap& tensors,
                      const std::map<std::string, std::string>& metadata) {
    json header = json::object();
    std::string data;
    for (const auto& [name, t] : tensors) {
        const bool shape_fits =
            (t.shape.size() == 2 && t.shape[0] == t.value.n_rows && t.shape[1] == t.value.n_cols) ||
            (t.shape.size() == 1 && t.value.n_rows == 1 && t.shape[0] == t.value.n_cols);
        if (!shape_fits || name == "__metadata__")
            throw std::invalid_argument("save_safetensors: tensor '" + name + "' has shape " +
                                        shape_text(t.shape) + " but holds " +
                                        std::to_string(t.value.n_rows) + " × " +
                                        std::to_string(t.value.n_cols));
        const std::uint64_t begin = data.size();
        if (!t.value.is_empty()) {
            const arma::mat row_major = t.value.t();
            data.append(reinterpret_cast<const char*>(row_major.memptr()),
                        row_major.n_elem * sizeof(double));
        }
        header[name] = {
            {"dtype", "F64"}, {"shape", t.shape}, {"data_offsets", {begin, data.size()}}};
    }
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the format aligns the data to 8 bytes
    write_file_atomically(path, u64_le(text.size()) + text + data);
}

void save_params(const std::string& path, const ParamList& params,
                 const std::map<std::string, std::string>& metadata) {
    TensorMap tensors;
    for (const Param& p : params) tensors[p.name] = Tensor{param_shape(p), *p.value};
    save_safetensors(path, tensors, metadata);
}

void load_params(const std::string& path, const ParamList& params) {
    const TensorMap tensors = load_safetensors(path);
    // Check everything first, so that a bad file leaves the module as it was.
    for (const Param& p : params) {
        const auto it = tensors.find(p.name);
        if (it == tensors.end())
            throw InputError(tr("{1}: tensor '{2}' {3} is missing from the file", path, p.name,
                                shape_text(param_shape(p))));
        if (it->second.shape != param_shape(p))
            throw InputError(tr("{1}: tensor '{2}' has shape {3}, expected {4}", path, p.name,
                                shape_text(it->second.shape), shape_text(param_shape(p))));
    }
    for (const auto& entry : tensors) {
        // (A named pair, not a structured binding: C++17 lets no lambda capture one.)
        const std::string& name = entry.first;
        const bool known = std::any_of(params.begin(), params.end(),
                                       [&](const Param& p) { return p.name == name; });
        if (!known)
            throw InputError(tr("{1}: tensor '{2}' {3} is not a parameter of this module", path,
                                name, shape_text(entry.second.shape)));
    }
    for (const Param& p : params)
        require_finite(tr("{1}: tensor '{2}'", path, p.name), tensors.at(p.name).value);
    for (const Param& p : params) *p.value = tensors.at(p.name).value;
}

void dump_param_grads(const std::string& dir, const ParamList& params) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    for (const Param& p : params) {
        const std::string path = dir + "/grad." + p.name + ".npy";
        if (p.is_vector)
            save_npy_vector(path, arma::rowvec(arma::vectorise(*p.grad).t()));
        else
            save_npy(path, *p.grad);
    }
}

}  // namespace tfm
