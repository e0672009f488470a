// Validation of a safetensors image. Everything here works on untrusted bytes: every
// count is range-checked before it is used, and no tensor byte is read.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "safetensors_format.h"

namespace recur::safetensors::detail {

namespace {

// std::map objects: lookups stay logarithmic however many entries a hostile header has
// (ordered_json searches linearly). Header order is not needed: tensors sort by offset.
using Json = nlohmann::json;

constexpr DType kDTypes[] = {DType::f32, DType::f16, DType::bf16,
                             DType::i32, DType::i64, DType::u8};
// Valid in the format, but recur has no tensor type for them.
constexpr std::string_view kUnsupported[] = {"F64", "I8",   "I16",     "U16",    "U32",
                                             "U64", "BOOL", "F8_E4M3", "F8_E5M2"};

[[noreturn]] void fail(const std::string& file, const std::string& what) {
  throw IoError(file + ": " + what);
}

std::string offsets_str(std::uint64_t begin, std::uint64_t end) {
  std::string s = "[";  // built in steps: GCC 12 warns falsely (-Wrestrict) on "[" + ...
  s += std::to_string(begin);
  s += ", ";
  s += std::to_string(end);
  s += ']';
  return s;
}

// nlohmann's messages quote the bytes last read ("; last read: '<text>'"): the file may
// be any file, and its contents have no place in an error message.
std::string without_text(std::string what) {
  const std::size_t quote = what.find("; last read: '");
  if (quote == std::string::npos) return what;
  const std::size_t expected = what.find("'; expected", quote);
  what.erase(quote, expected == std::string::npos ? std::string::npos : expected + 1 - quote);
  return what;
}

std::uint64_t read_u64_le(const std::byte* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

// A first, streaming pass over the header text, before any DOM is built. It reports
// syntax errors with their position, refuses nesting deeper than a header can need (a
// DOM of millions of nested objects would take gigabytes), and finds duplicate keys,
// which nlohmann's DOM parser would silently resolve to the last one. (Its parser
// callback could see keys too, but makes parsing quadratic in the number of entries.)
class HeaderScan final : public nlohmann::json_sax<Json> {
 public:
  static constexpr std::size_t kMaxDepth = 16;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    keys_.emplace_back();
    return enter();
  }
  bool key(string_t& key) override;
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const Json::exception& e) override {
    std::string what = e.what();
    if (auto p = what.find("] "); what.starts_with("[json.exception") && p != std::string::npos) {
      what = what.substr(p + 2);  // drop nlohmann's "[json.exception.parse_error.101] "
    }
    defect_ = "header is not valid JSON: " + without_text(what);
    return false;
  }

  const std::string& defect() const { return defect_; }

 private:
  bool enter() {
    if (++depth_ <= kMaxDepth) return true;
    defect_ = "header nests deeper than " + std::to_string(kMaxDepth) + " levels";
    return false;
  }

  std::size_t depth_ = 0;
  std::vector<std::set<std::string>> keys_;  // keys of each open object
  std::string top_key_;
  std::string defect_;
};

bool HeaderScan::key(string_t& key) {
  bool top = keys_.size() == 1;
  if (!keys_.back().insert(key).second) {
    defect_ = top ? "duplicate tensor name '" + key + "' in the header"
                  : "duplicate key '" + key + "' inside '" + top_key_ + "'";
    return false;
  }
  if (top) top_key_ = key;
  return true;
}

Json parse_json(std::span<const std::byte> text, const std::string& file) {
  const char* begin = reinterpret_cast<const char*>(text.data());
  const char* end = begin + text.size();
  HeaderScan scan;
  if (!Json::sax_parse(begin, end, &scan)) fail(file, scan.defect());
  Json j;
  try {
    j = Json::parse(begin, end);  // the scan accepted the same text
  } catch (const Json::exception& e) {
    fail(file, "header is not valid JSON: " + without_text(e.what()));
  }
  if (!j.is_object()) fail(file, std::string("header is a JSON ") + j.type_name() + ", not an object");
  return j;
}

DType parse_dtype(const Json& v, const std::string& where, const std::string& file) {
  if (!v.is_string()) fail(file, where + " dtype is a " + v.type_name() + ", not a string");
  const auto& s = v.get_ref<const std::string&>();
  if (auto d = parse_format_name(s)) return *d;
  bool known = std::find(std::begin(kUnsupported), std::end(kUnsupported), s) != std::end(kUnsupported);
  fail(file, where + (known ? " has unsupported dtype '" : " has unknown dtype '") + s +
                 "' (recur reads F32, F16, BF16, I32, I64, U8)");
}

Shape parse_shape(const Json& v, const std::string& where, const std::string& file) {
  if (!v.is_array()) fail(file, where + " shape is a " + v.type_name() + ", not an array");
  Shape shape;
  for (const Json& d : v) {
    if (d.is_number_unsigned()) {
      auto u = d.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(file, where + " shape " + v.dump() + " has a dimension beyond 2^63-1");
      }
      shape.push_back(static_cast<std::int64_t>(u));
    } else if (d.is_number_integer()) {
      fail(file, where + " shape " + v.dump() + " has negative dimension " + d.dump());
    } else {
      fail(file, where + " shape " + v.dump() + " holds " + d.dump() + ", not an integer");
    }
  }
  return shape;
}

