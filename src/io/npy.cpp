// The .npy format (numpy.lib.format):
//
//   "\x93NUMPY"  major minor  header_len  header  data
//   6 bytes      1     1      2 bytes (v1) or 4 bytes (v2, v3), little-endian
//
// The header is a Python dict literal padded with spaces and ended by '\n':
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// The data follow, exactly product(shape) × itemsize bytes. C order is row-major,
// Fortran order column-major (Armadillo's own layout).
#include "io/npy.hpp"

#include "core/budget.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/files.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace tfm {
namespace {

const char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

struct Header {
    std::string descr;
    bool fortran_order = false;
    std::vector<std::uint64_t> shape;
};

// A parser for exactly the subset of Python literals NumPy writes in the header:
// a dict of 'string' keys to 'strings', True/False, and tuples of integers.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& path) : s_(text), path_(path) {}

    Header parse() {
        Header h;
        bool has_descr = false, has_order = false, has_shape = false;
        expect('{');
        while (true) {
            skip_space();
            if (peek() == '}') break;
            const std::string key = string_literal();
            expect(':');
            if (key == "descr") {
                h.descr = string_literal();
                has_descr = true;
            } else if (key == "fortran_order") {
                h.fortran_order = boolean();
                has_order = true;
            } else if (key == "shape") {
                h.shape = tuple();
                has_shape = true;
            } else {
                fail(tr("unexpected key '{1}' in the header", key));
            }
            skip_space();
            if (peek() == ',')
                ++pos_;
            else if (peek() != '}')
                fail(tr("header dict does not parse (expected ',' or '}')"));
        }
        ++pos_;
        skip_space();
        if (pos_ != s_.size()) fail(tr("header has text after the dict"));
        if (!has_descr || !has_order || !has_shape)
            fail(tr("header lacks one of 'descr', 'fortran_order', 'shape'"));
        return h;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        // TRANSLATORS: a file (or an option), then what is wrong with it.
        throw InputError(tr("{1}: {2}", path_, problem));
    }

    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t'))
            ++pos_;
    }

    void expect(char c) {
        skip_space();
        if (peek() != c) fail(tr("header dict does not parse (expected '{1}')", std::string(1, c)));
        ++pos_;
    }

    std::string string_literal() {
        skip_space();
        const char quote = peek();
        if (quote != '\'' && quote != '"')
            fail(tr("header dict does not parse (expected a string)"));
        const std::size_t end = s_.find(quote, pos_ + 1);
        if (end == std::string::npos) fail(tr("header dict does not parse (unterminated string)"));
        std::string value = s_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        return value;
    }

    bool boolean() {
        skip_space();
        if (s_.compare(pos_, 4, "True") == 0) {
            pos_ += 4;
            return true;
        }
        if (s_.compare(pos_, 5, "False") == 0) {
            pos_ += 5;
            return false;
        }
        fail(tr("header dict does not parse (fortran_order is not True or False)"));
    }

    std::vector<std::uint64_t> tuple() {
        std::vector<std::uint64_t> dims;
        expect('(');
        while (true) {
            skip_space();
            if (peek() == ')') break;
            std::uint64_t d = 0;
            if (peek() < '0' || peek() > '9') fail(tr("header dict does not parse (bad shape)"));
            while (peek() >= '0' && peek() <= '9') {
                if (d > (std::numeric_limits<std::uint64_t>::max() - 9) / 10)
                    fail(tr("shape is too large"));
                d = d * 10 + static_cast<std::uint64_t>(peek() - '0');
                ++pos_;
            }
            if (peek() == 'L') ++pos_;  // Python 2 longs
            dims.push_back(d);
            skip_space();
            if (peek() == ',')
                ++pos_;
            else if (peek() != ')')
                fail(tr("header dict does not parse (bad shape)"));
        }
        ++pos_;
        return dims;
    }

    const std::string& s_;
    const std::string& path_;
    std::size_t pos_ = 0;
};

std::uint64_t read_le(const std::string& bytes, std::size_t at, std::size_t width) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return v;
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::string npy_bytes(const std::vector<std::uint64_t>& shape, const double* data, std::size_t n) {
    std::string header =
        "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
    // Pad with spaces so that magic + version + length + header is a multiple of 64.
    const std::size_t prefix = kMagicSize + 2 + 2;
    const std::size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
    header.append(total - prefix - header.size() - 1, ' ');
    header += '\n';

    std::string bytes(kMagic, kMagicSize);
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    if (n > 0) bytes.append(reinterpret_cast<const char*>(data), n * sizeof(double));
    return bytes;
}

}  // namespace

