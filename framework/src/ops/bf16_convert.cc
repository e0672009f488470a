#include "bf16_convert.h"

#include <bit>

namespace recur::ops::detail {

namespace {

// Buffers above this many elements are converted by all threads.
constexpr std::int64_t kParallel = 1 << 16;

}  // namespace

// Branch-free so the loops vectorise: the NaN case is a select.
void f32_to_bf16(const float* src, std::uint16_t* dst, std::int64_t n) {
#pragma omp parallel for simd if (n > kParallel)
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t u = std::bit_cast<std::uint32_t>(src[i]);
    const std::uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
    dst[i] = static_cast<std::uint16_t>(nan ? ((u >> 16) | 0x40u) : rounded);
  }
}

void bf16_to_f32(const std::uint16_t* src, float* dst, std::int64_t n) {
#pragma omp parallel for simd if (n > kParallel)
  for (std::int64_t i = 0; i < n; ++i) {
    dst[i] = std::bit_cast<float>(static_cast<std::uint32_t>(src[i]) << 16);
  }
}

Tensor to_bf16(const Tensor& x) {
  Tensor y = Tensor::empty(x.shape(), DType::bf16);
  f32_to_bf16(x.data<float>(), static_cast<std::uint16_t*>(y.raw_data()), x.numel());
  return y;
}

}  // namespace recur::ops::detail
