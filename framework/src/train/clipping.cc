#include "recur/train/clipping.h"

#include <cmath>

namespace recur::train {

double global_grad_norm(const std::vector<Tensor>& params) {
  double sum = 0;
  for (const Tensor& p : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    const float* d = g.data<float>();
    for (std::int64_t i = 0, n = g.numel(); i < n; ++i) sum += static_cast<double>(d[i]) * d[i];
  }
  return std::sqrt(sum);
}

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm) {
  double norm = global_grad_norm(params);
  if (max_norm <= 0 || !std::isfinite(norm) || norm <= max_norm) return norm;
  const float scale = static_cast<float>(max_norm / (norm + 1e-6));
  for (const Tensor& p : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    float* d = g.data<float>();
    for (std::int64_t i = 0, n = g.numel(); i < n; ++i) d[i] *= scale;
  }
  return norm;
}

}  // namespace recur::train
