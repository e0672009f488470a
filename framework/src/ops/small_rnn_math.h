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

// 2^f for |f| <= 1/2 (a little more does no harm): a degree-6 polynomial fitted for least
// maximum relative error (1.9e-9; 1.0e-7 with float rounding).
template <class V>
inline typename V::Reg exp2_fraction(typename V::Reg f) {
  typename V::Reg p = V::set1(0.00015345789142884314f);
  p = V::fmadd(p, f, V::set1(0.0013399928575381637f));
  p = V::fmadd(p, f, V::set1(0.009618489071726799f));
  p = V::fmadd(p, f, V::set1(0.05550328642129898f));
  p = V::fmadd(p, f, V::set1(0.24022646248340607f));
  p = V::fmadd(p, f, V::set1(0.6931471824645996f));
  return V::fmadd(p, f, V::set1(1.0f));
}

// 2^y = 2^n 2^f, n = round(y). y is clamped to +-126 first: 2^y stays a normal number (a
// denormal operand would cost microcode assists; 2^-126 stands for anything smaller); a
// NaN stays a NaN.
template <class V>
inline typename V::Reg exp2(typename V::Reg y) {
  y = V::clamp(y, -126.0f, 126.0f);
  const typename V::Reg n = V::round(y);
  return V::scale2(exp2_fraction<V>(V::sub(y, n)), n);
}

constexpr float kLog2e = 1.44269504088896341f;
// ln 2 split in two (Cody and Waite): n ln2_hi is exact for |n| <= 126.
constexpr float kLn2Hi = 0.693145751953125f, kLn2Lo = 1.42860676533018704e-06f;
// exp's range here: e^x for x below it is taken as e^kExpFloor = 2^-126.
constexpr float kExpFloor = -126 * 0.693147180559945309f;

// e^x = 2^n 2^f with n = round(x log2 e) and f = (x - n ln 2) log2 e, the difference taken
// in two exact steps: the error is that of 2^f (1e-7 relative) at any |x|, where
// exp2(x log2 e) would add the rounding of the product (4e-6 relative at x = -60). x is
// clamped to +-kExpFloor as exp2 clamps; a NaN stays a NaN.
template <class V>
inline typename V::Reg exp(typename V::Reg x) {
  x = V::clamp(x, kExpFloor, -kExpFloor);
  const typename V::Reg n = V::round(V::mul(x, V::set1(kLog2e)));
  const typename V::Reg r = V::fnmadd(n, V::set1(kLn2Lo), V::fnmadd(n, V::set1(kLn2Hi), x));
  return V::scale2(exp2_fraction<V>(V::mul(r, V::set1(kLog2e))), n);
}

// 1 / (1 + 2^y), the one transcendental of both gate functions; the reciprocal from an
// estimate and Newton steps (V::reciprocal). The result already rounds to its limit
// where exp2 clamps y.
template <class V>
inline typename V::Reg inv_one_plus_exp2(typename V::Reg y) {
  return V::reciprocal(V::add(V::set1(1.0f), exp2<V>(y)));
}

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
