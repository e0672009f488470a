#include "rnn_kernels.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

#include "bf16_convert.h"
#include "dnnl_util.h"
#include "layout_cache.h"
#include "rnn_int8.h"
#include "rnn_primitives.h"
#include "recur/core/block_pool.h"
#include "recur/ops/precision.h"
#include "recur/ops/threads.h"

namespace recur::ops::detail {

// Large blocks (training workspaces are tens of MB per layer) come from the block pool:
// fresh pages cost a page fault each, about half the time of a forward pass.
Buffer::Buffer(std::size_t floats) : size_(floats) {
  Block block = take_block(std::max<std::size_t>(1, floats) * sizeof(float));
  data_ = std::shared_ptr<float>(static_cast<float*>(block.data),
                                 [block](float*) { give_block(block); });
}

namespace {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// oneDNN takes a void* for every argument; primitives only write their outputs.
dnnl::memory wrap_memory(const md& desc, const void* data) {
  return dnnl::memory(desc, engine(), const_cast<void*>(data));
}

// A weight tensor in whatever layout a primitive asks for: the tensor itself when it
// already is that layout, else a reordered copy, shared by every segment of the call
// (the weights cannot change during a call). Inference keeps the copy with the weight
// across calls (cached_layout: once per weight version; a decoder step would otherwise
// spend a quarter of its time here); backward makes its own per call, as the weights
// change with every batch anyway.
class PreparedWeights {
 public:
  PreparedWeights(const Tensor& weights, md plain, bool keep)
      : weights_(weights), plain_(std::move(plain)), keep_(keep) {}

  dnnl::memory get(const md& want) {
    if (want == plain_) return wrap_memory(plain_, weights_.data<float>());
    for (const auto& [desc, memory] : copies_) {
      if (desc == want) return memory;
    }
    dnnl::memory to = keep_ ? cached_layout(weights_, plain_, want) : reordered(want);
    copies_.emplace_back(want, to);
    return to;
  }

 private:
  // A copy for this call only, in a recycled block (block pool).
  dnnl::memory reordered(const md& want) {
    buffers_.emplace_back((want.get_size() + sizeof(float) - 1) / sizeof(float));
    dnnl::memory from = wrap_memory(plain_, weights_.data<float>());
    dnnl::memory to = wrap_memory(want, buffers_.back().data());
    auto reorder = guarded("rnn weight reorder", [&] { return dnnl::reorder(from, to); });
    execute(reorder, {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}});
    return to;
  }

  const Tensor weights_;  // const: reading the weights must not bump their version
  md plain_;
  bool keep_;
  std::vector<std::pair<md, dnnl::memory>> copies_;
  std::vector<Buffer> buffers_;  // what the per-call copies live in
};

using Args = std::unordered_map<int, dnnl::memory>;

// The weights of a call: f32 or bf16 ones prepared in the primitive's layout, or the
// int8 quantization the primitive was made for (rnn_int8.h).
struct CallWeights {
  PreparedWeights& wl;
  PreparedWeights& wi;
  const Int8Lstm* int8 = nullptr;

  dnnl::memory layer(const md& want) { return int8 ? checked(int8->layer, want) : wl.get(want); }
  dnnl::memory iter(const md& want) { return int8 ? checked(int8->iter, want) : wi.get(want); }

 private:
  // oneDNN 2.6 lays int8 LSTM weights out alike for every steps and rows (rnn_int8.h).
  static dnnl::memory checked(const dnnl::memory& m, const md& want) {
    if (m.get_desc() != want) throw KernelError("int8 lstm: the primitive asks for another weight layout");
    return m;
  }
};

// One primitive call's data: input and output rows, hidden state in and out (of the
// call's element types: src_type, state_type), LSTM cell state in and out (f32).
struct CallData {
  const void* src;
  void* dst;
  const void* h_in;
  void* h_out;
  const float* c_in = nullptr;
  float* c_out = nullptr;
};

// Arguments shared by forward and backward (execute() adds this thread's scratchpad).
Args common_args(const SegmentShape& s, const CallData& d, const RnnPrimitive& p,
                 CallWeights& weights, const Tensor& bias) {
  const dt type = state_type(s);
  Args args{{DNNL_ARG_SRC_LAYER, wrap_memory(dense_tnc(s.steps, s.rows, s.input, src_type(s)), d.src)},
            {DNNL_ARG_SRC_ITER, wrap_memory(states_md(s.rows, s.hidden, type), d.h_in)},
            {DNNL_ARG_WEIGHTS_LAYER, weights.layer(p.weights_layer)},
            {DNNL_ARG_WEIGHTS_ITER, weights.iter(p.weights_iter)},
            {DNNL_ARG_BIAS, wrap_memory(bias_md(s), bias.data<float>())},
            {DNNL_ARG_DST_LAYER, wrap_memory(dense_tnc(s.steps, s.rows, s.hidden, type), d.dst)},
            {DNNL_ARG_DST_ITER, wrap_memory(states_md(s.rows, s.hidden, type), d.h_out)}};
  if (s.cell == RnnCell::lstm) {
    args.emplace(DNNL_ARG_SRC_ITER_C, wrap_memory(states_md(s.rows, s.hidden), d.c_in));
    args.emplace(DNNL_ARG_DST_ITER_C, wrap_memory(states_md(s.rows, s.hidden), d.c_out));
  }
  return args;
}

// Where a direction's input, output and hidden states live for the primitive calls:
// the run's own f32 buffers, bf16 copies of them (the LSTM cell state stays f32 in the
// run either way), or (int8) a u8 copy of the input beside the run's f32 buffers.
struct LayerData {
  void* src;
  void* dst;
  std::vector<void*> h;     // segments + 1
  std::size_t element;      // bytes of one element of dst and h
  std::size_t src_element;  // of src

