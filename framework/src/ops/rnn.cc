#include "recur/ops/rnn.h"

#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "rnn_kernels.h"
#include "rnn_plan.h"

namespace recur::ops {

std::int64_t rnn_gates(RnnCell cell) {
  switch (cell) {
    case RnnCell::lstm:
      return 4;
    case RnnCell::gru:
      return 3;
    case RnnCell::tanh:
      break;
  }
  return 1;
}
// LSTM and tanh: one bias per gate. Linear-before-reset GRU: one per gate plus b_hn.
std::int64_t rnn_bias_gates(RnnCell cell) { return cell == RnnCell::tanh ? 1 : 4; }

namespace {

using namespace detail;

struct RnnSpec {
  RnnCell cell;
  std::int64_t layers, dirs, batch, steps, input, hidden;
  std::int64_t layer_input(std::int64_t l) const { return l == 0 ? input : dirs * hidden; }
  RnnDims dims(std::int64_t l) const { return {cell, layer_input(l), hidden}; }
  bool lstm() const { return cell == RnnCell::lstm; }
};

const char* op_name(RnnCell cell) {
  switch (cell) {
    case RnnCell::lstm:
      return "lstm";
    case RnnCell::gru:
      return "gru";
    case RnnCell::tanh:
      break;
  }
  return "rnn_tanh";
}

void expect_shape(RnnCell cell, const std::string& what, const Tensor& t, const Shape& want) {
  if (!t.defined()) throw ShapeError(std::string(op_name(cell)) + ": " + what + " is undefined");
  if (t.dtype() != DType::f32 || t.shape() != want) {
    throw ShapeError(std::string(op_name(cell)) + ": " + what + " must be f32 " +
                     shape_str(want) + ", got " + std::string(dtype_name(t.dtype())) + " " +
                     shape_str(t.shape()));
  }
}

RnnSpec check_args(RnnCell cell, const Tensor& input, const std::vector<RnnParams>& params,
                   bool bidirectional, const Tensor& h0, const Tensor& c0) {
  const std::string name = op_name(cell);
  if (!input.defined() || input.rank() != 3 || input.dtype() != DType::f32) {
    throw ShapeError(name + ": input must be f32 [batch, steps, features], got " +
                     (input.defined() ? shape_str(input.shape()) : std::string("undefined")));
  }
  RnnSpec s{cell, 0, bidirectional ? 2 : 1, input.dim(0), input.dim(1), input.dim(2), 0};
  if (s.batch < 1 || s.steps < 1 || s.input < 1) {
    throw ShapeError(name + ": empty input " + shape_str(input.shape()));
  }
  if (params.empty() || params.size() % static_cast<std::size_t>(s.dirs) != 0) {
    throw ShapeError(name + ": " + std::to_string(params.size()) +
                     " parameter sets, expected layers x " + std::to_string(s.dirs));
  }
  s.layers = static_cast<std::int64_t>(params.size()) / s.dirs;
  if (!params[0].w_hh.defined() || params[0].w_hh.rank() != 2) {
    throw ShapeError(name + ": parameter set 0 has no [H, G*H] w_hh");
  }
  s.hidden = params[0].w_hh.dim(0);
  const std::int64_t gh = rnn_gates(cell) * s.hidden;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string at = "parameter set " + std::to_string(i) + " ";
    std::int64_t l = static_cast<std::int64_t>(i) / s.dirs;
    expect_shape(cell, at + "w_ih", params[i].w_ih, {s.layer_input(l), gh});
    expect_shape(cell, at + "w_hh", params[i].w_hh, {s.hidden, gh});
    expect_shape(cell, at + "bias", params[i].bias, {rnn_bias_gates(cell) * s.hidden});
  }
  const Shape states{s.layers * s.dirs, s.batch, s.hidden};
  if (h0.defined()) expect_shape(cell, "h0", h0, states);
  if (c0.defined()) {
    if (cell != RnnCell::lstm) throw ShapeError(name + ": has no cell state c0");
    expect_shape(cell, "c0", c0, states);
  }
  return s;
}

// Rows of states[index] ([B, H] inside [L*D, B, H]) in sorted order; zeros if undefined.
// A steady plan's padded rows (up to plan.state_rows) are zeros.
void gather_states(const RnnPlan& plan, const Tensor& states, std::int64_t index,
                   std::int64_t hidden, float* dst) {
  const std::size_t bytes = static_cast<std::size_t>(hidden) * sizeof(float);
  if (!states.defined()) {
    std::memset(dst, 0, bytes * static_cast<std::size_t>(plan.state_rows));
    return;
  }
  std::memset(dst + plan.batch * hidden, 0, bytes * static_cast<std::size_t>(plan.state_rows - plan.batch));
  const float* base = states.data<float>() + index * plan.batch * hidden;
  for (std::int64_t n = 0; n < plan.batch; ++n) {
    std::memcpy(dst + n * hidden, base + plan.perm[n] * hidden, bytes);
  }
}

// Sorted rows [first, last) of `src` into states[index] at their batch rows.
void scatter_states(const RnnPlan& plan, const float* src, std::int64_t first,
                    std::int64_t last, Tensor& states, std::int64_t index, std::int64_t hidden) {
  float* base = states.data<float>() + index * plan.batch * hidden;
  for (std::int64_t n = first; n < last; ++n) {
    std::memcpy(base + plan.perm[n] * hidden, src + n * hidden,
                static_cast<std::size_t>(hidden) * sizeof(float));
  }
}

// Each sequence's final state: where its last segment ends.
void write_final_states(const RnnPlan& plan, const std::vector<Buffer>& boundary,
                        Tensor& states, std::int64_t index, std::int64_t hidden) {
  for (std::size_t k = 0; k < plan.segments.size(); ++k) {
    scatter_states(plan, boundary[k + 1].data(), plan.rows_after(k), plan.segments[k].rows,
                   states, index, hidden);
  }
}

// Inference of a bidirectional layer with 2 threads or more: the two directions at once,
// one per thread of an OpenMP team (oneDNN runs sequentially inside a parallel region).
// A recurrence over few rows leaves threads idle (at batch 1 each step is a
// matrix-vector product bound by memory bandwidth), while the two directions are
// independent.
template <typename Direction>
void both_directions_at_once(Direction& direction) {
  std::exception_ptr failed[2];
#pragma omp parallel for num_threads(2) schedule(static, 1)
  for (int d = 0; d < 2; ++d) {
    try {
      direction(d);
    } catch (...) {
      failed[d] = std::current_exception();
    }
  }
  for (const auto& f : failed) {
    if (f) std::rethrow_exception(f);
  }
}

// What backward needs from the forward pass.
struct RnnTrace {
  RnnSpec spec;
  RnnPlan plan;
  std::vector<RnnParams> params;
  std::vector<DirectionRun> runs;  // index l*D + d
  bool has_h0 = false, has_c0 = false;
};

RnnResult run_forward(RnnTrace& tr, const Tensor& input, const Tensor& h0, const Tensor& c0,
                      bool training, RnnReturns returns) {
  const RnnSpec& s = tr.spec;
  RnnResult res;
  // Every sequence's final state is written; outputs are written at real positions, so
  // only a batch with padding needs its output zero-filled first.
  res.h_n = Tensor::empty({s.layers * s.dirs, s.batch, s.hidden});
  if (s.lstm()) res.c_n = Tensor::empty(res.h_n.shape());
  const bool padded = tr.plan.segments.front().end < s.steps;  // the shortest sequence ends early
  Tensor layer_in = input;
  for (std::int64_t l = 0; l < s.layers; ++l) {
    const Shape out_shape{s.batch, s.steps, s.dirs * s.hidden};
    // The top layer of a states-only inference pass writes no output.
    const bool write_out = training || returns == RnnReturns::output_and_states || l + 1 < s.layers;
    Tensor out;
    if (write_out) out = padded ? Tensor::zeros(out_shape) : Tensor::empty(out_shape);
    const std::int64_t C = s.layer_input(l);
    // A direction writes its own columns of `out` and its own final states.
    auto direction = [&](std::int64_t d) {
      const std::int64_t index = l * s.dirs + d;
      DirectionRun run;
      prepare_direction(s.dims(l), tr.plan, run);
      gather_time_major(tr.plan, d == 1, std::as_const(layer_in).data<float>(), {C, 0, C},
                        run.src.data());
      gather_states(tr.plan, h0, index, s.hidden, run.h[0].data());
      if (s.lstm()) gather_states(tr.plan, c0, index, s.hidden, run.c[0].data());
      rnn_direction_forward(s.dims(l), tr.plan, tr.params[index], training, run);
      if (write_out) {
        scatter_batch_first(tr.plan, d == 1, run.dst.data(), out.data<float>(),
                            {s.dirs * s.hidden, d * s.hidden, s.hidden}, false);
      }
      write_final_states(tr.plan, run.h, res.h_n, index, s.hidden);
      if (s.lstm()) write_final_states(tr.plan, run.c, res.c_n, index, s.hidden);
      return run;
    };
    if (training) {
      for (std::int64_t d = 0; d < s.dirs; ++d) tr.runs.push_back(direction(d));
    } else if (s.dirs == 2 && num_threads() >= 2) {
      both_directions_at_once(direction);
    } else {
      for (std::int64_t d = 0; d < s.dirs; ++d) direction(d);
    }
    layer_in = out;
  }
  res.output = layer_in;
  return res;
}

// Gradients of one layer and direction; adds the input gradient into g_in.
DirectionGrads direction_backward(const RnnTrace& tr, std::int64_t l, std::int64_t d,
                                  const Tensor& g_out, const Tensor& g_hn, const Tensor& g_cn,
                                  Tensor& g_in) {
  const RnnSpec& s = tr.spec;
  const std::int64_t index = l * s.dirs + d;
  const RnnPlan& plan = tr.plan;
  const RnnParams& p = tr.params[index];
  const auto TBH = static_cast<std::size_t>(plan.buffer_rows * s.hidden);
  const auto BH = static_cast<std::size_t>(s.batch * s.hidden);
  Buffer d_dst(TBH), d_hn(BH), d_cn(s.lstm() ? BH : 0);
  gather_time_major(plan, d == 1, g_out.data<float>(), {s.dirs * s.hidden, d * s.hidden, s.hidden},
                    d_dst.data());
  gather_states(plan, g_hn, index, s.hidden, d_hn.data());
  if (s.lstm()) gather_states(plan, g_cn, index, s.hidden, d_cn.data());
  DirectionGrads g{Tensor::zeros(p.w_ih.shape()), Tensor::zeros(p.w_hh.shape()),
                   Tensor::zeros(p.bias.shape()), {}, {}, {}};
  rnn_direction_backward(s.dims(l), plan, p, tr.runs[static_cast<std::size_t>(index)],
                         d_dst.data(), d_hn.data(), d_cn.data(), g);
  const std::int64_t C = s.layer_input(l);
  scatter_batch_first(plan, d == 1, g.src.data(), g_in.data<float>(), {C, 0, C}, true);
  return g;
}

// Gradients in the order of the recorded inputs: input, h0, c0, then w_ih, w_hh, bias
// of every layer and direction.
std::vector<Tensor> run_backward(const RnnTrace& tr, const std::vector<Tensor>& grads) {
  const RnnSpec& s = tr.spec;
  const Tensor& g_hn = grads[1];
  const Tensor g_cn = s.lstm() ? grads[2] : Tensor();
  Tensor g_h0 = Tensor::zeros({s.layers * s.dirs, s.batch, s.hidden});
  Tensor g_c0 = Tensor::zeros(g_h0.shape());
  std::vector<Tensor> result(3 + 3 * tr.params.size());
  Tensor g_out = grads[0];
  for (std::int64_t l = s.layers; l-- > 0;) {
    Tensor g_in = Tensor::zeros({s.batch, s.steps, s.layer_input(l)});
    for (std::int64_t d = 0; d < s.dirs; ++d) {
      const std::int64_t index = l * s.dirs + d;
      DirectionGrads g = direction_backward(tr, l, d, g_out, g_hn, g_cn, g_in);
      scatter_states(tr.plan, g.h0.data(), 0, s.batch, g_h0, index, s.hidden);
      if (s.lstm()) scatter_states(tr.plan, g.c0.data(), 0, s.batch, g_c0, index, s.hidden);
      const auto at = 3 + 3 * static_cast<std::size_t>(index);
      result[at] = g.w_ih;
      result[at + 1] = g.w_hh;
      result[at + 2] = g.bias;
    }
    g_out = g_in;
  }
  result[0] = g_out;
  if (tr.has_h0) result[1] = g_h0;
  if (tr.has_c0) result[2] = g_c0;
  return result;
}

}  // namespace