namespace {

// What the header says, checked against the file's size; the data not yet read.
struct Layout {
    std::vector<std::uint64_t> shape;
    std::uint64_t rows = 0, cols = 0, itemsize = 0, data_start = 0, data_size = 0;
    bool fortran_order = false;
};

Layout read_layout(const std::string& path, FileReader& file) {
    auto fail = [&](const std::string& problem) {
        throw InputError(tr("{1}: {2}", path, problem));
    };
    const std::string start =
        file.read(0, std::min<std::uint64_t>(file.size(), kMagicSize + 2 + 4));
    if (start.size() < kMagicSize + 2 || start.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
        fail(tr("not a .npy file (wrong magic)"));
    const int major = static_cast<unsigned char>(start[6]);
    if (major < 1 || major > 3)
        fail(tr("unsupported .npy version {1}.{2}", major,
                static_cast<int>(static_cast<unsigned char>(start[7]))));
    const std::size_t len_width = major == 1 ? 2 : 4;
    const std::size_t header_start = kMagicSize + 2 + len_width;
    if (start.size() < header_start) fail(tr("truncated header"));
    const std::uint64_t header_len = read_le(start, kMagicSize + 2, len_width);
    if (header_len > file.size() - header_start) fail(tr("truncated header"));

    const std::string text = file.read(header_start, header_len);
    const Header h = HeaderParser(text, path).parse();

    Layout l;
    if (h.descr == "<f8")
        l.itemsize = 8;
    else if (h.descr == "<f4")
        l.itemsize = 4;
    else
        fail(tr("unsupported dtype '{1}' (expected '<f8' or '<f4')", h.descr));
    if (h.shape.empty() || h.shape.size() > 2)
        fail(tr("shape {1} is {2}-D; only 1-D and 2-D arrays are supported", shape_text(h.shape),
                h.shape.size()));

    l.shape = h.shape;
    l.fortran_order = h.fortran_order;
    l.rows = h.shape.size() == 2 ? h.shape[0] : 1;
    l.cols = h.shape.back();
    l.data_start = header_start + header_len;
    l.data_size = file.size() - l.data_start;
    const std::uint64_t rows = l.rows, cols = l.cols, itemsize = l.itemsize;
    // Compare without overflow: rows · cols · itemsize == data_size.
    if (cols != 0 && rows > l.data_size / itemsize / cols)
        fail(tr("shape {1} needs more data than the file holds (truncated?)", shape_text(h.shape)));
    if (rows * cols * itemsize != l.data_size)
        fail(tr("shape {1} needs {2} bytes of data, the file holds {3}", shape_text(h.shape),
                rows * cols * itemsize, l.data_size));
    return l;
}

}  // namespace

arma::mat load_npy(const std::string& path) {
    FileReader file(path);
    const Layout l = read_layout(path, file);
    const std::uint64_t rows = l.rows, cols = l.cols, n = rows * cols;
    // The bytes, the matrix, and its transpose (C order) live at once.
    require_memory(path + " " + shape_text(l.shape),
                   add_sat(l.data_size, mul_sat(n, 2 * sizeof(double))));
    if (n == 0) return arma::mat(rows, cols);
    const std::string bytes = file.read(l.data_start, l.data_size);
    // Fortran order is Armadillo's column-major order; C order is the transpose's.
    const bool column_major = l.fortran_order || rows == 1;
    arma::mat m = column_major ? arma::mat(rows, cols) : arma::mat(cols, rows);
    read_floats(bytes.data(), n, l.itemsize, m.memptr());
    if (!column_major) arma::inplace_trans(m);
    return m;
}

NpyShape read_npy_shape(const std::string& path) {
    FileReader file(path);
    const Layout l = read_layout(path, file);
    return {l.rows, l.cols};
}

void save_npy(const std::string& path, const arma::mat& m) {
    const arma::mat row_major = m.is_empty() ? arma::mat() : arma::mat(m.t());
    write_file_atomically(path, npy_bytes({m.n_rows, m.n_cols}, row_major.memptr(), m.n_elem));
}

void save_npy_vector(const std::string& path, const arma::rowvec& v) {
    write_file_atomically(path, npy_bytes({v.n_elem}, v.memptr(), v.n_elem));
}

}  // namespace tfm