  explicit LayerData(const DirectionRun& run)
      : src(run.src.data()), dst(run.dst.data()), element(sizeof(float)), src_element(sizeof(float)) {
    for (const Buffer& b : run.h) h.push_back(b.data());
  }
  LayerData(void* src, void* dst, std::vector<void*> h, std::size_t element, std::size_t src_element)
      : src(src), dst(dst), h(std::move(h)), element(element), src_element(src_element) {}

  // Row `row` of the input, or of the output, `width` elements per row.
  void* src_at(std::int64_t row, std::int64_t width) const { return at(src, row, width, src_element); }
  void* dst_at(std::int64_t row, std::int64_t width) const { return at(dst, row, width, element); }

 private:
  static void* at(void* base, std::int64_t row, std::int64_t width, std::size_t element) {
    return static_cast<char*>(base) + static_cast<std::size_t>(row * width) * element;
  }
};

// The LayerData over a run's bf16 copies.
LayerData staged(const Bf16Stage& stage) {
  std::vector<void*> h;
  for (const Buffer& b : stage.h) h.push_back(b.data());
  return LayerData(stage.src.data(), stage.dst.data(), std::move(h), sizeof(std::uint16_t), sizeof(std::uint16_t));
}

// The data of one call over segment k from step t on: the rows of step t onward in the
// input and output buffers, segment k's initial state in and its final state out.
CallData segment_call(const RnnDims& dims, const RnnPlan& plan, std::size_t k, std::int64_t t,
                      const LayerData& data, const DirectionRun& run) {
  const std::int64_t row = plan.step_row[static_cast<std::size_t>(t)];
  CallData d{data.src_at(row, dims.input), data.dst_at(row, dims.hidden), data.h[k], data.h[k + 1]};
  if (dims.cell == RnnCell::lstm) d.c_in = run.c[k].data(), d.c_out = run.c[k + 1].data();
  return d;
}

// Storage for n elements of `element` bytes (uninitialised).
Buffer bytes_buffer(std::int64_t n, std::size_t element) {
  return Buffer((static_cast<std::size_t>(n) * element + sizeof(float) - 1) / sizeof(float));
}

// At most this many hidden-state values (rows x steps x hidden) per call of a steady plan.
// oneDNN's RNN primitives keep every step's gates and states in their scratchpad (about
// 27 x hidden floats a row and step for an f32 LSTM on AVX2, 37 MB at 64 rows x 56 steps
// x 96), and the scratchpad follows the largest call a job meets: resident memory grew
// with the input as rarer, longer batches came. Capped, one call needs at most ~14 MB,
// whatever the batch; the input product of a call still spans hundreds of rows.
constexpr std::int64_t kMaxChunkValues = std::int64_t{1} << 17;

// The lengths a steady plan cuts a segment of `steps` over `rows` rows into: powers of
// two, longest first, none longer than kMaxChunkValues allows.
std::vector<std::int64_t> chunk_lengths(std::int64_t steps, std::int64_t rows, std::int64_t hidden, bool steady) {
  if (!steady) return {steps};
  const std::int64_t cap = std::bit_floor(static_cast<std::uint64_t>(
      std::max<std::int64_t>(1, kMaxChunkValues / std::max<std::int64_t>(1, rows * hidden))));
  std::vector<std::int64_t> out(static_cast<std::size_t>(steps / cap), cap);
  for (std::int64_t p = cap >> 1; p > 0; p >>= 1) {
    if (steps & p) out.push_back(p);
  }
  return out;
}

// Segment k of an inference pass: one call, or (steady plan) one per chunk, the state
// carried from chunk to chunk through scratch buffers.
void forward_segment(const RnnDims& dims, const RnnPlan& plan, std::size_t k, const RnnParams& params,
                     Precision precision, const LayerData& data, DirectionRun& run, CallWeights& weights) {
  const RnnSegment& seg = plan.segments[k];
  const std::int64_t R = seg.padded, H = dims.hidden;
  const bool lstm = dims.cell == RnnCell::lstm;
  const std::vector<std::int64_t> chunks = chunk_lengths(seg.end - seg.begin, R, H, plan.steady);
  Buffer h_tmp[2], c_tmp[2];
  if (chunks.size() > 1) {
    for (int i = 0; i < 2; ++i) {
      h_tmp[i] = bytes_buffer(R * H, data.element);
      if (lstm) c_tmp[i] = Buffer(static_cast<std::size_t>(R * H));
    }
  }
  const void* h_in = data.h[k];
  const float* c_in = lstm ? run.c[k].data() : nullptr;
  std::int64_t t = seg.begin;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    CallData d = segment_call(dims, plan, k, t, data, run);
    d.h_in = h_in;
    d.c_in = c_in;
    if (i + 1 < chunks.size()) {  // not the last chunk: its final state goes to scratch
      d.h_out = h_tmp[i % 2].data();
      if (lstm) d.c_out = c_tmp[i % 2].data();
    }
    SegmentShape s{dims.cell, chunks[i], R, dims.input, H, precision};
    const RnnPrimitive& p = forward_primitive(s, false, weights.int8 ? &weights.int8->scales : nullptr);
    execute(p.prim, common_args(s, d, p, weights, params.bias));
    h_in = d.h_out;
    c_in = d.c_out;
    t += chunks[i];
  }
}

