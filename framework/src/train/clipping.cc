#include "recur/train/clipping.h"

#include <algorithm>
#include <cmath>

namespace recur::train {

namespace {

constexpr std::int64_t kBlock = 1 << 14;  // elements summed by one thread at a time
constexpr int kLanes = 8;                 // independent partial sums in a block

// sum d[i]^2 in double, over fixed blocks of fixed lanes added in a fixed order: the
// same sum on any number of threads, and vectorised.
double sum_of_squares(const float* d, std::int64_t n) {
  const std::int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> part(static_cast<std::size_t>(blocks));
#pragma omp parallel for if (blocks > 4)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::int64_t begin = b * kBlock, end = std::min(n, begin + kBlock);
    double lane[kLanes] = {};
    std::int64_t i = begin;
    for (; i + kLanes <= end; i += kLanes) {
      for (int j = 0; j < kLanes; ++j) lane[j] += static_cast<double>(d[i + j]) * d[i + j];
    }
    for (; i < end; ++i) lane[0] += static_cast<double>(d[i]) * d[i];
    double s = 0;
    for (double x : lane) s += x;
    part[static_cast<std::size_t>(b)] = s;
  }
  double sum = 0;
  for (double x : part) sum += x;
  return sum;
}

}  // namespace

double global_grad_norm(const std::vector<Tensor>& params) {
  double sum = 0;
  for (const Tensor& p : params) {
    Tensor g = p.grad();
    if (g.defined()) sum += sum_of_squares(g.data<float>(), g.numel());
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
    const std::int64_t n = g.numel();
#pragma omp parallel for simd if (n > kBlock)
    for (std::int64_t i = 0; i < n; ++i) d[i] *= scale;
  }
  return norm;
}

}  // namespace recur::train
