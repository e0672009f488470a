#include "recur/nn/finite.h"

#include <cmath>
#include <cstring>

namespace recur::nn {

namespace {

// The kind of a non-finite value from its bits, or nullptr if it is finite.
const char* kind_f32(const void* p, std::int64_t i) {
  float v;
  std::memcpy(&v, static_cast<const char*>(p) + i * 4, 4);
  if (std::isfinite(v)) return nullptr;
  return std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
}

// bf16 and f16: an all-ones exponent is an infinity (zero mantissa) or a NaN.
template <std::uint16_t kExponent, std::uint16_t kMantissa>
const char* kind_half(const void* p, std::int64_t i) {
  std::uint16_t b;
  std::memcpy(&b, static_cast<const char*>(p) + i * 2, 2);
  if ((b & kExponent) != kExponent) return nullptr;
  if (b & kMantissa) return "NaN";
  return (b & 0x8000) ? "-Inf" : "+Inf";
}

}  // namespace

std::optional<NonFinite> find_nonfinite(const Tensor& t) {
  const char* (*kind)(const void*, std::int64_t) = nullptr;
  switch (t.dtype()) {
    case DType::f32: kind = &kind_f32; break;
    case DType::bf16: kind = &kind_half<0x7f80, 0x007f>; break;
    case DType::f16: kind = &kind_half<0x7c00, 0x03ff>; break;
    default: return std::nullopt;
  }
  std::optional<NonFinite> out;
  const void* data = t.raw_data();
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i) {
    const char* k = kind(data, i);
    if (!k) continue;
    if (!out) out = NonFinite{0, i, k};
    ++out->count;
  }
  return out;
}

std::string describe(const NonFinite& n) {
  return std::to_string(n.count) + (n.count == 1 ? " non-finite value (" : " non-finite values (") +
         n.first_kind + " at index " + std::to_string(n.first) + (n.count == 1 ? ")" : ", the first)");
}

void check_finite(const safetensors::File& file, std::string_view tensor) {
  if (auto bad = find_nonfinite(file.get(tensor))) {
    throw IoError(file.name() + ": " + std::string(tensor) + ": " + describe(*bad));
  }
}

}  // namespace recur::nn
