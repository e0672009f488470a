#include "rnn_primitives.h"

#include <string>

#include "dnnl_util.h"

namespace recur::ops::detail {

namespace {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;
using dnnl::prop_kind;
constexpr auto kLeftToRight = dnnl::rnn_direction::unidirectional_left2right;

// The element type of an arithmetic's operands: f32, bf16, or `int8` (u8 data, s8 weights).
dt operand_type(Precision p, dt int8) {
  switch (p) {
    case Precision::bf16:
      return dt::bf16;
    case Precision::int8:
      return int8;
    case Precision::f32:
      break;
  }
  return dt::f32;
}

dt weight_type(const SegmentShape& s) { return operand_type(s.precision, dt::s8); }

// The memory descriptors of one call; weights as `weights_tag` (any: let oneDNN choose).
// iter_c is the LSTM's cell state, f32 in every arithmetic.
struct Descs {
  md src, iter, iter_c, wl, wi, bias, dst;
  Descs(const SegmentShape& s, tag weights_tag)
      : src(dense_tnc(s.steps, s.rows, s.input, src_type(s))),
        iter(states_md(s.rows, s.hidden, state_type(s))),
        iter_c(states_md(s.rows, s.hidden)),
        wl(weights_md(s, s.input, weights_tag, weight_type(s))),
        wi(weights_md(s, s.hidden, weights_tag, weight_type(s))),
        bias(bias_md(s)),
        dst(dense_tnc(s.steps, s.rows, s.hidden, state_type(s))) {}
};

// Inference lets oneDNN choose the weights' layout (oneDNN 2.6 on x86: blocked for the
// LSTM's brgemm kernels, gate rows padded against cache aliasing for the GRU's),
// reordered once per weight version and kept (rnn_kernels.cc, PreparedWeights). f32
// training takes recur's plain layout as is: its kernels are as fast on it, and it saves
// a reorder per call. bf16 training converts anyway, so into the layout oneDNN prefers
// (its brgemm forward: ~10% faster than on ldigo).
tag forward_weights_tag(prop_kind kind, Precision precision) {
  return kind == prop_kind::forward_inference || precision != Precision::f32 ? tag::any : tag::ldigo;
}

// What differs between the cells: their oneDNN primitives and descriptors. The forward
// takes the descriptors of one call; the backward those of the data and of the gradients.
struct LstmCell {
  using Forward = dnnl::lstm_forward;
  using Backward = dnnl::lstm_backward;
  static Forward::desc forward(prop_kind kind, const Descs& d) {
    return Forward::desc(kind, kLeftToRight, d.src, d.iter, d.iter_c, d.wl, d.wi, d.bias, d.dst,
                         d.iter, d.iter_c);
  }
  static Backward::desc backward(const Descs& d, const Descs& g) {
    return Backward::desc(prop_kind::backward, kLeftToRight, d.src, d.iter, d.iter_c, d.wl,
                          d.wi, d.bias, d.dst, d.iter, d.iter_c, g.src, g.iter, g.iter_c, g.wl,
                          g.wi, g.bias, g.dst, g.iter, g.iter_c);
  }
};

struct GruCell {
  using Forward = dnnl::lbr_gru_forward;
  using Backward = dnnl::lbr_gru_backward;
  static Forward::desc forward(prop_kind kind, const Descs& d) {
    return Forward::desc(kind, kLeftToRight, d.src, d.iter, d.wl, d.wi, d.bias, d.dst, d.iter);
  }
  static Backward::desc backward(const Descs& d, const Descs& g) {
    return Backward::desc(prop_kind::backward, kLeftToRight, d.src, d.iter, d.wl, d.wi, d.bias,
                          d.dst, d.iter, g.src, g.iter, g.wl, g.wi, g.bias, g.dst, g.iter);
  }
};

// h_t = tanh(x_t W_ih + h_{t-1} W_hh + bias).
struct TanhCell {
  using Forward = dnnl::vanilla_rnn_forward;
  using Backward = dnnl::vanilla_rnn_backward;
  static constexpr auto kActivation = dnnl::algorithm::eltwise_tanh;
  static Forward::desc forward(prop_kind kind, const Descs& d) {
    return Forward::desc(kind, kActivation, kLeftToRight, d.src, d.iter, d.wl, d.wi, d.bias,
                         d.dst, d.iter);
  }
  static Backward::desc backward(const Descs& d, const Descs& g) {
    return Backward::desc(prop_kind::backward, kActivation, kLeftToRight, d.src, d.iter, d.wl,
                          d.wi, d.bias, d.dst, d.iter, g.src, g.iter, g.wl, g.wi, g.bias,
                          g.dst, g.iter);
  }
};

// f(LstmCell{}), f(GruCell{}) or f(TanhCell{}).
template <class F>
auto with_cell(RnnCell cell, F&& f) {
  switch (cell) {
    case RnnCell::lstm:
      return f(LstmCell{});
    case RnnCell::gru:
      return f(GruCell{});
    case RnnCell::tanh:
      break;
  }
  return f(TanhCell{});
}

dnnl::primitive_attr forward_attr(const SegmentShape& s, const Int8Scales* int8) {
  dnnl::primitive_attr attr = scratchpad_attr();
  if (s.precision == Precision::int8) {
    if (int8 == nullptr) throw KernelError("rnn forward: int8 arithmetic without int8 scales");
    attr.set_rnn_data_qparams(kInt8DataScale, kInt8DataShift);
    attr.set_rnn_weights_qparams(kInt8WeightsMask, int8->weights);
  }
  return attr;
}

template <class Cell>
typename Cell::Forward::primitive_desc forward_pd(const SegmentShape& s, prop_kind kind,
                                                  const Int8Scales* int8 = nullptr) {
  return {Cell::forward(kind, Descs(s, forward_weights_tag(kind, s.precision))), forward_attr(s, int8),
          engine()};
}

template <class Prim, class Pd>
RnnPrimitive wrap(const Pd& pd) {
  return {Prim(pd), pd.weights_layer_desc(), pd.weights_iter_desc(), pd.workspace_desc()};
}

RnnPrimitive make_forward(const SegmentShape& s, bool training, const Int8Scales* int8) {
  prop_kind kind = training ? prop_kind::forward_training : prop_kind::forward_inference;
  return with_cell(s.cell, [&](auto cell) {
    using Cell = decltype(cell);
    return wrap<typename Cell::Forward>(forward_pd<Cell>(s, kind, int8));
  });
}

// Weights as oneDNN prefers them (any); weight gradients in recur's plain layout so
// they land in the parameters' gradient tensors directly. Gradients are f32 in either
// precision (oneDNN 2.6's bf16 backward takes no other).
RnnPrimitive make_backward(const SegmentShape& s) {
  SegmentShape grads = s;
  grads.precision = Precision::f32;
  return with_cell(s.cell, [&](auto cell) {
    using Cell = decltype(cell);
    auto hint = forward_pd<Cell>(s, prop_kind::forward_training);
    typename Cell::Backward::primitive_desc pd(
        Cell::backward(Descs(s, tag::any), Descs(grads, tag::ldigo)), scratchpad_attr(), engine(),
        hint);
    return wrap<typename Cell::Backward>(pd);
  });
}

std::string key_of(const char* what, const SegmentShape& s, std::uint64_t int8_id = 0) {
  return cache_key(what, {},
                   {static_cast<std::int64_t>(s.cell), s.steps, s.rows, s.input, s.hidden,
                    static_cast<std::int64_t>(s.precision), static_cast<std::int64_t>(int8_id)});
}

}  // namespace

dt src_type(const SegmentShape& s) { return operand_type(s.precision, dt::u8); }

dt state_type(const SegmentShape& s) { return s.precision == Precision::bf16 ? dt::bf16 : dt::f32; }

md dense_tnc(std::int64_t steps, std::int64_t rows, std::int64_t width, dt type) {
  return md({steps, rows, width}, type, tag::tnc);
}
md states_md(std::int64_t rows, std::int64_t hidden, dt type) {
  return md({1, 1, rows, hidden}, type, tag::ldnc);
}
md weights_md(const SegmentShape& s, std::int64_t in, tag t, dt type) {
  return md({1, 1, in, rnn_gates(s.cell), s.hidden}, type, t);
}
md bias_md(const SegmentShape& s) {
  return md({1, 1, rnn_bias_gates(s.cell), s.hidden}, dt::f32, tag::ldgo);
}

RnnPrimitive forward_primitive(const SegmentShape& s, bool training, const Int8Scales* int8) {
  static PrimitiveCache<RnnPrimitive> cache;
  const std::uint64_t id = s.precision == Precision::int8 && int8 != nullptr ? int8->id : 0;
  return cache.get(key_of(training ? "rnn_forward_training" : "rnn_forward_inference", s, id), [&] {
    return guarded("rnn forward", [&] { return make_forward(s, training, int8); });
  });
}

RnnPrimitive backward_primitive(const SegmentShape& s) {
  static PrimitiveCache<RnnPrimitive> cache;
  return cache.get(key_of("rnn_backward", s),
                   [&] { return guarded("rnn backward", [&] { return make_backward(s); }); });
}

}  // namespace recur::ops::detail
