// Dynamic int8 linear layers (framework/src/ops/linear_int8.cc, precision int8): the
// result is the product of the quantized operands, rescaled, plus the bias; it stays
// within the quantization error of the f32 product; weight updates are seen; passes that
// record gradients and training precision reject or ignore int8.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "precision_test_util.h"
#include "recur/core/error.h"
#include "recur/ops/linear.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"
#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::max_abs_diff;
using testing::random_tensor;

using Int8 = testing::InferencePrecisionTest<ops::Precision::int8>;

// Symmetric s8 quantization of `v` with `scale`, as the kernel does it (times the
// reciprocal, rounded to nearest even).
double q(float v, float scale) { return std::clamp(std::nearbyint(v * (1.0f / scale)), -127.0f, 127.0f); }

// y = s_x s_w[n] sum_k q(x) q(w) + b in double: one scale for all of x, one per row of w.
std::vector<double> quantized_reference(const Tensor& x, const Tensor& w, const Tensor& b) {
  const std::int64_t m = x.dim(0), k = x.dim(1), n = w.dim(0);
  float x_max = 0;
  for (std::int64_t i = 0; i < x.numel(); ++i) x_max = std::max(x_max, std::abs(x.item(i)));
  const float s_x = x_max / 127.0f;
  std::vector<double> y(static_cast<std::size_t>(m * n));
  for (std::int64_t j = 0; j < n; ++j) {
    float w_max = 0;
    for (std::int64_t i = 0; i < k; ++i) w_max = std::max(w_max, std::abs(w.item(j * k + i)));
    const float s_w = w_max / 127.0f;
    for (std::int64_t r = 0; r < m; ++r) {
      double acc = 0;
      for (std::int64_t i = 0; i < k; ++i) acc += q(x.item(r * k + i), s_x) * q(w.item(j * k + i), s_w);
      y[static_cast<std::size_t>(r * n + j)] = double(s_x) * double(s_w) * acc + b.item(j);
    }
  }
  return y;
}

TEST_F(Int8, LinearIsTheRescaledProductOfQuantizedOperands) {
  std::mt19937 rng(17);
  for (auto [m, k, n] : {std::tuple{5, 300, 70}, std::tuple{16, 256, 1000}, std::tuple{1, 7, 3}}) {
    Tensor x = random_tensor({m, k}, rng), w = random_tensor({n, k}, rng), b = random_tensor({n}, rng);
    autograd::NoGradGuard no_grad;
    Tensor y = ops::linear(x, w, b);
    ASSERT_EQ(y.shape(), (Shape{m, n}));
    EXPECT_LT(max_abs_diff(y, quantized_reference(x, w, b)), 1e-4) << m << "x" << k << "x" << n;
    // ... within the quantization error of the f32 product (each operand off by at most
    // half a step), and not equal to it: the int8 path ran.
    ops::set_inference_precision(ops::Precision::f32);
    Tensor exact = ops::linear(x, w, b);
    ops::set_inference_precision(ops::Precision::int8);
    double d = 0;
    for (std::int64_t i = 0; i < y.numel(); ++i) d = std::max(d, double(std::abs(y.item(i) - exact.item(i))));
    EXPECT_GT(d, 0.0);
    EXPECT_LT(d, 0.05 * std::sqrt(double(k)));
  }
}

TEST_F(Int8, LinearWithoutBiasAndWithLeadingDimensions) {
  std::mt19937 rng(18);
  Tensor x = random_tensor({2, 3, 40}, rng), w = random_tensor({6, 40}, rng);
  autograd::NoGradGuard no_grad;
  Tensor y = ops::linear(x, w, Tensor());
  ASSERT_EQ(y.shape(), (Shape{2, 3, 6}));
  EXPECT_LT(max_abs_diff(y.view({6, 6}), quantized_reference(x.view({6, 40}), w, Tensor::zeros({6}))), 1e-4);
}

TEST_F(Int8, LinearSeesWeightUpdates) {
  std::mt19937 rng(19);
  Tensor x = random_tensor({3, 40}, rng), w = random_tensor({6, 40}, rng), b = random_tensor({6}, rng);
  autograd::NoGradGuard no_grad;
  Tensor before = ops::linear(x, w, b);
  w.data<float>()[0] += 1.0f;  // bumps the version: the kept int8 copy is stale
  EXPECT_LT(max_abs_diff(ops::linear(x, w, b), quantized_reference(x, w, b)), 1e-4);
}

TEST_F(Int8, AllZeroInputGivesTheBias) {
  std::mt19937 rng(20);
  Tensor w = random_tensor({4, 8}, rng), b = random_tensor({4}, rng);
  autograd::NoGradGuard no_grad;
  Tensor y = ops::linear(Tensor::zeros({2, 8}), w, b);
  for (std::int64_t i = 0; i < y.numel(); ++i) EXPECT_EQ(y.item(i), b.item(i % 4));
}

// Passes that record gradients stay f32; training cannot be set to int8.
TEST_F(Int8, RecordingPassesStayF32AndTrainingRejectsInt8) {
  std::mt19937 rng(21);
  Tensor x = random_tensor({4, 33}, rng), w = random_tensor({9, 33}, rng), b = random_tensor({9}, rng);
  w.set_requires_grad(true);
  Tensor y = ops::linear(x, w, b);
  ops::set_inference_precision(ops::Precision::f32);
  Tensor f32 = ops::linear(x, w, b);
  for (std::int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.item(i), f32.item(i)) << i;
  EXPECT_THROW(ops::set_training_precision(ops::Precision::int8), Error);
  EXPECT_EQ(ops::training_precision(), ops::Precision::f32);
}

}  // namespace
}  // namespace recur