std::uint16_t* bf16_data(const Buffer& b) { return reinterpret_cast<std::uint16_t*>(b.data()); }

// bf16 copies of the run's input and initial state, room for its output and the
// segments' final states (Bf16Stage), and the LayerData over them.
LayerData stage_bf16(const RnnDims& dims, const RnnPlan& plan, const DirectionRun& run, Bf16Stage& stage) {
  const std::int64_t H = dims.hidden, src_n = plan.buffer_rows * dims.input;
  const std::size_t two = sizeof(std::uint16_t);
  stage.src = bytes_buffer(src_n, two);
  stage.dst = bytes_buffer(plan.buffer_rows * H, two);
  stage.h.assign(1, bytes_buffer(plan.state_rows * H, two));
  f32_to_bf16(run.src.data(), bf16_data(stage.src), src_n);
  f32_to_bf16(run.h[0].data(), bf16_data(stage.h[0]), plan.state_rows * H);
  for (const RnnSegment& seg : plan.segments) stage.h.push_back(bytes_buffer(seg.padded * H, two));
  return staged(stage);
}

// An int8 pass's u8 copy of the run's input (rnn_int8.h) and the quantized weights for it.
struct Int8Stage {
  Buffer src;
  std::shared_ptr<const Int8Lstm> weights;
};

// Quantizes the run's input into `stage`, with the weights for its range, and points
// `data`'s input at the copy. The weights are made (when not kept from an earlier call)
// for the pass's first call, whose primitive is compiled for it anyway.
void stage_int8(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params, const DirectionRun& run,
                Int8Stage& stage, LayerData& data) {
  const float alpha = int8_input_range(run.src.data(), run.src.size());
  const RnnSegment& first = plan.segments.front();
  const std::int64_t steps = chunk_lengths(first.end - first.begin, first.padded, dims.hidden, plan.steady).front();
  const SegmentShape call{dims.cell, steps, first.padded, dims.input, dims.hidden, Precision::int8};
  stage.weights = int8_lstm(params, call, alpha);
  stage.src = bytes_buffer(static_cast<std::int64_t>(run.src.size()), 1);
  quantize_int8_input(run.src.data(), run.src.size(), alpha, reinterpret_cast<std::uint8_t*>(stage.src.data()));
  data.src = stage.src.data();
  data.src_element = 1;
}

// The output and the segments' final states of a bf16 pass, converted back into the run.
void unstage_bf16(const RnnDims& dims, const RnnPlan& plan, const Bf16Stage& stage, DirectionRun& run) {
  const std::int64_t H = dims.hidden;
  bf16_to_f32(bf16_data(stage.dst), run.dst.data(), plan.buffer_rows * H);
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    bf16_to_f32(bf16_data(stage.h[k + 1]), run.h[k + 1].data(), plan.segments[k].padded * H);
  }
}

