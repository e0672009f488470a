#include "recur/nn/init.h"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace recur::nn::init {

namespace {

float* f32_data(Tensor& t, const char* scheme) {
  if (t.dtype() != DType::f32) {
    throw ShapeError(std::string(scheme) + " initialises f32 tensors, not " +
                     std::string(dtype_name(t.dtype())));
  }
  return t.data<float>();
}

// rows x cols view of a weight [rows, cols, k...] (the trailing dims flattened).
std::pair<std::size_t, std::size_t> as_matrix(const Tensor& t, const char* scheme) {
  if (t.rank() < 2) {
    throw ShapeError(std::string(scheme) + " needs a tensor of rank >= 2, got " + shape_str(t.shape()));
  }
  auto rows = static_cast<std::size_t>(t.dim(0));
  return {rows, rows == 0 ? 0 : static_cast<std::size_t>(t.numel()) / rows};
}

// Q (m x n, orthonormal columns) of a = QR for m >= n, with R's diagonal made positive,
// which makes the factorisation unique. a is row-major and is overwritten.
std::vector<double> householder_q(std::vector<double> a, std::size_t m, std::size_t n) {
  std::vector<std::vector<double>> reflectors(n);
  std::vector<double> r_diag(n);
  for (std::size_t k = 0; k < n; ++k) {
    double norm = 0;
    for (std::size_t i = k; i < m; ++i) norm += a[i * n + k] * a[i * n + k];
    norm = std::sqrt(norm);
    double alpha = a[k * n + k] > 0 ? -norm : norm;  // avoids cancellation in v[0]
    r_diag[k] = alpha;
    std::vector<double> v;  // v = a[k:, k] - alpha e1
    v.reserve(m - k);
    for (std::size_t i = k; i < m; ++i) v.push_back(a[i * n + k]);
    v[0] -= alpha;
    double vv = 0;
    for (double x : v) vv += x * x;
    if (vv == 0) continue;  // column already reduced: H = I
    for (std::size_t j = k; j < n; ++j) {
      double s = 0;
      for (std::size_t i = k; i < m; ++i) s += v[i - k] * a[i * n + j];
      double f = 2 * s / vv;
      for (std::size_t i = k; i < m; ++i) a[i * n + j] -= f * v[i - k];
    }
    reflectors[k] = std::move(v);
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  std::vector<double> q(m * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) q[j * n + j] = 1;
  for (std::size_t k = n; k-- > 0;) {
    const std::vector<double>& v = reflectors[k];
    if (v.empty()) continue;
    double vv = 0;
    for (double x : v) vv += x * x;
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t i = k; i < m; ++i) s += v[i - k] * q[i * n + j];
      double f = 2 * s / vv;
      for (std::size_t i = k; i < m; ++i) q[i * n + j] -= f * v[i - k];
    }
  }
  for (std::size_t j = 0; j < n; ++j) {
    if (r_diag[j] < 0) {
      for (std::size_t i = 0; i < m; ++i) q[i * n + j] = -q[i * n + j];
    }
  }
  return q;
}

}  // namespace

double Generator::uniform() {
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Generator::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = 1.0 - uniform();  // (0, 1]: log is finite
  double u2 = uniform();
  double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2 * std::numbers::pi * u2);
  has_spare_ = true;
  return r * std::cos(2 * std::numbers::pi * u2);
}

void constant(Tensor t, float value) {
  float* p = f32_data(t, "constant");
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = value;
}

void uniform(Tensor t, float low, float high, Generator& gen) {
  float* p = f32_data(t, "uniform");
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i) {
    p[i] = static_cast<float>(low + (static_cast<double>(high) - low) * gen.uniform());
  }
}

void normal(Tensor t, float mean, float stddev, Generator& gen) {
  float* p = f32_data(t, "normal");
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i) {
    p[i] = static_cast<float>(mean + stddev * gen.normal());
  }
}

void xavier_uniform(Tensor t, Generator& gen, float gain) {
  auto [rows, cols] = as_matrix(t, "xavier_uniform");
  if (t.numel() == 0) return;
  // cols = in * receptive field, so fan_in = cols and fan_out = out * receptive field.
  double fan_in = static_cast<double>(cols);
  double fan_out = static_cast<double>(rows) * fan_in / static_cast<double>(t.dim(1));
  auto bound = static_cast<float>(gain * std::sqrt(6.0 / (fan_in + fan_out)));
  uniform(t, -bound, bound, gen);
}

void orthogonal(Tensor t, Generator& gen, float gain) {
  auto [rows, cols] = as_matrix(t, "orthogonal");
  float* p = f32_data(t, "orthogonal");
  if (rows == 0 || cols == 0) return;
  std::vector<double> a(rows * cols);
  for (double& x : a) x = gen.normal();
  bool wide = rows < cols;
  std::size_t m = wide ? cols : rows;
  std::size_t n = wide ? rows : cols;
  if (wide) {  // factor the transpose, whose columns are the rows we want orthonormal
    std::vector<double> at(a.size());
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) at[j * rows + i] = a[i * cols + j];
    }
    a.swap(at);
  }
  std::vector<double> q = householder_q(std::move(a), m, n);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      double v = wide ? q[j * n + i] : q[i * n + j];
      p[i * cols + j] = static_cast<float>(gain * v);
    }
  }
}

void lstm_forget_gate_bias(Tensor bias, float value) {
  float* p = f32_data(bias, "lstm_forget_gate_bias");
  if (bias.rank() < 1 || bias.dim(-1) % 4 != 0) {
    throw ShapeError("lstm_forget_gate_bias: last dimension of " + shape_str(bias.shape()) +
                     " is not 4 * hidden (gates i, f, g, o)");
  }
  std::int64_t gates = bias.dim(-1);
  std::int64_t hidden = gates / 4;
  for (std::int64_t row = 0, rows = bias.numel() / (gates == 0 ? 1 : gates); row < rows; ++row) {
    for (std::int64_t h = 0; h < hidden; ++h) p[row * gates + hidden + h] = value;
  }
}

}  // namespace recur::nn::init
