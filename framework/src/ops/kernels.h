// Private to the ops layer: unrecorded oneDNN kernels that several ops share. Each
// creates its primitive once per shape (PrimitiveCache) and runs it on plain row-major
// tensors. The public ops check arguments and record gradients; these do neither.
#pragma once

#include <dnnl.hpp>
#include <string>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/ops/precision.h"

namespace recur::ops::detail {

// dst = a (alg) b: a has dst's shape, b broadcasts to it (torch rules). dst may be a.
void run_binary(dnnl::algorithm alg, const Tensor& a, const Tensor& b, Tensor& dst);

// alpha * x + beta, elementwise.
Tensor run_linear(const Tensor& x, float alpha, float beta);

// x broadcast to `shape` (x's shape must broadcast to it), as a new tensor.
Tensor run_expand(const Tensor& x, const Shape& shape);

// Sum (or mean) of x over the dimensions where `keep` (same rank as x after padding
// with leading 1s) has size 1: the result has shape `keep`.
Tensor run_reduce(const Tensor& x, const Shape& keep, bool mean);

// Copies the elements described by `src_md` at `src` into `dst_md` at `dst` (oneDNN
// reorder; descriptors may carry any strides). `key` names the layouts for the
// primitive cache.
void run_reorder(const void* src, const dnnl::memory::desc& src_md, void* dst,
                 const dnnl::memory::desc& dst_md, const std::string& key);

// Indices [start, start + length) of `axis` of x, as a new tensor.
Tensor run_narrow(const Tensor& x, std::int64_t axis, std::int64_t start, std::int64_t length);
// Writes `part` into indices [start, start + part.dim(axis)) of `axis` of `whole`.
void run_narrow_into(const Tensor& part, Tensor& whole, std::int64_t axis, std::int64_t start);
// Tensors of equal rank joined along `axis` (oneDNN concat).
Tensor run_concat(const std::vector<Tensor>& xs, std::int64_t axis);

}  // namespace recur::ops::detail

namespace recur::ops::detail {

// How run_matmul reads b: as stored (row-major, transposed by strides), or in the
// layout oneDNN prefers, reordered once per version of b's storage and kept with it
// (layout_cache.h) — for a weight that many calls read unchanged (inference).
enum class WeightLayout { as_stored, preferred };

// op(a) x op(b) (+ bias [1, N] broadcast over rows), where op transposes the last two
// dimensions (as strides, no copy). a, b: rank 2, or rank 3 with the same batch.
// `precision` bf16 multiplies bf16 copies of a and b (b's kept with it when preferred;
// an operand given in bf16 is used as is) with f32 accumulation; the bias and the output
// stay f32 (recur/ops/precision.h).
Tensor run_matmul(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b,
                  const Tensor& bias = Tensor(), WeightLayout layout = WeightLayout::as_stored,
                  Precision precision = Precision::f32);

// x [M, K] times weight [N, K] transposed (+ bias [N]) in dynamic int8 (linear_int8.cc:
// the weight quantized per output row once per version, x per call with one scale;
// s8 x s8 products accumulated in s32, rescaled to f32).
Tensor run_linear_int8(const Tensor& x, const Tensor& weight, const Tensor& bias);

}  // namespace recur::ops::detail
