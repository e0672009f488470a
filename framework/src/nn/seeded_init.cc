#include "seeded_init.h"

#include <cmath>
#include <numbers>
#include <vector>

namespace recur::nn::detail {

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

void fill_uniform(Tensor& t, float bound, std::mt19937_64& rng) {
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    p[i] = static_cast<float>((2.0 * uniform01(rng) - 1.0) * bound);
  }
}

namespace {

// N(0, 1) by Box-Muller; 1 - u keeps the logarithm finite.
double normal(std::mt19937_64& rng) {
  const double u = 1.0 - uniform01(rng);
  const double v = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

}  // namespace

void fill_orthogonal_block(Tensor& w, std::int64_t col, std::int64_t n, std::mt19937_64& rng) {
  if (w.rank() != 2 || w.dim(0) != n || col < 0 || col + n > w.dim(1)) {
    throw ShapeError("orthogonal init: no " + std::to_string(n) + "x" + std::to_string(n) +
                     " block at column " + std::to_string(col) + " of " + shape_str(w.shape()));
  }
  // q holds the block's columns, one per row of q (column j of the block = q[j]).
  std::vector<double> q(static_cast<std::size_t>(n * n));
  for (double& x : q) x = normal(rng);
  for (std::int64_t j = 0; j < n; ++j) {
    double* qj = q.data() + j * n;
    for (std::int64_t k = 0; k < j; ++k) {
      const double* qk = q.data() + k * n;
      double dot = 0;
      for (std::int64_t i = 0; i < n; ++i) dot += qk[i] * qj[i];
      for (std::int64_t i = 0; i < n; ++i) qj[i] -= dot * qk[i];
    }
    double norm = 0;
    for (std::int64_t i = 0; i < n; ++i) norm += qj[i] * qj[i];
    norm = std::sqrt(norm);
    for (std::int64_t i = 0; i < n; ++i) qj[i] /= norm;
  }
  float* p = w.data<float>();
  const std::int64_t cols = w.dim(1);
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) p[i * cols + col + j] = static_cast<float>(q[j * n + i]);
  }
}

}  // namespace recur::nn::detail
