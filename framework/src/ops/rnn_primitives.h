// oneDNN's recurrent primitives for one call over a dense [steps, rows, C] block (rnn_plan.h):
// the lstm / lbr_gru / vanilla_rnn descriptors, forward (training or inference) and backward,
// each created once per shape and arithmetic and cached. Private to src/ops: rnn_kernels.cc
// calls them, rnn_int8.cc learns the int8 weights' layout from them.
#pragma once

#include <cstdint>
#include <dnnl.hpp>
#include <vector>

#include "recur/ops/precision.h"
#include "recur/ops/rnn.h"

namespace recur::ops::detail {

// The shape of one primitive call and its arithmetic:
//   f32   everything f32;
//   bf16  input, output, hidden state and weights bf16; bias, LSTM cell state and (backward)
//         every gradient f32;
//   int8  (LSTM inference) input u8, weights s8; bias, states and output f32 (rnn_int8.h).
struct SegmentShape {
  RnnCell cell;
  std::int64_t steps, rows, input, hidden;
  Precision precision = Precision::f32;
};

// The element types of a call's input (f32, bf16 or u8) and of its output and hidden
// states (f32 or bf16).
dnnl::memory::data_type src_type(const SegmentShape& s);
dnnl::memory::data_type state_type(const SegmentShape& s);

dnnl::memory::desc dense_tnc(std::int64_t steps, std::int64_t rows, std::int64_t width,
                             dnnl::memory::data_type type = dnnl::memory::data_type::f32);
dnnl::memory::desc states_md(std::int64_t rows, std::int64_t hidden,
                             dnnl::memory::data_type type = dnnl::memory::data_type::f32);
// A weight [1, 1, in, gates, hidden] (in = input for the layer weight, hidden for the
// recurrent one) and the bias [1, 1, bias gates, hidden] (f32).
dnnl::memory::desc weights_md(const SegmentShape& s, std::int64_t in, dnnl::memory::format_tag t,
                              dnnl::memory::data_type type = dnnl::memory::data_type::f32);
dnnl::memory::desc bias_md(const SegmentShape& s);

// The int8 quantization a primitive is made for: oneDNN 2.6 fixes an RNN's scales when the
// primitive is created. Data (input and hidden state) u = 127 v + 128 in u8; weights
// q[c] = round(w[c] * weights[c]) in s8 per gate column c (both weights share them). `id`
// names the weights they were computed from, for the primitive cache.
constexpr float kInt8DataScale = 127.0f;
constexpr float kInt8DataShift = 128.0f;
// oneDNN's mask for scales per gate column of a [l, d, i, g, o] weight: dims g and o.
constexpr int kInt8WeightsMask = (1 << 3) | (1 << 4);
struct Int8Scales {
  std::uint64_t id = 0;
  std::vector<float> weights;  // [gates * hidden]
};

struct RnnPrimitive {
  dnnl::primitive prim;
  dnnl::memory::desc weights_layer, weights_iter, workspace;
};

// int8 (s.precision == int8) needs `int8`; the other arithmetics ignore it.
RnnPrimitive forward_primitive(const SegmentShape& s, bool training, const Int8Scales* int8 = nullptr);
RnnPrimitive backward_primitive(const SegmentShape& s);

}  // namespace recur::ops::detail
