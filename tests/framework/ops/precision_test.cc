// bf16 inference (recur/ops/precision.h): linear and recurrent layers against f32
// references, the switch's scope (inference only) and its fallback.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "precision_test_util.h"
#include "recur/core/dtype.h"
#include "recur/core/error.h"
#include "recur/ops/conv.h"
#include "recur/ops/linear.h"
#include "recur/ops/matmul.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"
#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::expect_close;
using testing::random_tensor;

// bf16 for one test, f32 after it; skipped where the CPU lacks bf16.
using Bf16 = testing::InferencePrecisionTest<ops::Precision::bf16>;

Tensor rounded_to_bf16(const Tensor& x) {
  Tensor y = x.clone();
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    y.data<float>()[i] = bf16_to_float(float_to_bf16(y.data<float>()[i]));
  }
  return y;
}

// y = x w^T + b in double over the given values.
Tensor reference_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  const std::int64_t rows = x.dim(0), k = x.dim(1), n = w.dim(0);
  Tensor y = Tensor::zeros({rows, n});
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = b.item(j);
      for (std::int64_t i = 0; i < k; ++i) acc += double(x.item(r * k + i)) * w.item(j * k + i);
      y.data<float>()[r * n + j] = static_cast<float>(acc);
    }
  }
  return y;
}

TEST(Precision, NamesRoundTrip) {
  for (ops::Precision p : {ops::Precision::f32, ops::Precision::bf16, ops::Precision::int8}) {
    EXPECT_EQ(ops::precision_of(ops::precision_name(p)), p);
  }
  EXPECT_FALSE(ops::precision_of("fp16").has_value());
  EXPECT_FALSE(ops::cpu_isa_name().empty());
}

TEST(Precision, Bf16WithoutCpuSupportKeepsF32) {
  const ops::Precision got = ops::set_inference_precision(ops::Precision::bf16);
  EXPECT_EQ(got, ops::cpu_has_bf16() ? ops::Precision::bf16 : ops::Precision::f32);
  EXPECT_EQ(ops::inference_precision(), got);
  ops::set_inference_precision(ops::Precision::f32);
  EXPECT_EQ(ops::inference_precision(), ops::Precision::f32);
}

TEST(Precision, Int8WithoutVnniKeepsF32) {
  const ops::Precision got = ops::set_inference_precision(ops::Precision::int8);
  EXPECT_EQ(got, ops::cpu_has_int8_dot() ? ops::Precision::int8 : ops::Precision::f32);
  EXPECT_EQ(ops::inference_precision(), got);
  ops::set_inference_precision(ops::Precision::f32);
}

// Only the operands are rounded: the product accumulates in f32 and the bias is added
// in f32, so the result equals the exact product of the rounded operands to f32 rounding.
TEST_F(Bf16, LinearMultipliesBf16OperandsWithF32Accumulation) {
  std::mt19937 rng(7);
  Tensor x = random_tensor({5, 300}, rng), w = random_tensor({70, 300}, rng),
         b = random_tensor({70}, rng);
  autograd::NoGradGuard no_grad;
  Tensor y = ops::linear(x, w, b);
  expect_close(y, reference_linear(rounded_to_bf16(x), rounded_to_bf16(w), b), 2e-6f, "bf16 linear");
  // ... and differs from the f32 product by about bf16's precision, not more.
  Tensor exact = reference_linear(x, w, b);
  expect_close(y, exact, 2e-2f, "bf16 linear vs f32");
  float diff = 0;
  for (std::int64_t i = 0; i < y.numel(); ++i) diff = std::max(diff, std::abs(y.item(i) - exact.item(i)));
  EXPECT_GT(diff, 0.0f) << "the bf16 path did not run";
}

TEST_F(Bf16, LinearSeesWeightUpdates) {
  std::mt19937 rng(8);
  Tensor x = random_tensor({3, 40}, rng), w = random_tensor({6, 40}, rng), b = random_tensor({6}, rng);
  autograd::NoGradGuard no_grad;
  Tensor before = ops::linear(x, w, b);
  w.data<float>()[0] += 1.0f;  // bumps the version: the kept bf16 copy is stale
  expect_close(ops::linear(x, w, b), reference_linear(rounded_to_bf16(x), rounded_to_bf16(w), b),
               2e-6f, "after the update");
}

// Training records gradients, so it never runs in bf16: outputs identical to f32.
TEST_F(Bf16, RecordingPassesStayF32) {
  std::mt19937 rng(9);
  Tensor x = random_tensor({4, 33}, rng), w = random_tensor({9, 33}, rng), b = random_tensor({9}, rng);
  w.set_requires_grad(true);
  Tensor y = ops::linear(x, w, b);
  ops::set_inference_precision(ops::Precision::f32);
  Tensor f32 = ops::linear(x, w, b);
  for (std::int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.item(i), f32.item(i)) << i;
}