RnnResult rnn(RnnCell cell, const Tensor& input, const std::vector<std::int64_t>& lengths,
              const std::vector<RnnParams>& params, bool bidirectional, const Tensor& h0,
              const Tensor& c0, RnnReturns returns) {
  auto trace = std::make_shared<RnnTrace>();
  trace->spec = check_args(cell, input, params, bidirectional, h0, c0);
  trace->params = params;
  trace->has_h0 = h0.defined();
  trace->has_c0 = c0.defined();

  std::vector<Tensor> inputs{input, h0, c0};
  for (const RnnParams& p : params) {
    inputs.insert(inputs.end(), {p.w_ih, p.w_hh, p.bias});
  }
  const bool training = autograd::needs_grad(inputs);
  // Inference runs on steady shapes (rnn_plan.h); training on exact ones, whose
  // primitives keep the workspace backward needs.
  trace->plan = make_rnn_plan(trace->spec.batch, trace->spec.steps, lengths, !training);
  RnnResult res = run_forward(*trace, input, h0, c0, training, returns);
  if (!training) return res;
  std::vector<Tensor*> outputs{&res.output, &res.h_n};
  if (cell == RnnCell::lstm) outputs.push_back(&res.c_n);
  autograd::record(op_name(cell), inputs, outputs, [trace](const std::vector<Tensor>& grads) {
    return run_backward(*trace, grads);
  });
  return res;
}

RnnResult lstm(const Tensor& input, const std::vector<std::int64_t>& lengths,
               const std::vector<RnnParams>& params, bool bidirectional, const Tensor& h0,
               const Tensor& c0) {
  return rnn(RnnCell::lstm, input, lengths, params, bidirectional, h0, c0);
}

RnnResult gru(const Tensor& input, const std::vector<std::int64_t>& lengths,
              const std::vector<RnnParams>& params, bool bidirectional, const Tensor& h0) {
  return rnn(RnnCell::gru, input, lengths, params, bidirectional, h0, Tensor());
}

RnnResult rnn_tanh(const Tensor& input, const std::vector<std::int64_t>& lengths,
                   const std::vector<RnnParams>& params, bool bidirectional, const Tensor& h0) {
  return rnn(RnnCell::tanh, input, lengths, params, bidirectional, h0, Tensor());
}

}  // namespace recur::ops