// Bytes the tensor needs, or a defect if numel * element size does not fit 64 bits.
std::uint64_t needed_bytes(const Shape& shape, DType dtype, const std::string& where,
                           const std::string& file) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t n = dtype_size(dtype);
  for (std::int64_t d : shape) {
    auto u = static_cast<std::uint64_t>(d);
    if (u != 0 && n > kMax / u) {
      // Even if a later dimension is 0: the running product must stay representable.
      fail(file, where + " " + std::string(format_name(dtype)) + " " + shape_str(shape) +
                     " overflows: its byte size does not fit in 63 bits");
    }
    n *= u;
  }
  return n;
}

void parse_offsets(const Json& v, TensorInfo& info, const std::string& where,
                   const std::string& file) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number_unsigned() || !v[1].is_number_unsigned()) {
    fail(file, where + " data_offsets " + v.dump() + " are not two non-negative integers");
  }
  info.begin = v[0].get<std::uint64_t>();
  info.end = v[1].get<std::uint64_t>();
  if (info.end < info.begin) {
    fail(file, where + " data_offsets " + offsets_str(info.begin, info.end) + " end before they begin");
  }
}

TensorInfo parse_entry(const std::string& name, const Json& v, const std::string& file) {
  const std::string where = "tensor '" + name + "'";
  if (!v.is_object()) fail(file, where + " is a " + v.type_name() + ", not an object");
  for (const auto& [key, value] : v.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      fail(file, where + " has unexpected key '" + key + "'");
    }
  }
  for (const char* key : {"dtype", "shape", "data_offsets"}) {
    if (!v.contains(key)) fail(file, where + " has no '" + key + "'");
  }
  TensorInfo info;
  info.name = name;
  info.dtype = parse_dtype(v["dtype"], where, file);
  info.shape = parse_shape(v["shape"], where, file);
  parse_offsets(v["data_offsets"], info, where, file);
  std::uint64_t need = needed_bytes(info.shape, info.dtype, where, file);
  if (info.end - info.begin != need) {
    fail(file, where + " data_offsets " + offsets_str(info.begin, info.end) + " hold " +
                   std::to_string(info.end - info.begin) + " bytes but " +
                   std::string(format_name(info.dtype)) + " " + shape_str(info.shape) +
                   " needs " + std::to_string(need));
  }
  return info;
}

std::map<std::string, std::string> parse_metadata(const Json& v, const std::string& file) {
  if (!v.is_object()) {
    fail(file, std::string("__metadata__ is a ") + v.type_name() + ", not an object of strings");
  }
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : v.items()) {
    if (!value.is_string()) {
      fail(file, "__metadata__ value of '" + key + "' is a " + value.type_name() + ", not a string");
    }
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

// Tensors must tile the data section exactly: sorted by offset, each begins where the
// previous ends, the first at 0, the last at the end of the file.
void check_layout(std::vector<TensorInfo>& tensors, std::uint64_t data_size, const std::string& file) {
  std::stable_sort(tensors.begin(), tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t pos = 0;
  const TensorInfo* prev = nullptr;
  for (const TensorInfo& t : tensors) {
    auto here = [&t] { return "tensor '" + t.name + "' data_offsets " + offsets_str(t.begin, t.end); };
    if (t.begin < pos) {
      fail(file, here() + " overlap tensor '" + prev->name + "' data_offsets " +
                     offsets_str(prev->begin, prev->end));
    }
    if (t.begin > pos) {
      fail(file, "gap of " + std::to_string(t.begin - pos) + " bytes before " + here() +
                     (prev ? " (tensor '" + prev->name + "' ends at " + std::to_string(pos) + ")"
                           : " (the data section starts at 0)"));
    }
    if (t.end > data_size) {
      fail(file, here() + " run past the end of the data section (" + std::to_string(data_size) +
                     " bytes)");
    }
    pos = t.end;
    prev = &t;
  }
  if (pos < data_size) {
    fail(file, std::to_string(data_size - pos) + " trailing bytes after the last tensor (data ends at " +
                   std::to_string(pos) + " of " + std::to_string(data_size) + ")");
  }
}

}  // namespace

std::string_view format_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "F32";
    case DType::f16: return "F16";
    case DType::bf16: return "BF16";
    case DType::i32: return "I32";
    case DType::i64: return "I64";
    case DType::u8: return "U8";
  }
  return "?";
}

std::optional<DType> parse_format_name(std::string_view name) {
  for (DType d : kDTypes) {
    if (format_name(d) == name) return d;
  }
  return std::nullopt;
}

Header parse_header(std::span<const std::byte> file, const std::string& name) {
  if (file.size() < 8) {
    fail(name, "file is " + std::to_string(file.size()) +
                   " bytes, too short for the 8-byte header length");
  }
  std::uint64_t n = read_u64_le(file.data());
  if (n > kMaxHeaderBytes) {
    // Beyond the limit, the 8 bytes are rarely a length (often text of another file):
    // their value is not shown.
    fail(name, "not a safetensors file: its first 8 bytes are not a header length (they give "
               "more than the limit of " + std::to_string(kMaxHeaderBytes) +
               " bytes; the file is " + std::to_string(file.size()) + " bytes)");
  }
  if (n > file.size() - 8) {
    fail(name, "header length " + std::to_string(n) + " runs past the end of the file (" +
                   std::to_string(file.size()) + " bytes)");
  }
  Json j = parse_json(file.subspan(8, n), name);
  Header h;
  h.data_start = 8 + n;
  for (const auto& [key, value] : j.items()) {
    if (key == "__metadata__") {
      h.metadata = parse_metadata(value, name);
    } else {
      h.tensors.push_back(parse_entry(key, value, name));
    }
  }
  check_layout(h.tensors, file.size() - h.data_start, name);
  return h;
}

}  // namespace recur::safetensors::detail
