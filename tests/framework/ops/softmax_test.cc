#include "recur/ops/softmax.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur {
namespace {

using testing::check_gradients;
using testing::expect_close;
using testing::random_tensor;

// Plain-loop softmax (or log-softmax) along `axis` of x, in double.
Tensor ref_softmax(const Tensor& x, std::int64_t axis, bool log) {
  std::int64_t outer = 1, n = x.dim(axis), inner = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
  for (std::int64_t d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  Tensor y = Tensor::zeros(x.shape());
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t i = 0; i < inner; ++i) {
      auto idx = [&](std::int64_t k) { return (o * n + k) * inner + i; };
      double mx = -INFINITY, z = 0;
      for (std::int64_t k = 0; k < n; ++k) mx = std::max(mx, double(x.item(idx(k))));
      for (std::int64_t k = 0; k < n; ++k) z += std::exp(x.item(idx(k)) - mx);
      for (std::int64_t k = 0; k < n; ++k) {
        double v = x.item(idx(k)) - mx;
        y.data<float>()[idx(k)] = static_cast<float>(log ? v - std::log(z) : std::exp(v) / z);
      }
    }
  return y;
}

Tensor weighted_sum(const Tensor& y) {
  std::mt19937 rng(5);
  return ops::sum(ops::mul(y, random_tensor(y.shape(), rng)));
}

TEST(OpsSoftmax, MatchesLoopsAlongEveryAxis) {
  std::mt19937 rng(1);
  Tensor x = random_tensor({3, 4, 5}, rng, -4.0f, 4.0f);
  for (std::int64_t axis : {0, 1, 2}) {
    SCOPED_TRACE(axis);
    expect_close(ops::softmax(x, axis), ref_softmax(x, axis, false), 1e-6f, 1e-5f);
    expect_close(ops::log_softmax(x, axis), ref_softmax(x, axis, true), 1e-5f, 1e-5f);
  }
  expect_close(ops::softmax(x, -1), ref_softmax(x, 2, false), 1e-6f, 1e-5f);
  Tensor row = random_tensor({1, 7}, rng);
  expect_close(ops::log_softmax(row), ref_softmax(row, 1, true), 1e-5f, 1e-5f);
}

TEST(OpsSoftmax, LargeLogitsStayFinite) {
  Tensor x = Tensor::from({1, 3}, {1000.0f, 0.0f, -1000.0f});
  expect_close(ops::log_softmax(x), Tensor::from({1, 3}, {0.0f, -1000.0f, -2000.0f}), 1e-3f);
  expect_close(ops::softmax(x), Tensor::from({1, 3}, {1.0f, 0.0f, 0.0f}), 1e-6f);
}

TEST(OpsSoftmax, Gradients) {
  std::mt19937 rng(2);
  for (std::int64_t axis : {0, 1, -1}) {
    SCOPED_TRACE(axis);
    check_gradients([&](const auto& v) { return weighted_sum(ops::softmax(v[0], axis)); },
                    {random_tensor({3, 4, 5}, rng)});
    check_gradients([&](const auto& v) { return weighted_sum(ops::log_softmax(v[0], axis)); },
                    {random_tensor({3, 4, 5}, rng)});
  }
}

// In place for inference: the same values in the same storage; with a gradient to
// record, a new tensor whose gradient is log_softmax's.
TEST(OpsSoftmax, LogSoftmaxInPlace) {
  std::mt19937 rng(6);
  const Tensor x = random_tensor({4, 1, 300}, rng, -5.0f, 5.0f);
  const Tensor want = ops::log_softmax(x, -1);
  {
    autograd::NoGradGuard no_grad;
    Tensor y = x.clone();
    const float* storage = y.data<float>();
    ops::log_softmax_in_place(y, -1);
    EXPECT_EQ(y.data<float>(), storage);
    for (std::int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.item(i), want.item(i)) << i;
  }
  check_gradients(
      [&](const auto& v) {
        Tensor y = ops::add(v[0], Tensor::zeros(v[0].shape()));  // storage of its own
        ops::log_softmax_in_place(y, 1);
        return weighted_sum(y);
      },
      {random_tensor({3, 4, 5}, rng)});
}

TEST(OpsSoftmax, RejectsBadAxis) {
  EXPECT_THROW(ops::softmax(Tensor::zeros({2, 3}), 2), ShapeError);
  EXPECT_THROW(ops::log_softmax(Tensor::zeros({2, 3}), -3), ShapeError);
  EXPECT_THROW(ops::softmax(Tensor::zeros({2}, DType::i32)), ShapeError);
}

}  // namespace
}  // namespace recur
