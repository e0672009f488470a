// Private to the ops layer: a tensor's values in the layout a primitive prefers,
// reordered once per version of the tensor's storage and kept with the storage
// (recur/core/derived_cache.h) for the calls that follow. This is how inference reads
// weights: a decoder calls the same primitives with the same weights once per output
// step, and a reorder per call would cost a quarter of the step.
#pragma once

#include <cstdint>
#include <dnnl.hpp>

#include "recur/core/tensor.h"

namespace recur::ops::detail {

// A memory holding `t`'s values in layout `want`. `plain` describes t's own bytes (it
// may be a permuted view, as a transposed matmul operand). When `want` equals `plain`
// this is t's memory itself; otherwise a reordered copy, made on the first call and
// served from t's storage while the storage's version is unchanged. The copy is
// read-only: primitives may take it only as an input.
dnnl::memory cached_layout(const Tensor& t, const dnnl::memory::desc& plain,
                           const dnnl::memory::desc& want);

// How many reorders cached_layout has performed in this process (its misses), for
// tests that check copies are reused.
std::uint64_t cached_layout_reorders();

}  // namespace recur::ops::detail
