// Cross-entropy as one op: log-softmax (oneDNN) followed by the negative log-likelihood
// and label-smoothing terms in plain loops over rows, with the fused gradient
// (softmax - target distribution) instead of two chained backward passes.
#include "recur/ops/loss.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "op_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

void check_arguments(const Tensor& logits, const Tensor& targets, const CrossEntropyOptions& o) {
  check_f32("cross_entropy", "logits", logits);
  check_rank("cross_entropy", "logits", logits, 2);
  check_dtype("cross_entropy", "targets", targets, DType::i64);
  if (targets.shape() != Shape{logits.dim(0)}) {
    throw ShapeError("cross_entropy: expected targets [" + std::to_string(logits.dim(0)) +
                     "] for logits " + shape_str(logits.shape()) + ", got " +
                     shape_str(targets.shape()));
  }
  if (!(o.label_smoothing >= 0.0f && o.label_smoothing <= 1.0f)) {
    throw Error("cross_entropy: label_smoothing " + std::to_string(o.label_smoothing) +
                " is not in [0, 1]");
  }
  if (!o.class_weights.empty() && static_cast<std::int64_t>(o.class_weights.size()) != logits.dim(1)) {
    throw ShapeError("cross_entropy: " + std::to_string(o.class_weights.size()) + " class weights for " +
                     std::to_string(logits.dim(1)) + " classes");
  }
  std::int64_t classes = logits.dim(1);
  const std::int64_t* t = targets.data<std::int64_t>();
  for (std::int64_t i = 0; i < targets.numel(); ++i) {
    if (t[i] != o.ignore_index && (t[i] < 0 || t[i] >= classes)) {
      throw ShapeError("cross_entropy: target " + std::to_string(t[i]) + " at row " +
                       std::to_string(i) + " is out of range [0, " + std::to_string(classes) +
                       ") and is not the ignore_index " + std::to_string(o.ignore_index));
    }
  }
}

// The weight of a row with target t (1 without class weights).
float row_weight(const CrossEntropyOptions& o, std::int64_t t) {
  return o.class_weights.empty() ? 1.0f : o.class_weights[static_cast<std::size_t>(t)];
}

// Sum over non-ignored rows of w[t] * ((1-s) * -lsm[t] + s * mean_v(-lsm[v])).
double total_loss(const Tensor& lsm, const Tensor& targets, const CrossEntropyOptions& o) {
  std::int64_t n = lsm.dim(0), v = lsm.dim(1);
  const float* l = lsm.data<float>();
  const std::int64_t* t = targets.data<std::int64_t>();
  const double s = o.label_smoothing;
  double total = 0.0;
#pragma omp parallel for reduction(+ : total) if (n * v > 65536)
  for (std::int64_t i = 0; i < n; ++i) {
    if (t[i] == o.ignore_index) continue;
    const float* row = l + i * v;
    double smooth = 0.0;
    if (s > 0.0) {
      for (std::int64_t k = 0; k < v; ++k) smooth -= row[k];
      smooth /= static_cast<double>(v);
    }
    total += row_weight(o, t[i]) * ((1.0 - s) * -static_cast<double>(row[t[i]]) + s * smooth);
  }
  return total;
}

// d loss / d logits = coef * w[t] * (softmax - q), q = (1-s) onehot(t) + s/V; 0 on ignored rows.
// The softmax comes from oneDNN's vectorised exp of the saved log-softmax.
Tensor logits_grad(const Tensor& lsm, const Tensor& targets, const CrossEntropyOptions& o,
                   float coef) {
  std::int64_t n = lsm.dim(0), v = lsm.dim(1);
  Tensor grad = ops::exp(lsm);
  const std::int64_t* t = targets.data<std::int64_t>();
  float* g = grad.data<float>();
  const float s = o.label_smoothing;
  const float shift = v > 0 ? coef * s / static_cast<float>(v) : 0.0f;
#pragma omp parallel for if (n * v > 65536)
  for (std::int64_t i = 0; i < n; ++i) {
    float* out = g + i * v;
    if (t[i] == o.ignore_index) {
      std::fill(out, out + v, 0.0f);
      continue;
    }
    const float w = row_weight(o, t[i]);
    for (std::int64_t k = 0; k < v; ++k) out[k] = w * (coef * out[k] - shift);
    out[t[i]] -= w * coef * (1.0f - s);
  }
  return grad;
}

}  // namespace

CrossEntropyResult cross_entropy_with_count(const Tensor& logits, const Tensor& targets,
                                            const CrossEntropyOptions& options) {
  check_arguments(logits, targets, options);
  Tensor lsm;
  {
    autograd::NoGradGuard no_grad;
    lsm = log_softmax(logits, 1);
  }
  std::int64_t count = 0;
  double weight = 0.0;  // the count without class weights
  const std::int64_t* t = targets.data<std::int64_t>();
  for (std::int64_t i = 0; i < targets.numel(); ++i) {
    if (t[i] == options.ignore_index) continue;
    ++count;
    weight += row_weight(options, t[i]);
  }
  double total = total_loss(lsm, targets, options);
  bool mean = options.reduction == Reduction::mean;
  double divisor = mean && weight > 0 ? weight : 1.0;
  Tensor loss = Tensor::scalar(static_cast<float>(total / divisor));
  if (autograd::needs_grad({&logits})) {
    autograd::record(
        "cross_entropy", {logits, targets}, {&loss},
        [lsm, targets = targets.clone(), options, coef = static_cast<float>(1.0 / divisor)](
            const std::vector<Tensor>& g) -> std::vector<Tensor> {
          return {logits_grad(lsm, targets, options, coef * g[0].item()), Tensor()};
        });
  }
  return {loss, count};
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     const CrossEntropyOptions& options) {
  return cross_entropy_with_count(logits, targets, options).loss;
}

}  // namespace recur::ops
