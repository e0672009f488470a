// Private to src/nn: the safetensors byte layout shared by the reader and the writer.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "recur/nn/safetensors.h"

namespace recur::safetensors::detail {

// The header may not be larger than this (the limit of the reference implementation):
// a hostile length must not make us parse or allocate gigabytes.
inline constexpr std::size_t kMaxHeaderBytes = 100'000'000;

// "F32", "BF16", ... as spelled in safetensors headers.
std::string_view format_name(DType dtype);
std::optional<DType> parse_format_name(std::string_view name);

struct Header {
  std::vector<TensorInfo> tensors;  // sorted by data offset
  std::map<std::string, std::string> metadata;
  std::size_t data_start = 0;  // byte offset of the data section in the file
};

// Validates a whole file image: length prefix, JSON header, every entry, and the layout
// of the data section. Reads only the first 8 + header-length bytes. Throws IoError
// "<name>: <defect>".
Header parse_header(std::span<const std::byte> file, const std::string& name);

}  // namespace recur::safetensors::detail
