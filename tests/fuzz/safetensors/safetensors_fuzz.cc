// libFuzzer entry: any byte string is either a valid safetensors image, whose every tensor
// can then be read in full, or an IoError. Anything else (crash, sanitizer report, other
// exception, or an accepted image whose tensors do not tile the file) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "recur/nn/safetensors.h"

namespace {

std::uint64_t header_length(const std::uint8_t* data) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | data[i];
  return n;
}

// Reads every byte of every tensor, through both accessors.
std::uint64_t touch_all(const recur::safetensors::File& file) {
  std::uint64_t total = 0;
  std::uint8_t checksum = 0;
  for (const auto& info : file.tensors()) {
    recur::Tensor t = file.get(info.name);
    const auto* p = static_cast<const std::uint8_t*>(t.raw_data());
    for (std::size_t i = 0; i < t.nbytes(); ++i) checksum ^= p[i];
    if (t.nbytes() != info.end - info.begin || t.shape() != info.shape) __builtin_trap();
    if (info.dtype == recur::DType::f32 || info.dtype == recur::DType::f16 ||
        info.dtype == recur::DType::bf16) {
      recur::Tensor f = file.get_f32(info.name);
      volatile float sink = f.numel() ? f.data<float>()[f.numel() - 1] : 0.0f;
      (void)sink;
    }
    total += t.nbytes();
  }
  volatile std::uint8_t sink = checksum;
  (void)sink;
  return total;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  try {
    recur::safetensors::File file = recur::safetensors::File::from_bytes(bytes, "fuzz.safetensors");
    std::uint64_t tensor_bytes = touch_all(file);
    // An accepted image is exactly length prefix + header + tensors: nothing unaccounted.
    if (8 + header_length(data) + tensor_bytes != size) __builtin_trap();
    // Decoded JSON strings are never longer than their text in the header.
    std::uint64_t text = 0;
    for (const auto& [key, value] : file.metadata()) text += key.size() + value.size();
    if (text > header_length(data)) __builtin_trap();
  } catch (const recur::IoError&) {
    // The expected outcome for malformed input.
  }
  return 0;
}
