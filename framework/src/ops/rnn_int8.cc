#include "rnn_int8.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include "dnnl_util.h"

namespace recur::ops::detail {

namespace {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// What the quantized weights were made from besides W_ih's version (the cache key's).
struct Int8LstmEntry : Int8Lstm {
  const void* hh_storage = nullptr;
  std::uint64_t hh_version = 0;
};

// max |w[i, c]| over the rows i of a [rows, cols] weight, per column c.
std::vector<float> column_max(const Tensor& w) {
  const std::int64_t rows = w.dim(0), cols = w.dim(1);
  std::vector<float> out(static_cast<std::size_t>(cols), 0.0f);
  const float* p = w.data<float>();
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = p + i * cols;
    for (std::size_t c = 0; c < out.size(); ++c) out[c] = std::max(out[c], std::abs(row[c]));
  }
  return out;
}

// `w` (f32, recur's plain [in, gates * hidden] = ldigo) as s8 in layout `want`, each
// column c multiplied by scales[c] and rounded; oneDNN's reorder also stores the
// compensation the primitive subtracts for the input's shift.
dnnl::memory quantized(const Tensor& w, const md& plain, const md& want, const std::vector<float>& scales) {
  return guarded("int8 rnn weight reorder", [&] {
    dnnl::primitive_attr attr;
    attr.set_rnn_data_qparams(kInt8DataScale, kInt8DataShift);
    attr.set_rnn_weights_qparams(kInt8WeightsMask, scales);
    dnnl::memory from(plain, engine(), const_cast<float*>(w.data<float>()));
    dnnl::memory to(want, engine());
    dnnl::reorder reorder(dnnl::reorder::primitive_desc(engine(), plain, engine(), want, attr));
    execute(reorder, {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}});
    return to;
  });
}

}  // namespace

float int8_input_range(const float* x, std::size_t n) {
  float m = 0.0f;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::abs(x[i]));
  if (!(m > 0.0f) || !std::isfinite(m)) return 1.0f;
  int e = 0;
  const float f = std::frexp(m, &e);  // m = f 2^e, f in [0.5, 1)
  return f == 0.5f ? m : std::ldexp(1.0f, e);
}

void quantize_int8_input(const float* x, std::size_t n, float alpha, std::uint8_t* u) {
  const float k = kInt8DataScale / alpha;
  // Adding and subtracting 1.5 * 2^23 rounds |v| < 2^22 to the nearest integer, ties to
  // even, in plain SSE2 arithmetic (the loop vectorises; nearbyint would be a call).
  constexpr float kRound = 12582912.0f;
  for (std::size_t i = 0; i < n; ++i) {
    float v = x[i] * k;
    v = v > -128.0f ? v : -128.0f;  // also a NaN
    v = v < 127.0f ? v : 127.0f;
    v = (v + kRound) - kRound;
    u[i] = static_cast<std::uint8_t>(static_cast<int>(v) + 128);
  }
}

std::shared_ptr<const Int8Lstm> int8_lstm(const RnnParams& params, const SegmentShape& s, float alpha) {
  const Tensor& w_ih = params.w_ih;
  const Tensor& w_hh = params.w_hh;
  DerivedCache& cache = w_ih.impl_ptr()->storage->derived();
  const std::string key = "lstm_int8@" + std::to_string(w_ih.impl_ptr()->offset) + " alpha " + std::to_string(alpha);
  const std::uint64_t version = w_ih.version();
  const void* hh_storage = w_hh.impl_ptr()->storage.get();
  if (auto hit = std::static_pointer_cast<const Int8LstmEntry>(cache.find(key, version))) {
    if (hit->hh_storage == hh_storage && hit->hh_version == w_hh.version()) return hit;
  }
  static std::atomic<std::uint64_t> next_id{1};
  auto made = std::make_shared<Int8LstmEntry>();
  made->hh_storage = hh_storage;
  made->hh_version = w_hh.version();
  made->scales.id = next_id++;
  const std::vector<float> ih = column_max(w_ih), hh = column_max(w_hh);
  std::vector<float>& scale = made->scales.weights;
  scale.resize(ih.size());
  for (std::size_t c = 0; c < ih.size(); ++c) {
    const float m = std::max(alpha * ih[c], hh[c]);
    scale[c] = m > 0.0f && std::isfinite(m) ? kInt8DataScale / m : 1.0f;
  }
  SegmentShape shape = s;
  shape.precision = Precision::int8;
  const RnnPrimitive p = forward_primitive(shape, false, &made->scales);
  std::vector<float> layer_scale(scale);
  for (float& v : layer_scale) v *= alpha;
  made->layer = quantized(w_ih, weights_md(shape, shape.input, tag::ldigo), p.weights_layer, layer_scale);
  made->iter = quantized(w_hh, weights_md(shape, shape.hidden, tag::ldigo), p.weights_iter, scale);
  cache.put(key, version, made);
  return made;
}

}  // namespace recur::ops::detail
