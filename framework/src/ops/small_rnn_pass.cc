// A layer and direction's passes on the small-layer kernels (small_rnn.h): each segment of
// the plan (rnn_plan.h) from its initial state to its final one; backward adds the weight,
// bias and input gradients as three matrix products over every step at once.
#include <cstring>
#include <vector>

#include "kernels.h"
#include "recur/ops/threads.h"
#include "rnn_kernels.h"
#include "small_rnn.h"

namespace recur::ops::detail {

bool small_rnn_forward(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params, bool training,
                       DirectionRun& run) {
  const bool lstm = dims.cell == RnnCell::lstm;
  if (!small_rnn_fits(dims.cell, dims.input, dims.hidden)) return false;
  ScopedNumThreads threads(step_threads(dims, plan));
  const std::int64_t H = dims.hidden, kept = kept_width(dims.cell, H);
  if (training) run.gates = Buffer(static_cast<std::size_t>(plan.buffer_rows * kept));
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    const RnnSegment& seg = plan.segments[k];
    const std::int64_t row = plan.step_row[static_cast<std::size_t>(seg.begin)];
    SmallRnnCall call;
    call.cell = dims.cell;
    call.steps = seg.end - seg.begin;
    call.rows = seg.padded;
    call.input = dims.input;
    call.hidden = H;
    call.src = run.src.data() + row * dims.input;
    call.w_ih = params.w_ih.data<float>();
    call.w_hh = params.w_hh.data<float>();
    call.bias = params.bias.data<float>();
    call.h0 = run.h[k].data();
    call.dst = run.dst.data() + row * H;
    call.h_n = run.h[k + 1].data();
    if (lstm) call.c0 = run.c[k].data(), call.c_n = run.c[k + 1].data();
    if (training) call.gates = run.gates.data() + row * kept;
    small_rnn(call, num_threads());
  }
  return true;
}

namespace {

// A buffer's rows as a tensor (no copy; the buffer outlives it).
Tensor rows_of(const Buffer& b, std::int64_t rows, std::int64_t width) {
  return Tensor::wrap({rows, width}, DType::f32, b.data(), nullptr);
}

// W_hh transposed, [G H, H]: what the backward's step multiplies, row by row.
std::vector<float> transposed(const Tensor& w_hh) {
  const std::int64_t H = w_hh.dim(0), G = w_hh.dim(1);
  const float* w = w_hh.data<float>();
  std::vector<float> t(static_cast<std::size_t>(G * H));
  for (std::int64_t j = 0; j < H; ++j) {
    for (std::int64_t g = 0; g < G; ++g) t[static_cast<std::size_t>(g * H + j)] = w[j * G + g];
  }
  return t;
}

}  // namespace

void small_rnn_backward_pass(const RnnDims& dims, const RnnPlan& plan, const RnnParams& params,
                             const DirectionRun& run, const float* d_dst, const float* d_hn, const float* d_cn,
                             DirectionGrads& grads) {
  // A small layer's products (K = every step of every row, a narrow result) lose more to a
  // second thread's fork and join than it gives, as its recurrence would.
  ScopedNumThreads threads(step_threads(dims, plan));
  const bool lstm = dims.cell == RnnCell::lstm;
  const std::int64_t H = dims.hidden, G = rnn_gates(dims.cell) * H, rows = plan.buffer_rows;
  const auto bytes = [](std::int64_t n) { return static_cast<std::size_t>(n) * sizeof(float); };
  // The pre-activations' gradients: on the input's side, and (GRU) on the hidden side.
  Buffer d_gates(static_cast<std::size_t>(rows * G)), d_hidden(lstm ? 0 : static_cast<std::size_t>(rows * G));
  Buffer h_prev(static_cast<std::size_t>(rows * H));  // each step's previous hidden state, row for row
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    const RnnSegment& seg = plan.segments[k];
    for (std::int64_t t = seg.begin; t < seg.end; ++t) {
      const float* prev = t == seg.begin ? run.h[k].data()
                                         : run.dst.data() + plan.step_row[static_cast<std::size_t>(t - 1)] * H;
      std::memcpy(h_prev.data() + plan.step_row[static_cast<std::size_t>(t)] * H, prev, bytes(seg.rows * H));
    }
  }
  const std::vector<float> w_hh_t = transposed(params.w_hh);
  Buffer dh_next, dc_next;  // gradient of the next segment's initial state
  for (std::size_t k = plan.segments.size(); k-- > 0;) {
    const RnnSegment& seg = plan.segments[k];
    const std::int64_t row = plan.step_row[static_cast<std::size_t>(seg.begin)];
    const Buffer dh_final = final_state_grad(plan, k, H, dh_next, d_hn);
    const Buffer dc_final = lstm ? final_state_grad(plan, k, H, dc_next, d_cn) : Buffer();
    Buffer dh_init(static_cast<std::size_t>(seg.rows * H)), dc_init(lstm ? static_cast<std::size_t>(seg.rows * H) : 0);
    SmallRnnBackward b;
    b.cell = dims.cell;
    b.steps = seg.end - seg.begin;
    b.rows = seg.rows;
    b.hidden = H;
    b.gates = run.gates.data() + row * kept_width(dims.cell, H);
    b.h_prev = h_prev.data() + row * H;
    b.w_hh_t = w_hh_t.data();
    b.d_dst = d_dst + row * H;
    b.dh_final = dh_final.data();
    b.d_gates = d_gates.data() + row * G;
    b.dh0 = dh_init.data();
    if (lstm) {
      b.c0 = run.c[k].data();
      b.dc_final = dc_final.data();
      b.dc0 = dc_init.data();
    } else {
      b.d_hidden_gates = d_hidden.data() + row * G;
    }
    small_rnn_backward(b, num_threads());
    dh_next = std::move(dh_init);
    dc_next = std::move(dc_init);
  }
  grads.h0 = std::move(dh_next);
  grads.c0 = std::move(dc_next);
  // Over every step and row at once: dW_ih = x^T dpre, dW_hh = h_prev^T dpre (the hidden
  // side's), dx = dpre W_ih^T, the biases' gradients the sums of dpre's rows: the LSTM's
  // four and the GRU's b_u, b_r from either side, b_o from the input's, b_hn from the
  // hidden side's third block.
  const Tensor dpre = rows_of(d_gates, rows, G), dpre_hidden = lstm ? dpre : rows_of(d_hidden, rows, G);
  // (The weight gradients come zero-filled, for oneDNN to accumulate into: the products
  // take their place.)
  grads.w_ih = run_matmul(rows_of(run.src, rows, dims.input), true, dpre, false);
  grads.w_hh = run_matmul(rows_of(h_prev, rows, H), true, dpre_hidden, false);
  float* db = grads.bias.data<float>();
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* d = d_gates.data() + r * G;
    for (std::int64_t g = 0; g < G; ++g) db[g] += d[g];
    if (!lstm) {
      const float* dn = d_hidden.data() + r * G + 2 * H;
      for (std::int64_t j = 0; j < H; ++j) db[G + j] += dn[j];
    }
  }
  const Tensor dx = run_matmul(dpre, false, params.w_ih, true);
  grads.src = Buffer(static_cast<std::size_t>(rows * dims.input));
  std::memcpy(grads.src.data(), dx.data<float>(), bytes(rows * dims.input));
}

}  // namespace recur::ops::detail
