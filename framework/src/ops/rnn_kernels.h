// oneDNN side of the recurrent ops: one call of an lstm / lbr_gru / vanilla_rnn primitive
// per segment of an RnnPlan, for one layer and one direction, forward and backward. Private to
// src/ops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "recur/ops/rnn.h"
#include "rnn_plan.h"

namespace recur::ops::detail {

// Uninitialised, 64-byte aligned f32 storage (workspaces and staging buffers that are
// fully written before they are read, so zero-filling them would be wasted time).
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::size_t floats);
  float* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  std::shared_ptr<float> data_;
  std::size_t size_ = 0;
};

struct RnnDims {
  RnnCell cell = RnnCell::lstm;
  std::int64_t input = 0;   // C, the layer's input size
  std::int64_t hidden = 0;  // H
};

// One layer and direction of a forward pass: the gathered input, the output and the
// states at segment boundaries (state[k] is segment k's initial state, sorted rows;
// state[k + 1] its final state), plus what backward needs (workspaces).
// bf16 copies of a run's input, output and hidden states (the LSTM cell state stays
// f32): what the primitives read and write in a bf16 pass (recur/ops/precision.h).
struct Bf16Stage {
  Buffer src, dst;
  std::vector<Buffer> h;
};

struct DirectionRun {
  Buffer src;                     // [T, B, C]
  Buffer dst;                     // [T, B, H]
  std::vector<Buffer> h;          // segments + 1 entries
  std::vector<Buffer> c;          // LSTM only
  std::vector<Buffer> workspace;  // per segment, training only
  // Mixed-precision training: the bf16 copies the forward pass ran on, which its
  // backward reads again; empty in f32.
  std::optional<Bf16Stage> bf16;
  // A small layer's training on recur's own kernels (small_rnn.h): what its forward pass
  // kept, [buffer rows, kept_width]; empty otherwise.
  Buffer gates;
};

// The compute threads a layer's calls use: one below a few MFLOP per step (an OpenMP fork
// and join per step costs more than the step's work), else all.
int step_threads(const RnnDims& dims, const RnnPlan& plan);

// Allocates `run` for the plan; the caller then fills run.src, run.h[0] and run.c[0].
void prepare_direction(const RnnDims& dims, const RnnPlan& plan, DirectionRun& run);

// Runs every segment. Training keeps the workspaces for rnn_direction_backward. The
// arithmetic is ops::pass_precision(training): bf16 runs on copies (run.bf16).
void rnn_direction_forward(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params,
                           bool training, DirectionRun& run);

// Gradients of one layer and direction. The parameter gradients must be zero-filled
// tensors in recur's layout: oneDNN accumulates into them.
struct DirectionGrads {
  Tensor w_ih, w_hh, bias;
  Buffer src;  // [T, B, C]  gradient of run.src (real positions only)
  Buffer h0;   // [B, H] sorted rows
  Buffer c0;   // LSTM only
};

// d_dst [T, B, H] is the gradient of run.dst (real positions); d_hn / d_cn [B, H] (sorted
// rows) the gradients of the final states.
void rnn_direction_backward(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params,
                            const DirectionRun& run, const float* d_dst, const float* d_hn,
                            const float* d_cn, DirectionGrads& grads);

// f32 passes of small LSTM and GRU layers on recur's own kernels (small_rnn.h,
// small_rnn_pass.cc): inference, and training, which keeps run.gates for
// small_rnn_backward_pass. False (nothing done) when the layer is not theirs.
bool small_rnn_forward(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params, bool training,
                       DirectionRun& run);
void small_rnn_backward_pass(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params,
                             const DirectionRun& run, const float* d_dst, const float* d_hn, const float* d_cn,
                             DirectionGrads& grads);

// The gradient reaching segment k's final state: rows that run on come from the next
// segment's initial-state gradient (from_next), rows that finish there from the
// final-state gradient (d_final, sorted rows).
Buffer final_state_grad(const RnnPlan& plan, std::size_t k, std::int64_t hidden, const Buffer& from_next,
                        const float* d_final);

}  // namespace recur::ops::detail
