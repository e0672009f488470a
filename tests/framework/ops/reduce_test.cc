#include "recur/ops/reduce.h"

#include <gtest/gtest.h>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/threads.h"

namespace recur {
namespace {

using testing::check_gradients;
using testing::expect_close;
using testing::random_tensor;

Tensor weighted_sum(const Tensor& y) {
  std::mt19937 rng(3);
  return ops::sum(ops::mul(y, random_tensor(y.shape(), rng)));
}

// Sum (or mean) along `axis` of a [outer, n, inner] view of x, keepdim shape.
Tensor ref_reduce(const Tensor& x, std::int64_t axis, bool mean) {
  std::int64_t outer = 1, n = x.dim(axis), inner = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
  for (std::int64_t d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  Shape keep = x.shape();
  keep[static_cast<std::size_t>(axis)] = 1;
  Tensor y = Tensor::zeros(keep);
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t i = 0; i < inner; ++i) {
      double acc = 0;
      for (std::int64_t k = 0; k < n; ++k) acc += x.item((o * n + k) * inner + i);
      y.data<float>()[o * inner + i] = static_cast<float>(mean ? acc / n : acc);
    }
  return y;
}

TEST(OpsReduce, AllElements) {
  std::mt19937 rng(1);
  Tensor x = random_tensor({3, 5, 7}, rng);
  double acc = 0;
  for (float v : x.to_vector()) acc += v;
  Tensor s = ops::sum(x), m = ops::mean(x);
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_NEAR(s.item(), acc, 1e-4);
  EXPECT_NEAR(m.item(), acc / 105, 1e-6);
  EXPECT_EQ(ops::sum(Tensor::scalar(2.5f)).item(), 2.5f);
  EXPECT_EQ(ops::sum(Tensor::zeros({0, 3})).item(), 0.0f);
  check_gradients([](const auto& v) { return ops::sum(v[0]); }, {random_tensor({2, 3}, rng)});
  check_gradients([](const auto& v) { return ops::mean(v[0]); }, {random_tensor({1, 5, 3}, rng)});
}

TEST(OpsReduce, AlongAxis) {
  std::mt19937 rng(2);
  Tensor x = random_tensor({3, 5, 7}, rng);
  for (std::int64_t axis : {0, 1, 2}) {
    for (bool mean : {false, true}) {
      SCOPED_TRACE(std::to_string(axis) + (mean ? " mean" : " sum"));
      Tensor want = ref_reduce(x, axis, mean);
      Tensor kept = mean ? ops::mean(x, axis, true) : ops::sum(x, axis, true);
      expect_close(kept, want, 1e-5f);
      Tensor dropped = mean ? ops::mean(x, axis - 3) : ops::sum(x, axis - 3);
      Shape s = x.shape();
      s.erase(s.begin() + axis);
      EXPECT_EQ(dropped.shape(), s);
      EXPECT_EQ(dropped.to_vector(), kept.to_vector());
      check_gradients(
          [&](const auto& v) {
            return weighted_sum(mean ? ops::mean(v[0], axis) : ops::sum(v[0], axis, true));
          },
          {random_tensor({2, 3, 4}, rng)});
    }
  }
  // A reduced axis of size 1 is a copy.
  Tensor one = random_tensor({4, 1}, rng);
  EXPECT_EQ(ops::sum(one, 1).to_vector(), one.to_vector());
  EXPECT_THROW(ops::sum(x, 3), ShapeError);
}

// sum_to over every pattern of reduced dimensions: one leading, middle or trailing run
// (computed as a product with ones) and two separate runs (oneDNN's reduction).
TEST(OpsReduce, SumToAnyPattern) {
  std::mt19937 rng(4);
  Tensor x = random_tensor({2, 3, 4, 5}, rng);
  for (const Shape& to : {Shape{4, 5}, Shape{1, 1, 4, 5}, Shape{2, 1, 1, 5}, Shape{2, 3, 1, 1},
                          Shape{1, 3, 1, 5}, Shape{2, 1, 4, 1}, Shape{1}}) {
    SCOPED_TRACE(shape_str(to));
    Shape keep(4 - to.size(), 1);
    keep.insert(keep.end(), to.begin(), to.end());
    Tensor want = Tensor::zeros(keep);
    std::vector<double> acc(static_cast<std::size_t>(want.numel()), 0.0);
    for (std::int64_t i = 0; i < 2; ++i)
      for (std::int64_t j = 0; j < 3; ++j)
        for (std::int64_t k = 0; k < 4; ++k)
          for (std::int64_t l = 0; l < 5; ++l) {
            const std::int64_t idx[4] = {i, j, k, l};
            std::int64_t o = 0;
            for (std::size_t d = 0; d < 4; ++d) o = o * keep[d] + (keep[d] == 1 ? 0 : idx[d]);
            acc[static_cast<std::size_t>(o)] += x.item(((i * 3 + j) * 4 + k) * 5 + l);
          }
    for (std::size_t o = 0; o < acc.size(); ++o) want.data<float>()[o] = static_cast<float>(acc[o]);
    Tensor got = ops::sum_to(x, to);
    EXPECT_EQ(got.shape(), to);
    expect_close(got.view(keep), want, 1e-5f);
  }
}

TEST(OpsMax, ValuesAlongAnAxisAndTheGradientToTheFirstMaximum) {
  Tensor x = Tensor::from({2, 3, 2}, {1, 6, 5, 2, 5, -1, -3, -4, -2, -4, -3, 0});
  Tensor m = ops::max(x, 1);
  ASSERT_EQ(m.shape(), (Shape{2, 2}));
  EXPECT_EQ(m.to_vector(), (std::vector<float>{5, 6, -2, 0}));
  EXPECT_EQ(ops::max(x, -1, true).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(ops::max(x, -1).to_vector(), (std::vector<float>{6, 5, 5, -3, -2, 0}));
  // Ties: the first of the equal maxima gets the gradient (5 at [0,1,0], not [0,2,0]).
  Tensor v = x.clone().set_requires_grad(true);
  ops::sum(ops::max(v, 1)).backward();
  EXPECT_EQ(v.grad().to_vector(), (std::vector<float>{0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1}));
  // Finite differences need maxima apart by more than the step: distinct values 0.2 apart.
  std::mt19937 rng(7);
  Tensor spaced = Tensor::from({4, 3}, {0.4f, -1.2f, 1.0f, -0.2f, 0.8f, -0.6f, 1.4f, 0.0f, -1.0f, -0.4f, 0.2f, 0.6f});
  testing::check_gradients([](const auto& in) { return ops::sum(ops::mul(ops::max(in[0], 0), in[1])); },
                           {spaced, testing::random_tensor({3}, rng)});
  EXPECT_THROW(ops::max(Tensor::zeros({2, 0}), 1), ShapeError);
}

TEST(OpsThreads, SetAndGet) {
  int before = ops::num_threads();
  ops::set_num_threads(1);
  EXPECT_EQ(ops::num_threads(), 1);
  ops::set_num_threads(before);
  EXPECT_EQ(ops::num_threads(), before);
  EXPECT_THROW(ops::set_num_threads(0), Error);
}

}  // namespace
}  // namespace recur
