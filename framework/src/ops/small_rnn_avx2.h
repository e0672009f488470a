// Private to src/ops: the small-layer kernels' vector operations on AVX2 with FMA (8 floats
// a register, 16 registers, masks as integer vectors): the CPUs without AVX-512 (AMD
// before Zen 4, most Intel client cores). Included by small_rnn_avx2.cc only; the same
// generic kernels as small_rnn_avx512.h's.
#pragma once

#include <immintrin.h>

#include <cstdint>

#define RECUR_AVX2 __attribute__((target("avx2,fma"), always_inline)) static inline

namespace recur::ops::detail::small {

struct Avx2 {
  using Reg = __m256;
  // The lanes as an integer vector for vmaskmovps, and whether that is all of them: a full
  // block loads and stores without the mask (AMD microcodes vmaskmovps stores).
  struct Mask {
    __m256i lanes;
    bool full;
  };
  static constexpr int kLanes = 8;
  // 4 accumulators x kTile rows, the weight vectors and a broadcast: the 16 registers, with
  // a spill or two that cost less than a third more weight loads (measured against 2).
  static constexpr int kTile = 3;

  RECUR_AVX2 Mask lanes_below(std::int64_t width, std::int64_t col) {
    const int left = width - col >= kLanes ? kLanes : static_cast<int>(width - col);
    return {_mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)), left == kLanes};
  }
  RECUR_AVX2 Reg load(const float* p) { return _mm256_load_ps(p); }  // aligned
  RECUR_AVX2 void store(float* p, Reg v) { _mm256_store_ps(p, v); }  // aligned
  RECUR_AVX2 Reg loadu(const float* p) { return _mm256_loadu_ps(p); }
  RECUR_AVX2 void storeu(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  RECUR_AVX2 Reg load(Mask m, const float* p) {  // 0 elsewhere
    return m.full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, m.lanes);
  }
  RECUR_AVX2 void store(float* p, Mask m, Reg v) {
    if (m.full) {
      _mm256_storeu_ps(p, v);
    } else {
      _mm256_maskstore_ps(p, m.lanes, v);
    }
  }
  RECUR_AVX2 Reg set1(float v) { return _mm256_set1_ps(v); }
  RECUR_AVX2 Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  RECUR_AVX2 Reg sub(Reg a, Reg b) { return _mm256_sub_ps(a, b); }
  RECUR_AVX2 Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  RECUR_AVX2 Reg fmadd(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }    // a b + c
  RECUR_AVX2 Reg fnmadd(Reg a, Reg b, Reg c) { return _mm256_fnmadd_ps(a, b, c); }  // c - a b
  RECUR_AVX2 Reg fmsub(Reg a, Reg b, Reg c) { return _mm256_fmsub_ps(a, b, c); }    // a b - c
  // v where y is not below lo (a NaN y keeps v), 0 elsewhere.
  RECUR_AVX2 Reg zero_below(Reg v, Reg y, float lo) { return _mm256_and_ps(v, _mm256_cmp_ps(y, _mm256_set1_ps(lo), _CMP_NLT_UQ)); }
  RECUR_AVX2 Reg max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
  RECUR_AVX2 float reduce_max(Reg v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
  }
  RECUR_AVX2 float reduce_add(Reg v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
  // min(hi, max(lo, v)); a NaN stays a NaN (vminps / vmaxps return their second operand
  // when either is a NaN).
  RECUR_AVX2 Reg clamp(Reg v, float lo, float hi) {
    return _mm256_max_ps(_mm256_set1_ps(lo), _mm256_min_ps(_mm256_set1_ps(hi), v));
  }
  RECUR_AVX2 Reg round(Reg v) { return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // p 2^n for integral n in [-126, 126]: 2^n built in the exponent field (a NaN n gives
  // some finite factor, but p is a NaN then too).
  RECUR_AVX2 Reg scale2(Reg p, Reg n) {
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
  }
  // 1 / d: vrcpps (relative error under 1.5 2^-12) and two Newton steps (under 2^-24).
  RECUR_AVX2 Reg reciprocal(Reg d) {
    const Reg one = _mm256_set1_ps(1.0f);
    Reg r = _mm256_rcp_ps(d);
    r = _mm256_fmadd_ps(_mm256_fnmadd_ps(d, r, one), r, r);
    return _mm256_fmadd_ps(_mm256_fnmadd_ps(d, r, one), r, r);
  }
};

}  // namespace recur::ops::detail::small
