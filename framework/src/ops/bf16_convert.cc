#include "bf16_convert.h"

#include <bit>

#include "recur/ops/precision.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace recur::ops::detail {

namespace {

// Buffers above this many elements are converted by all threads.
constexpr std::int64_t kParallel = 1 << 16;

// Branch-free so the loop vectorises: the NaN case is a select.
void f32_to_bf16_portable(const float* src, std::uint16_t* dst, std::int64_t n) {
#pragma omp parallel for simd if (n > kParallel)
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t u = std::bit_cast<std::uint32_t>(src[i]);
    const std::uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
    dst[i] = static_cast<std::uint16_t>(nan ? ((u >> 16) | 0x40u) : rounded);
  }
}

#if defined(__x86_64__)
// The CPU's own conversion (VCVTNEPS2BF16, 16 values an instruction): round to nearest
// even as above; it flushes f32 denormals to zero, as oneDNN's bf16 kernels on such a CPU
// do. Only called where cpu_has_bf16().
__attribute__((target("avx512f,avx512bf16,avx512vl,avx512bw"))) void f32_to_bf16_native(const float* src,
                                                                                         std::uint16_t* dst,
                                                                                         std::int64_t n) {
  const std::int64_t whole = n / 16 * 16;
#pragma omp parallel for if (n > kParallel)
  for (std::int64_t i = 0; i < whole; i += 16) {
    const __m256bh b = _mm512_cvtneps_pbh(_mm512_loadu_ps(src + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), reinterpret_cast<const __m256i&>(b));
  }
  if (whole < n) f32_to_bf16_portable(src + whole, dst + whole, n - whole);
}
#endif

}  // namespace

void f32_to_bf16(const float* src, std::uint16_t* dst, std::int64_t n) {
#if defined(__x86_64__)
  static const bool native = cpu_has_bf16();
  if (native) return f32_to_bf16_native(src, dst, n);
#endif
  f32_to_bf16_portable(src, dst, n);
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
