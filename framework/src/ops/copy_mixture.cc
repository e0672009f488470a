// The pointer-generator mixture (recur/ops/copy_mixture.h): oneDNN's softmax and log,
// plain loops for the sparse copy part (oneDNN has no scatter). With P the mixture,
// sm the softmax, c the scattered copy distribution and dP = dlogP / P, per row:
//   dlogits = p_gen * sm * (dP - <dP, sm>)
//   dp_gen  = <dP, sm - c> = <dP, sm> - sum_s weights[s] * dP[ids[s]]
//   dweights[s] = (1 - p_gen) * dP[ids[s]]
// so the backward pass allocates the logits' gradient and nothing else of size V.
// With an extended vocabulary (width W > V) P and dP have W columns, sm has V (it is 0
// beyond them): the same formulas with <dP, sm> over the first V columns.
#include "recur/ops/copy_mixture.h"

#include <string>

#include "op_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

struct Dims {
  std::int64_t b, t, v, s, w;  // w: columns of the result (>= v)
};

Dims check_arguments(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                     const Tensor& ids, std::int64_t width) {
  constexpr const char* op = "copy_mixture_log_probs";
  check_f32(op, "logits", logits);
  check_f32(op, "p_gen", p_gen);
  check_f32(op, "weights", weights);
  check_dtype(op, "ids", ids, DType::i64);
  check_rank(op, "logits", logits, 3);
  check_rank(op, "weights", weights, 3);
  check_rank(op, "ids", ids, 2);
  const Dims d{logits.dim(0), logits.dim(1), logits.dim(2), weights.dim(2), width};
  if (width < d.v) {
    throw ShapeError(std::string(op) + ": width " + std::to_string(width) +
                     " is smaller than the vocabulary (" + std::to_string(d.v) + ")");
  }
  auto expect = [&](const char* arg, const Tensor& t, const Shape& want) {
    if (t.shape() != want) {
      throw ShapeError(std::string(op) + ": " + arg + " must be " + shape_str(want) +
                       " for logits " + shape_str(logits.shape()) + ", got " + shape_str(t.shape()));
    }
  };
  expect("p_gen", p_gen, {d.b, d.t, 1});
  expect("weights", weights, {d.b, d.t, d.s});
  expect("ids", ids, {d.b, d.s});
  const std::int64_t* id = ids.data<std::int64_t>();
  for (std::int64_t i = 0; i < ids.numel(); ++i) {
    if (id[i] < 0 || id[i] >= d.w) {
      throw ShapeError(std::string(op) + ": id " + std::to_string(id[i]) + " at position " +
                       std::to_string(i) + " is out of range [0, " + std::to_string(d.w) + ")");
    }
  }
  return d;
}

struct Saved {
  Tensor softmax, mixture, p_gen, weights, ids;
  Dims d;
};

// Returns {dlogits, dp_gen, dweights}.
std::vector<Tensor> backward(const Saved& k, const Tensor& grad) {
  const auto [b, t, v, s, w_cols] = k.d;
  const std::int64_t rows = b * t;
  Tensor dlogits = Tensor::empty({b, t, v});
  Tensor dp_gen = Tensor::empty({b, t, 1});
  Tensor dweights = Tensor::empty({b, t, s});
  const float* sm = k.softmax.data<float>();
  const float* mix = k.mixture.data<float>();
  const float* g = grad.data<float>();
  const float* gen = k.p_gen.data<float>();
  const float* w = k.weights.data<float>();
  const std::int64_t* id = k.ids.data<std::int64_t>();
  float* dl = dlogits.data<float>();
  float* dg = dp_gen.data<float>();
  float* dw = dweights.data<float>();
#pragma omp parallel for if (rows * w_cols > 65536)
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* sm_r = sm + r * v;
    const float* mix_r = mix + r * w_cols;
    const float* g_r = g + r * w_cols;
    const std::int64_t* id_r = id + (r / t) * s;
    double acc = 0.0;
    for (std::int64_t j = 0; j < v; ++j) acc += g_r[j] / mix_r[j] * sm_r[j];
    const float dot = static_cast<float>(acc);  // <dP, sm>
    float copied = 0.0f;                        // <dP, c>
    for (std::int64_t j = 0; j < s; ++j) {
      const float dp = g_r[id_r[j]] / mix_r[id_r[j]];
      copied += w[r * s + j] * dp;
      dw[r * s + j] = (1.0f - gen[r]) * dp;
    }
    dg[r] = dot - copied;
    float* dl_r = dl + r * v;
    for (std::int64_t j = 0; j < v; ++j) dl_r[j] = gen[r] * sm_r[j] * (g_r[j] / mix_r[j] - dot);
  }
  return {dlogits, dp_gen, dweights, Tensor()};
}

}  // namespace

Tensor copy_mixture_log_probs(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                              const Tensor& ids, float floor) {
  return copy_mixture_log_probs(logits, p_gen, weights, ids, floor, logits.dim(-1));
}

Tensor copy_mixture_log_probs(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                              const Tensor& ids, float floor, std::int64_t width) {
  const Dims d = check_arguments(logits, p_gen, weights, ids, width);
  const std::int64_t rows = d.b * d.t, v = d.v, s = d.s, t = d.t, w_cols = d.w;
  Tensor sm, out;
  Tensor mixture = Tensor::empty({d.b, d.t, w_cols});
  {
    autograd::NoGradGuard no_grad;
    sm = softmax(logits, -1);
    const float* p = sm.data<float>();
    const float* gen = p_gen.data<float>();
    const float* w = weights.data<float>();
    const std::int64_t* id = ids.data<std::int64_t>();
    float* m = mixture.data<float>();
#pragma omp parallel for if (rows * w_cols > 65536)
    for (std::int64_t r = 0; r < rows; ++r) {
      float* m_r = m + r * w_cols;
      const float* p_r = p + r * v;
      for (std::int64_t j = 0; j < v; ++j) m_r[j] = gen[r] * p_r[j] + floor;
      for (std::int64_t j = v; j < w_cols; ++j) m_r[j] = floor;
      const std::int64_t* id_r = id + (r / t) * s;
      for (std::int64_t j = 0; j < s; ++j) m_r[id_r[j]] += (1.0f - gen[r]) * w[r * s + j];
    }
    out = log(mixture);
  }
  if (!autograd::needs_grad({&logits, &p_gen, &weights})) return out;
  autograd::record("copy_mixture_log_probs", {logits, p_gen, weights, ids}, {&out},
                   [k = Saved{sm, mixture, p_gen.detach(), weights.detach(), ids.clone(), d}](
                       const std::vector<Tensor>& g) { return backward(k, g[0]); });
  return out;
}

}  // namespace recur::ops