// The arithmetic of a layer's pass: pass_precision, but int8 for LSTM layers only (oneDNN
// 2.6 has no int8 kernel for the linear-before-reset GRU or the tanh RNN: they stay f32).
Precision layer_precision(const RnnDims& dims, bool training) {
  const Precision p = pass_precision(training);
  return p == Precision::int8 && dims.cell != RnnCell::lstm ? Precision::f32 : p;
}

}  // namespace

// Below this many FLOPs per step (the gate products of every row), a second compute
// thread costs oneDNN 2.6's RNN primitives more in OpenMP fork and join than it saves.
// Measured on 2 cores (LSTM, 30 steps, input = hidden): training forward at hidden 32
// and 32 rows (0.5 MFLOP a step) 0.15 ms on 1 thread, 0.28 ms on 2; parity at 2-8 MFLOP;
// 1.65x faster on 2 threads at hidden 256 and 32 rows (34 MFLOP). Inference kernels
// gain little from a second thread at any of these sizes and lose below ~1 MFLOP.
constexpr double kThreadedStepFlops = 4e6;

int step_threads(const RnnDims& dims, const RnnPlan& plan) {
  const double flops = 2.0 * static_cast<double>(plan.state_rows) * static_cast<double>(rnn_gates(dims.cell)) *
                       static_cast<double>(dims.hidden) * static_cast<double>(dims.input + dims.hidden);
  return flops < kThreadedStepFlops ? 1 : num_threads();
}

void prepare_direction(const RnnDims& dims, const RnnPlan& plan, DirectionRun& run) {
  const auto H = static_cast<std::size_t>(dims.hidden);
  const auto rows = static_cast<std::size_t>(plan.buffer_rows);
  run.src = Buffer(rows * static_cast<std::size_t>(dims.input));
  run.dst = Buffer(rows * H);
  // Padded rows start from zeros (any value would do: they are never read back, but
  // zeros keep them finite and the results reproducible).
  if (plan.steady) std::memset(run.src.data(), 0, run.src.size() * sizeof(float));
  const bool lstm = dims.cell == RnnCell::lstm;
  const auto state = static_cast<std::size_t>(plan.state_rows) * H;
  run.h.assign(1, Buffer(state));
  run.c.assign(lstm ? 1 : 0, Buffer(state));
  for (const RnnSegment& seg : plan.segments) {
    run.h.emplace_back(static_cast<std::size_t>(seg.padded) * H);
    if (lstm) run.c.emplace_back(static_cast<std::size_t>(seg.padded) * H);
  }
  run.workspace.clear();
}

void rnn_direction_forward(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params,
                           bool training, DirectionRun& run) {
  run.workspace.clear();
  run.bf16.reset();
  const Precision precision = layer_precision(dims, training);
  if (precision == Precision::f32 && small_rnn_forward(dims, plan, params, training, run)) return;
  ScopedNumThreads threads(step_threads(dims, plan));
  SegmentShape whole{dims.cell, plan.steps, plan.batch, dims.input, dims.hidden};
  PreparedWeights wl(params.w_ih, weights_md(whole, dims.input, tag::ldigo), !training);
  PreparedWeights wi(params.w_hh, weights_md(whole, dims.hidden, tag::ldigo), !training);
  CallWeights weights{wl, wi};
  const bool bf16 = precision == Precision::bf16;
  Bf16Stage stage;
  Int8Stage int8;
  LayerData data = bf16 ? stage_bf16(dims, plan, run, stage) : LayerData(run);
  if (precision == Precision::int8) {
    stage_int8(dims, plan, params, run, int8, data);
    weights.int8 = int8.weights.get();
  }
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    if (!training) {
      forward_segment(dims, plan, k, params, precision, data, run, weights);
      continue;
    }
    // Training: one call per segment (exact rows), keeping its workspace for backward.
    const RnnSegment& seg = plan.segments[k];
    SegmentShape s{dims.cell, seg.end - seg.begin, seg.padded, dims.input, dims.hidden, precision};
    const RnnPrimitive& p = forward_primitive(s, true);
    Args args = common_args(s, segment_call(dims, plan, k, seg.begin, data, run), p, weights, params.bias);
    run.workspace.emplace_back((p.workspace.get_size() + sizeof(float) - 1) / sizeof(float));
    args.emplace(DNNL_ARG_WORKSPACE, wrap_memory(p.workspace, run.workspace.back().data()));
    execute(p.prim, args);
  }
  if (!bf16) return;
  unstage_bf16(dims, plan, stage, run);
  if (training) run.bf16 = std::move(stage);  // backward reads the copies again
}

