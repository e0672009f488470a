// Private to src/ops: the small-layer kernels' vector operations on AVX-512F (16 floats a
// register, 32 registers, mask registers). Included by small_rnn_avx512.cc only, whose
// kernels are compiled for AVX-512F; the generic code (small_rnn_math.h,
// small_rnn_forward.h, small_rnn_backward.h) calls these through its parameter V.
#pragma once

#include <immintrin.h>

#include <cstdint>

// GCC 12 reports the _mm512_undefined_ps inside vscalefps / vrndscaleps intrinsics as
// maybe uninitialized, and inside _mm512_reduce_max_ps as uninitialized (GCC bug
// 105593): nothing of these files' is.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#define RECUR_AVX512 __attribute__((target("avx512f"), always_inline)) static inline

namespace recur::ops::detail::small {

struct Avx512 {
  using Reg = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  // Rows carried together: 4 accumulators x kTile rows (LSTM: the four gates; GRU: u, r
  // and o's input and hidden products apart), plus the weight vectors and a broadcast,
  // fit the 32 vector registers.
  static constexpr int kTile = 6;

  // The lanes of the block of kLanes columns from `col` that lie below `width`.
  RECUR_AVX512 Mask lanes_below(std::int64_t width, std::int64_t col) {
    return width - col >= kLanes ? Mask{0xFFFF} : static_cast<Mask>((1u << (width - col)) - 1);
  }
  RECUR_AVX512 Reg load(const float* p) { return _mm512_load_ps(p); }  // aligned
  RECUR_AVX512 void store(float* p, Reg v) { _mm512_store_ps(p, v); }  // aligned
  RECUR_AVX512 Reg loadu(const float* p) { return _mm512_loadu_ps(p); }
  RECUR_AVX512 void storeu(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  RECUR_AVX512 Reg load(Mask m, const float* p) { return _mm512_maskz_loadu_ps(m, p); }  // 0 elsewhere
  RECUR_AVX512 void store(float* p, Mask m, Reg v) { _mm512_mask_storeu_ps(p, m, v); }
  RECUR_AVX512 Reg set1(float v) { return _mm512_set1_ps(v); }
  RECUR_AVX512 Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  RECUR_AVX512 Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
  RECUR_AVX512 Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  RECUR_AVX512 Reg fmadd(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }    // a b + c
  RECUR_AVX512 Reg fnmadd(Reg a, Reg b, Reg c) { return _mm512_fnmadd_ps(a, b, c); }  // c - a b
  RECUR_AVX512 Reg fmsub(Reg a, Reg b, Reg c) { return _mm512_fmsub_ps(a, b, c); }    // a b - c
  // v where y is not below lo (a NaN y keeps v), 0 elsewhere.
  RECUR_AVX512 Reg zero_below(Reg v, Reg y, float lo) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(y, _mm512_set1_ps(lo), _CMP_NLT_UQ), v); }
  RECUR_AVX512 Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  RECUR_AVX512 float reduce_max(Reg v) { return _mm512_reduce_max_ps(v); }
  RECUR_AVX512 float reduce_add(Reg v) { return _mm512_reduce_add_ps(v); }
  // min(hi, max(lo, v)); a NaN stays a NaN.
  RECUR_AVX512 Reg clamp(Reg v, float lo, float hi) {
    return _mm512_max_ps(_mm512_set1_ps(lo), _mm512_min_ps(_mm512_set1_ps(hi), v));
  }
  RECUR_AVX512 Reg round(Reg v) { return _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // p 2^n for integral n in [-126, 126].
  RECUR_AVX512 Reg scale2(Reg p, Reg n) { return _mm512_scalef_ps(p, n); }
  // 1 / d: vrcp14ps (relative error under 2^-14) and one Newton step (under 2^-27), a
  // third of the time of a division.
  RECUR_AVX512 Reg reciprocal(Reg d) {
    const Reg r = _mm512_rcp14_ps(d);
    return _mm512_fmadd_ps(_mm512_fnmadd_ps(d, r, _mm512_set1_ps(1.0f)), r, r);
  }
};

}  // namespace recur::ops::detail::small
