// Private to src/ops: the pieces shared by the small-layer kernels (small_rnn_forward.h,
// small_rnn_backward.h) on either vector instruction set V (small_rnn_avx512.h,
// small_rnn_avx2.h): the tiling of rows, masked stores and the gate functions. Included
// under the instruction set's target (small_rnn_avx512.cc, small_rnn_avx2.cc).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

namespace recur::ops::detail::small {

// Calls tile.template operator()<Tile>(row0) for every full tile of Tile rows of `rows`,
// whole tiles shared among up to `threads` threads (two dozen rows each at least: rows
// are independent), then tile.template operator()<R>(row0) once for the R < Tile rows left.
template <int Tile, typename F>
void for_each_tile(std::int64_t rows, int threads, const F& tile) {
  const std::int64_t tiles = rows / Tile;
  const int team = static_cast<int>(std::clamp<std::int64_t>(tiles * Tile / 24, 1, std::max(threads, 1)));
#pragma omp parallel for num_threads(team) schedule(static) if (team > 1)
  for (std::int64_t i = 0; i < tiles; ++i) tile.template operator()<Tile>(i * Tile);
  const std::int64_t row0 = tiles * Tile;
  [&]<int... R>(std::integer_sequence<int, R...>) {
    ((rows - row0 == R + 1 ? tile.template operator()<R + 1>(row0) : void()), ...);
  }(std::make_integer_sequence<int, Tile - 1>());
}

// Stores each of `blocks` (masked) at `at`, `at + stride`, `at + 2 stride`, ...
template <class V, typename... Blocks>
inline void store_blocks(float* at, typename V::Mask lanes, std::int64_t stride, Blocks... blocks) {
  ((V::store(at, lanes, blocks), at += stride), ...);
}

// 1 / (1 + 2^y), the one transcendental of both gate functions. y = n + f with n an
// integer and |f| <= 1/2; 2^f by a degree-6 polynomial fitted for least maximum relative
// error (1.9e-9; 1.0e-7 with float rounding), times 2^n; the reciprocal from an estimate
// and Newton steps (V::reciprocal). y is clamped to +-126 first: 2^y stays a normal
// number (a denormal operand would cost microcode assists) and the result already rounds
// to its limit there; a NaN stays a NaN.
template <class V>
inline typename V::Reg inv_one_plus_exp2(typename V::Reg y) {
  y = V::clamp(y, -126.0f, 126.0f);
  const typename V::Reg n = V::round(y), f = V::sub(y, n);
  typename V::Reg p = V::set1(0.00015345789142884314f);
  p = V::fmadd(p, f, V::set1(0.0013399928575381637f));
  p = V::fmadd(p, f, V::set1(0.009618489071726799f));
  p = V::fmadd(p, f, V::set1(0.05550328642129898f));
  p = V::fmadd(p, f, V::set1(0.24022646248340607f));
  p = V::fmadd(p, f, V::set1(0.6931471824645996f));
  p = V::fmadd(p, f, V::set1(1.0f));
  return V::reciprocal(V::add(V::set1(1.0f), V::scale2(p, n)));
}

constexpr float kLog2e = 1.44269504088896341f;

// sigmoid x = 1 / (1 + 2^(-x log2 e)).
template <class V>
inline typename V::Reg sigmoid(typename V::Reg x) {
  return inv_one_plus_exp2<V>(V::mul(x, V::set1(-kLog2e)));
}

// tanh x = 2 sigmoid(2x) - 1: within 1.2e-7 of tanh everywhere (absolute).
template <class V>
inline typename V::Reg tanh(typename V::Reg x) {
  return V::fmsub(V::set1(2.0f), inv_one_plus_exp2<V>(V::mul(x, V::set1(-2 * kLog2e))), V::set1(1.0f));
}

}  // namespace recur::ops::detail::small