Buffer final_state_grad(const RnnPlan& plan, std::size_t k, std::int64_t hidden,
                        const Buffer& from_next, const float* d_final) {
  const std::int64_t rows = plan.segments[k].rows;
  const std::int64_t after = plan.rows_after(k);
  Buffer g(static_cast<std::size_t>(rows * hidden));
  if (after > 0) {
    std::memcpy(g.data(), from_next.data(), static_cast<std::size_t>(after * hidden) * sizeof(float));
  }
  std::memcpy(g.data() + after * hidden, d_final + after * hidden,
              static_cast<std::size_t>((rows - after) * hidden) * sizeof(float));
  return g;
}

void rnn_direction_backward(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params,
                            const DirectionRun& run, const float* d_dst, const float* d_hn,
                            const float* d_cn, DirectionGrads& grads) {
  if (run.gates.size() > 0) return small_rnn_backward_pass(dims, plan, params, run, d_dst, d_hn, d_cn, grads);
  ScopedNumThreads threads(step_threads(dims, plan));
  SegmentShape whole{dims.cell, plan.steps, plan.batch, dims.input, dims.hidden};
  PreparedWeights wl(params.w_ih, weights_md(whole, dims.input, tag::ldigo), false);
  PreparedWeights wi(params.w_hh, weights_md(whole, dims.hidden, tag::ldigo), false);
  const bool lstm = dims.cell == RnnCell::lstm;
  const std::int64_t H = dims.hidden;
  grads.src = Buffer(static_cast<std::size_t>(plan.buffer_rows * dims.input));
  const bool bf16 = run.bf16.has_value();
  const LayerData data = bf16 ? staged(*run.bf16) : LayerData(run);
  CallWeights weights{wl, wi};
  Buffer dh_next, dc_next;  // gradient of the next segment's initial state
  for (std::size_t k = plan.segments.size(); k-- > 0;) {
    const RnnSegment& seg = plan.segments[k];
    const std::int64_t row = plan.step_row[static_cast<std::size_t>(seg.begin)];
    SegmentShape s{dims.cell, seg.end - seg.begin, seg.rows, dims.input, H, bf16 ? Precision::bf16 : Precision::f32};
    const RnnPrimitive& p = backward_primitive(s);
    Args args = common_args(s, segment_call(dims, plan, k, seg.begin, data, run), p, weights, params.bias);
    md iter = states_md(s.rows, H);
    Buffer dh_final = final_state_grad(plan, k, H, dh_next, d_hn);
    Buffer dh_init(static_cast<std::size_t>(s.rows * H));
    args.emplace(DNNL_ARG_WORKSPACE, wrap_memory(p.workspace, run.workspace[k].data()));
    args.emplace(DNNL_ARG_DIFF_SRC_LAYER, wrap_memory(dense_tnc(s.steps, s.rows, s.input),
                                                      grads.src.data() + row * s.input));
    args.emplace(DNNL_ARG_DIFF_DST_LAYER, wrap_memory(dense_tnc(s.steps, s.rows, H), d_dst + row * H));
    args.emplace(DNNL_ARG_DIFF_SRC_ITER, wrap_memory(iter, dh_init.data()));
    args.emplace(DNNL_ARG_DIFF_DST_ITER, wrap_memory(iter, dh_final.data()));
    args.emplace(DNNL_ARG_DIFF_WEIGHTS_LAYER,
                 wrap_memory(weights_md(s, s.input, tag::ldigo), grads.w_ih.data<float>()));
    args.emplace(DNNL_ARG_DIFF_WEIGHTS_ITER,
                 wrap_memory(weights_md(s, H, tag::ldigo), grads.w_hh.data<float>()));
    args.emplace(DNNL_ARG_DIFF_BIAS, wrap_memory(bias_md(s), grads.bias.data<float>()));
    Buffer dc_final, dc_init;
    if (lstm) {
      dc_final = final_state_grad(plan, k, H, dc_next, d_cn);
      dc_init = Buffer(static_cast<std::size_t>(s.rows * H));
      args.emplace(DNNL_ARG_DIFF_SRC_ITER_C, wrap_memory(iter, dc_init.data()));
      args.emplace(DNNL_ARG_DIFF_DST_ITER_C, wrap_memory(iter, dc_final.data()));
    }
    execute(p.prim, args);
    dh_next = std::move(dh_init);
    dc_next = std::move(dc_init);
  }
  grads.h0 = std::move(dh_next);
  grads.c0 = std::move(dc_next);
}

}  // namespace recur::ops::detail
