#include "recur/ops/matmul.h"

#include <gtest/gtest.h>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/linear.h"
#include "recur/ops/reduce.h"

namespace recur {
namespace {

using testing::check_gradients;
using testing::expect_close;
using testing::random_tensor;

// Element (b, i, j) of a [B?, R, C] tensor, read transposed when asked.
float at(const Tensor& t, std::int64_t b, std::int64_t i, std::int64_t j, bool transposed) {
  std::int64_t r = t.dim(-2), c = t.dim(-1);
  if (transposed) std::swap(i, j);
  return t.item(b * r * c + i * c + j);
}

Tensor ref_matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  bool batched = a.rank() == 3;
  std::int64_t nb = batched ? a.dim(0) : 1;
  std::int64_t m = ta ? a.dim(-1) : a.dim(-2), k = ta ? a.dim(-2) : a.dim(-1);
  std::int64_t n = tb ? b.dim(-2) : b.dim(-1);
  Shape out = batched ? Shape{nb, m, n} : Shape{m, n};
  Tensor y = Tensor::zeros(out);
  for (std::int64_t z = 0; z < nb; ++z)
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (std::int64_t p = 0; p < k; ++p) acc += double(at(a, z, i, p, ta)) * at(b, z, p, j, tb);
        y.data<float>()[(z * m + i) * n + j] = static_cast<float>(acc);
      }
  return y;
}

Shape stored(Shape logical, bool transposed) {
  if (transposed) std::swap(logical[logical.size() - 1], logical[logical.size() - 2]);
  return logical;
}

Tensor weighted_sum(const Tensor& y) {
  std::mt19937 rng(11);
  return ops::sum(ops::mul(y, random_tensor(y.shape(), rng)));
}

// [M,K] x [K,N] with odd sizes, batched and not, batch 1, all transpose combinations.
const std::vector<std::pair<Shape, Shape>> kShapes = {
    {{3, 5}, {5, 7}}, {{1, 4}, {4, 1}}, {{2, 3, 5}, {2, 5, 4}}, {{1, 3, 2}, {1, 2, 5}}};

TEST(OpsMatmul, MatchesLoops) {
  std::mt19937 rng(1);
  for (const auto& [sa, sb] : kShapes) {
    for (int flags = 0; flags < 4; ++flags) {
      bool ta = flags & 1, tb = flags & 2;
      SCOPED_TRACE(shape_str(sa) + " x " + shape_str(sb) + " ta=" + std::to_string(ta) +
                   " tb=" + std::to_string(tb));
      Tensor a = random_tensor(stored(sa, ta), rng), b = random_tensor(stored(sb, tb), rng);
      // f32 accumulation over K <= 5 terms of magnitude <= 1.
      expect_close(ops::matmul(a, b, ta, tb), ref_matmul(a, b, ta, tb), 1e-5f);
    }
  }
}

TEST(OpsMatmul, Gradients) {
  std::mt19937 rng(2);
  for (const auto& [sa, sb] : kShapes) {
    for (int flags = 0; flags < 4; ++flags) {
      bool ta = flags & 1, tb = flags & 2;
      SCOPED_TRACE(shape_str(sa) + " x " + shape_str(sb) + " ta=" + std::to_string(ta) +
                   " tb=" + std::to_string(tb));
      check_gradients([&](const auto& v) { return weighted_sum(ops::matmul(v[0], v[1], ta, tb)); },
                      {random_tensor(stored(sa, ta), rng), random_tensor(stored(sb, tb), rng)});
    }
  }
}

TEST(OpsMatmul, RejectsMismatchedOperands) {
  EXPECT_THROW(ops::matmul(Tensor::zeros({3, 4}), Tensor::zeros({5, 2})), ShapeError);
  EXPECT_THROW(ops::matmul(Tensor::zeros({2, 3, 4}), Tensor::zeros({3, 4, 2})), ShapeError);
  EXPECT_THROW(ops::matmul(Tensor::zeros({3, 4}), Tensor::zeros({2, 4, 2})), ShapeError);
  EXPECT_THROW(ops::matmul(Tensor::zeros({4}), Tensor::zeros({4})), ShapeError);
  EXPECT_NO_THROW(ops::matmul(Tensor::zeros({3, 4}), Tensor::zeros({2, 4}), false, true));
}

Tensor ref_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  std::int64_t k = w.dim(1), n = w.dim(0), rows = x.numel() / k;
  Shape out = x.shape();
  out.back() = n;
  Tensor y = Tensor::zeros(out);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = b.defined() ? b.item(j) : 0.0;
      for (std::int64_t p = 0; p < k; ++p) acc += double(x.item(r * k + p)) * w.item(j * k + p);
      y.data<float>()[r * n + j] = static_cast<float>(acc);
    }
  return y;
}

TEST(OpsLinear, MatchesLoopsForAnyRank) {
  std::mt19937 rng(3);
  Tensor w = random_tensor({4, 5}, rng), b = random_tensor({4}, rng);
  for (const Shape& xs : {Shape{5}, Shape{1, 5}, Shape{3, 5}, Shape{2, 3, 5}, Shape{2, 1, 3, 5}}) {
    SCOPED_TRACE(shape_str(xs));
    Tensor x = random_tensor(xs, rng);
    expect_close(ops::linear(x, w, b), ref_linear(x, w, b), 1e-5f);
    expect_close(ops::linear(x, w), ref_linear(x, w, Tensor()), 1e-5f);
  }
}

TEST(OpsLinear, Gradients) {
  std::mt19937 rng(4);
  check_gradients(
      [](const auto& v) { return weighted_sum(ops::linear(v[0], v[1], v[2])); },
      {random_tensor({2, 3, 5}, rng), random_tensor({4, 5}, rng), random_tensor({4}, rng)});
  check_gradients([](const auto& v) { return weighted_sum(ops::linear(v[0], v[1])); },
                  {random_tensor({1, 7}, rng), random_tensor({3, 7}, rng)});
}

TEST(OpsLinear, RejectsBadShapes) {
  Tensor w = Tensor::zeros({4, 5});
  EXPECT_THROW(ops::linear(Tensor::zeros({3, 6}), w), ShapeError);
  EXPECT_THROW(ops::linear(Tensor::zeros({3, 5}), w, Tensor::zeros({5})), ShapeError);
  EXPECT_THROW(ops::linear(Tensor::zeros({3, 5}), Tensor::zeros({20})), ShapeError);
  try {
    ops::linear(Tensor::zeros({3, 6}), w);
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("expected x [..., 5]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recur
