// Mixed-precision training (recur/ops/precision.h, set_training_precision): linear and
// recurrent layers multiply bf16 copies of their operands in passes that record
// gradients, forward and backward, with f32 accumulation, outputs and gradients.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "recur/core/dtype.h"
#include "recur/ops/linear.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"
#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::expect_close;
using testing::max_abs_diff;
using testing::random_tensor;
using testing::weighted_sum;

// bf16 training for one test, f32 after it; skips where the CPU lacks bf16.
class MixedBf16 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ops::cpu_has_bf16()) GTEST_SKIP() << "no AVX512-BF16 or AMX here (" << ops::cpu_isa_name() << ")";
    ASSERT_EQ(ops::set_training_precision(ops::Precision::bf16), ops::Precision::bf16);
  }
  void TearDown() override { ops::set_training_precision(ops::Precision::f32); }
};

Tensor rounded(const Tensor& x) {
  Tensor y = x.clone();
  for (std::int64_t i = 0; i < y.numel(); ++i) y.data<float>()[i] = bf16_to_float(float_to_bf16(y.item(i)));
  return y;
}

// op(a) op(b) in double, a [M, K] (or [K, M] transposed), b [K, N] (or [N, K]).
Tensor product(const Tensor& a, bool ta, const Tensor& b, bool tb) {
  const std::int64_t m = ta ? a.dim(1) : a.dim(0), k = ta ? a.dim(0) : a.dim(1), n = tb ? b.dim(0) : b.dim(1);
  Tensor y = Tensor::zeros({m, n});
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (std::int64_t l = 0; l < k; ++l) {
        acc += double(ta ? a.item(l * m + i) : a.item(i * k + l)) * (tb ? b.item(j * k + l) : b.item(l * n + j));
      }
      y.data<float>()[i * n + j] = static_cast<float>(acc);
    }
  }
  return y;
}

TEST(MixedPrecision, Bf16WithoutCpuSupportKeepsF32) {
  const ops::Precision got = ops::set_training_precision(ops::Precision::bf16);
  EXPECT_EQ(got, ops::cpu_has_bf16() ? ops::Precision::bf16 : ops::Precision::f32);
  EXPECT_EQ(ops::training_precision(), got);
  EXPECT_EQ(ops::pass_precision(true), got);
  EXPECT_EQ(ops::pass_precision(false), ops::inference_precision());
  ops::set_training_precision(ops::Precision::f32);
  EXPECT_EQ(ops::training_precision(), ops::Precision::f32);
}

// y = x w^T + b, dx = g w, dw = g^T x: each product exact over the bf16-rounded operands
// (to f32 rounding); the bias and its gradient f32.
TEST_F(MixedBf16, LinearForwardAndGradientsMultiplyBf16Operands) {
  std::mt19937 rng(21);
  Tensor x = random_tensor({6, 130}, rng), w = random_tensor({40, 130}, rng), b = random_tensor({40}, rng);
  Tensor g = random_tensor({6, 40}, rng);
  for (Tensor* t : {&x, &w, &b}) t->set_requires_grad(true);
  Tensor y = ops::linear(x, w, b);
  Tensor expected = product(rounded(x), false, rounded(w), true);
  for (std::int64_t i = 0; i < expected.numel(); ++i) expected.data<float>()[i] += b.item(i % 40);
  expect_close(y, expected, 2e-6f, "forward");
  EXPECT_GT(max_abs_diff(y, product(x, false, w, true)), 0.0f) << "the forward did not run in bf16";
  weighted_sum({y}, {g}).backward();
  expect_close(x.grad(), product(rounded(g), false, rounded(w), false), 2e-6f, "dx");
  expect_close(w.grad(), product(rounded(g), true, rounded(x), false), 2e-6f, "dw");
  EXPECT_GT(max_abs_diff(w.grad(), product(g, true, x, false)), 0.0f) << "dw did not run in bf16";
  Tensor db = Tensor::zeros({40});
  for (std::int64_t i = 0; i < g.numel(); ++i) db.data<float>()[i % 40] += g.item(i);
  expect_close(b.grad(), db, 1e-6f, "db (f32)");
}

// Passes that record nothing (validation inside training) keep the inference precision.
TEST_F(MixedBf16, InferencePassesKeepTheirPrecision) {
  std::mt19937 rng(22);
  Tensor x = random_tensor({3, 50}, rng), w = random_tensor({7, 50}, rng), b = random_tensor({7}, rng);
  autograd::NoGradGuard no_grad;
  Tensor y = ops::linear(x, w, b);
  ops::set_training_precision(ops::Precision::f32);
  Tensor f32 = ops::linear(x, w, b);
  for (std::int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.item(i), f32.item(i)) << i;
}

// Every cell, uni- and bidirectional, one and two layers, packed lengths: outputs and
// every gradient within bf16's precision of PyTorch's f32 reference.
class MixedBf16Rnn : public MixedBf16, public ::testing::WithParamInterface<std::string> {};

TEST_P(MixedBf16Rnn, ForwardAndGradientsMatchTorchWithinBf16Precision) {
  const testing::FixtureRun run = testing::check_against_fixture(GetParam(), 3e-2f, 5e-2f);
  EXPECT_GT(max_abs_diff(run.output, run.expected_output), 1e-5f) << "the forward did not run in bf16";
  EXPECT_GT(max_abs_diff(run.w_hh_grad, run.expected_w_hh_grad), 1e-4f) << "the backward did not run in bf16";
}

INSTANTIATE_TEST_SUITE_P(Torch, MixedBf16Rnn,
                         ::testing::Values("lstm_uni_l1", "lstm_bi_l2", "gru_uni_l2", "gru_bi_l1", "rnn_uni_l1",
                                           "rnn_bi_l2"));

}  // namespace
}  // namespace recur
