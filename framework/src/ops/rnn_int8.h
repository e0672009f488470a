// Int8 LSTM layers (inference precision int8): oneDNN 2.6's u8s8 LSTM, whose gate
// products multiply 8-bit integers and sum in s32; the gates, cell state, hidden state
// and output stay f32. Private to src/ops.
//
// oneDNN quantizes the layer input and the hidden state with one affine map, fixed when
// the primitive is made: u = 127 v + 128 in u8 (rnn_primitives.h), right for hidden
// states, which lie in [-1, 1]. An input reaches wider (an embedding row, a scaled
// series value), so the input is fed as x / alpha with alpha the power of two at or
// above the call's largest |x| (dynamic, as PyTorch's quantize_dynamic measures its
// inputs per call: nothing clips), and the layer weight as alpha W_ih, which leaves
// every gate product unchanged. Both weights share oneDNN's per gate column scales:
// column c maps max(alpha max |W_ih[:, c]|, max |W_hh[:, c]|) onto 127.
//
// The s8 weights (in the primitives' own layout, with oneDNN's compensation for the
// input's shift) and their scales are made once per version of the weights and alpha and
// kept with W_ih's storage (recur/core/derived_cache.h); alpha being a power of two, a
// job sees one or two of them per layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <dnnl.hpp>
#include <memory>

#include "recur/ops/rnn.h"
#include "rnn_primitives.h"

namespace recur::ops::detail {

// The power of two at or above max |x[i]| (1 when every x is 0 or not finite).
float int8_input_range(const float* x, std::size_t n);

// u[i] = round(127 x[i] / alpha) + 128, in [0, 255]; a NaN becomes 128 (zero).
void quantize_int8_input(const float* x, std::size_t n, float alpha, std::uint8_t* u);

struct Int8Lstm {
  Int8Scales scales;
  dnnl::memory layer, iter;  // s8, in the layout of the primitives made with `scales`
};

// The quantized weights of `params` (an LSTM layer and direction) for inputs fed as
// x / alpha; `s` is the shape of a call they will serve, whose primitive tells their
// layout (oneDNN 2.6 lays int8 LSTM weights out the same for every steps and rows).
std::shared_ptr<const Int8Lstm> int8_lstm(const RnnParams& params, const SegmentShape& s, float alpha);

}  // namespace recur::ops::detail