// An attention memory kept in bf16 (ops::matmul_operand) and read by matmul at every
// step: the products of the bf16-rounded operands, accumulated and returned in f32, with
// the memory as either operand and transposed or not.
TEST_F(Bf16, MatmulOfAKeptBf16OperandMultipliesInBf16) {
  std::mt19937 rng(11);
  Tensor memory = random_tensor({3, 17, 40}, rng), query = random_tensor({3, 1, 40}, rng);
  Tensor weights = random_tensor({3, 1, 17}, rng);
  autograd::NoGradGuard no_grad;
  const Tensor kept = ops::matmul_operand(memory);
  ASSERT_EQ(kept.dtype(), DType::bf16);
  for (std::int64_t i = 0; i < memory.numel(); ++i) {
    ASSERT_EQ(kept.item(i), bf16_to_float(float_to_bf16(memory.item(i)))) << i;
  }
  const Tensor scores = ops::matmul(query, kept, false, true);  // [3, 1, 17]
  const Tensor context = ops::matmul(weights, kept);           // [3, 1, 40]
  ops::set_inference_precision(ops::Precision::f32);
  const Tensor rounded = rounded_to_bf16(memory);
  expect_close(scores, ops::matmul(rounded_to_bf16(query), rounded, false, true), 2e-6f, "scores");
  expect_close(context, ops::matmul(rounded_to_bf16(weights), rounded), 2e-6f, "context");
  const Tensor exact = ops::matmul(weights, memory);
  float diff = 0;
  for (std::int64_t i = 0; i < exact.numel(); ++i) diff = std::max(diff, std::abs(context.item(i) - exact.item(i)));
  EXPECT_GT(diff, 0.0f) << "the bf16 product did not run";
  EXPECT_LT(diff, 0.1f);
}

// In f32 the operand is the tensor itself; a bf16 operand is for inference only.
TEST_F(Bf16, MatmulOperandsAreF32UnderF32AndBf16OnlyWithoutGradients) {
  std::mt19937 rng(12);
  Tensor memory = random_tensor({2, 5, 8}, rng), query = random_tensor({2, 1, 8}, rng);
  const Tensor kept = ops::matmul_operand(memory);
  query.set_requires_grad(true);
  EXPECT_THROW(ops::matmul(query, kept, false, true), Error);
  ops::set_inference_precision(ops::Precision::f32);
  EXPECT_TRUE(ops::matmul_operand(memory).same(memory));
}

// A convolution in bf16 is the f32 convolution of the rounded input and weight, up to the
// order of the f32 sums.
TEST_F(Bf16, Conv2dMultipliesBf16OperandsWithF32Accumulation) {
  std::mt19937 rng(10);
  Tensor x = random_tensor({2, 5, 9, 7}, rng), w = random_tensor({6, 5, 3, 3}, rng),
         b = random_tensor({6}, rng);
  ops::Conv2dOptions o;
  o.padding = {1, 1};
  autograd::NoGradGuard no_grad;
  Tensor y = ops::conv2d(x, w, b, o);
  ops::set_inference_precision(ops::Precision::f32);
  Tensor rounded = ops::conv2d(rounded_to_bf16(x), rounded_to_bf16(w), b, o);
  Tensor exact = ops::conv2d(x, w, b, o);
  expect_close(y, rounded, 2e-6f, "bf16 conv2d");
  float diff = 0;
  for (std::int64_t i = 0; i < y.numel(); ++i) diff = std::max(diff, std::abs(y.item(i) - exact.item(i)));
  EXPECT_GT(diff, 0.0f) << "the bf16 path did not run";
  EXPECT_LT(diff, 0.1f);
}

// Every cell, uni- and bidirectional, one and two layers, packed lengths: within bf16's
// precision of PyTorch's f32 results (hidden values are in [-1, 1]).
class Bf16Rnn : public Bf16, public ::testing::WithParamInterface<std::string> {};

TEST_P(Bf16Rnn, MatchesTorchWithinBf16Precision) {
  testing::RnnCase c(GetParam());
  autograd::NoGradGuard no_grad;
  ops::RnnResult r = c.run();
  expect_close(r.output, c.file.f32("output"), 3e-2f, GetParam() + " output");
  expect_close(r.h_n, c.file.f32("h_n"), 3e-2f, GetParam() + " h_n");
  if (c.c0.defined()) expect_close(r.c_n, c.file.f32("c_n"), 3e-2f, GetParam() + " c_n");
  ops::set_inference_precision(ops::Precision::f32);
  ops::RnnResult exact = c.run();
  float diff = 0;
  for (std::int64_t i = 0; i < exact.output.numel(); ++i) {
    diff = std::max(diff, std::abs(r.output.item(i) - exact.output.item(i)));
  }
  EXPECT_GT(diff, 0.0f) << "the bf16 path did not run";
}

INSTANTIATE_TEST_SUITE_P(Torch, Bf16Rnn,
                         ::testing::Values("lstm_uni_l1", "lstm_bi_l2", "gru_uni_l2", "gru_bi_l1",
                                           "rnn_uni_l1", "rnn_bi_l2"));

}  // namespace
}  // namespace recur
