// Cross-entropy as one op over rows of logits: each row's log-softmax is kept as its
// maximum, log-sum-exp and centred sum (softmax_rows.h), from which the negative
// log-likelihood and label-smoothing terms follow without writing a [rows, V] tensor; the
// gradient (softmax - target distribution) recomputes the softmax in the same pass that
// writes it. Over an 8,000-way vocabulary the logits are read from memory once forward
// and once backward, where log-softmax, loss, exp and gradient as separate ops made nine
// passes over tensors of their size.
#include "recur/ops/loss.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "op_util.h"
#include "recur/ops/tape.h"
#include "softmax_rows.h"

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

// Each row's log-softmax as its RowLogSumExp, never written out: the loss reads the
// target's and the mean log-probability from it, the gradient recomputes the softmax.
std::vector<RowLogSumExp> row_statistics(const Tensor& logits, const Tensor& targets,
                                         const CrossEntropyOptions& o) {
  const std::int64_t n = logits.dim(0), v = logits.dim(1);
  const float* x = logits.data<float>();
  const std::int64_t* t = targets.data<std::int64_t>();
  std::vector<RowLogSumExp> rows(static_cast<std::size_t>(n));
#pragma omp parallel for if (n * v > 65536)
  for (std::int64_t i = 0; i < n; ++i) {
    if (t[i] != o.ignore_index) rows[static_cast<std::size_t>(i)] = row_logsumexp(x + i * v, v);
  }
  return rows;
}

// Sum over non-ignored rows of w[t] * ((1-s) * -lsm[t] + s * mean_v(-lsm[v])), with
// -lsm[k] = log_sum - (x[k] - top). Added row by row: the same on any number of threads.
double total_loss(const Tensor& logits, const Tensor& targets, const std::vector<RowLogSumExp>& rows,
                  const CrossEntropyOptions& o) {
  const std::int64_t n = logits.dim(0), v = logits.dim(1);
  const float* x = logits.data<float>();
  const std::int64_t* t = targets.data<std::int64_t>();
  const double s = o.label_smoothing;
  double total = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    if (t[i] == o.ignore_index) continue;
    const RowLogSumExp& r = rows[static_cast<std::size_t>(i)];
    const double log_sum = r.log_sum;
    const double target = log_sum - static_cast<double>(x[i * v + t[i]] - r.top);
    const double smooth = s > 0.0 ? log_sum - static_cast<double>(r.centred_sum) / static_cast<double>(v) : 0.0;
    total += row_weight(o, t[i]) * ((1.0 - s) * target + s * smooth);
  }
  return total;
}

// d loss / d logits = coef * w[t] * (softmax - q), q = (1-s) onehot(t) + s/V; 0 on ignored rows.
Tensor logits_grad(const Tensor& logits, const Tensor& targets, const std::vector<RowLogSumExp>& rows,
                   const CrossEntropyOptions& o, float coef) {
  const std::int64_t n = logits.dim(0), v = logits.dim(1);
  Tensor grad = Tensor::empty(logits.shape());
  const float* x = logits.data<float>();
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
    row_softmax_affine(x + i * v, out, v, rows[static_cast<std::size_t>(i)], w * coef, -w * shift);
    out[t[i]] -= w * coef * (1.0f - s);
  }
  return grad;
}

}  // namespace

CrossEntropyResult cross_entropy_with_count(const Tensor& logits, const Tensor& targets,
                                            const CrossEntropyOptions& options) {
  check_arguments(logits, targets, options);
  std::vector<RowLogSumExp> rows = row_statistics(logits, targets, options);
  std::int64_t count = 0;
  double weight = 0.0;  // the count without class weights
  const std::int64_t* t = targets.data<std::int64_t>();
  for (std::int64_t i = 0; i < targets.numel(); ++i) {
    if (t[i] == options.ignore_index) continue;
    ++count;
    weight += row_weight(options, t[i]);
  }
  double total = total_loss(logits, targets, rows, options);
  bool mean = options.reduction == Reduction::mean;
  double divisor = mean && weight > 0 ? weight : 1.0;
  Tensor loss = Tensor::scalar(static_cast<float>(total / divisor));
  if (autograd::needs_grad({&logits})) {
    autograd::record(
        "cross_entropy", {logits, targets}, {&loss},
        [logits = logits.detach(), targets = targets.clone(), rows = std::move(rows), options,
         coef = static_cast<float>(1.0 / divisor)](const std::vector<Tensor>& g) -> std::vector<Tensor> {
          return {logits_grad(logits, targets, rows, options, coef * g[0].item()), Tensor()};
        });
  }
  return {loss, count};
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     const CrossEntropyOptions& options) {
  return cross_entropy_with_count(logits, targets, options).loss;
}

}  // namespace recur::ops
