// safetensors files (https://huggingface.co/docs/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {..}}
// and the raw tensor bytes. The reader memory-maps the file and validates everything
// before any tensor is touched; the writer is atomic (temporary file, fsync, rename).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::safetensors {

struct TensorInfo {
  std::string name;
  DType dtype;
  Shape shape;
  std::size_t begin = 0;  // byte offsets into the data section
  std::size_t end = 0;
};

class File {
 public:
  // Maps and validates `path`; any defect is an IoError naming the file and the defect.
  static File open(const std::filesystem::path& path);
  // Validates an in-memory image (copied); `name` stands for the file in messages.
  static File from_bytes(std::span<const std::byte> bytes, const std::string& name);

  const std::string& name() const;
  const std::vector<TensorInfo>& tensors() const;  // in data (offset) order
  bool contains(std::string_view tensor) const;
  const TensorInfo& info(std::string_view tensor) const;  // IoError if absent
  // A tensor viewing the mapped bytes (copy-on-write mapping: writes stay private); a
  // tensor at an offset misaligned for its dtype is copied instead. Keeps the file mapped.
  Tensor get(std::string_view tensor) const;
  // The tensor converted to f32 (F32/F16/BF16 only), in its own storage.
  Tensor get_f32(std::string_view tensor) const;
  const std::map<std::string, std::string>& metadata() const;

  struct Impl;

 private:
  explicit File(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

// Writes tensors and metadata atomically to `path` (IoError naming the path on failure).
// Data is ordered by element size, largest first, otherwise in the given order, so every
// tensor is aligned for zero-copy reading.
void save(const std::filesystem::path& path,
          const std::vector<std::pair<std::string, Tensor>>& tensors,
          const std::map<std::string, std::string>& metadata = {});

}  // namespace recur::safetensors
