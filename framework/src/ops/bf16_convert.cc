#include "bf16_convert.h"

#include <omp.h>

#include <algorithm>
#include <bit>
#include <vector>

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

// Each thread converts a contiguous run of rows and sums them into its own row of
// partial sums, added up in thread order after: the same result for the same team.
Tensor to_bf16_summing_columns(const Tensor& x, Tensor& sums) {
  const std::int64_t rows = x.dim(0), n = x.dim(1);
  Tensor y = Tensor::empty(x.shape(), DType::bf16);
  sums = Tensor::zeros({n});
  const float* src = x.data<float>();
  auto* dst = static_cast<std::uint16_t*>(y.raw_data());
  const int team = rows * n > kParallel ? std::max(1, std::min<int>(omp_get_max_threads(), static_cast<int>(rows))) : 1;
  std::vector<float> partial(static_cast<std::size_t>(team * n), 0.0f);
#pragma omp parallel num_threads(team) if (team > 1)
  {
    const std::int64_t t = omp_get_thread_num(), threads = omp_get_num_threads();
    const std::int64_t first = rows * t / threads, last = rows * (t + 1) / threads;
    float* acc = partial.data() + t * n;
    for (std::int64_t r = first; r < last; ++r) {
      const float* row = src + r * n;
      f32_to_bf16(row, dst + r * n, n);
#pragma omp simd
      for (std::int64_t c = 0; c < n; ++c) acc[c] += row[c];
    }
  }
  float* out = sums.data<float>();
  for (int t = 0; t < team; ++t) {
    const float* acc = partial.data() + t * n;
    for (std::int64_t c = 0; c < n; ++c) out[c] += acc[c];
  }
  return y;
}

}  // namespace recur::ops::detail
