#include "recur/ops/shape.h"

#include <gtest/gtest.h>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur {
namespace {

using testing::broadcast_source;
using testing::check_gradients;
using testing::expect_close;
using testing::random_tensor;
using testing::tensor_from_fn;

Tensor weighted_sum(const Tensor& y) {
  std::mt19937 rng(9);
  return ops::sum(ops::mul(y, random_tensor(y.shape(), rng)));
}

// Flat index of a multi-index in a row-major shape.
std::int64_t flat(const Shape& s, const std::vector<std::int64_t>& idx) {
  std::int64_t f = 0;
  for (std::size_t d = 0; d < s.size(); ++d) f = f * s[d] + idx[d];
  return f;
}

std::vector<std::int64_t> unflat(const Shape& s, std::int64_t f) {
  std::vector<std::int64_t> idx(s.size());
  for (std::size_t d = s.size(); d-- > 0;) {
    idx[d] = f % s[d];
    f /= s[d];
  }
  return idx;
}

TEST(OpsShape, ReshapeAndUnsqueeze) {
  std::mt19937 rng(1);
  Tensor x = random_tensor({2, 3, 5}, rng);
  Tensor y = ops::reshape(x, {-1, 5});
  EXPECT_EQ(y.shape(), (Shape{6, 5}));
  EXPECT_EQ(y.to_vector(), x.to_vector());
  EXPECT_EQ(ops::unsqueeze(x, 1).shape(), (Shape{2, 1, 3, 5}));
  EXPECT_EQ(ops::unsqueeze(x, -1).shape(), (Shape{2, 3, 5, 1}));
  EXPECT_THROW(ops::reshape(x, {4, -1}), ShapeError);
  EXPECT_THROW(ops::reshape(x, {7, 5}), ShapeError);
  EXPECT_THROW(ops::unsqueeze(x, 5), ShapeError);
  check_gradients(
      [](const auto& v) {
        return weighted_sum(ops::reshape(v[0], {3, -1}));
      },
      {random_tensor({2, 3, 2}, rng)});
}

TEST(OpsShape, PermuteMatchesLoops) {
  std::mt19937 rng(2);
  Tensor x = random_tensor({2, 3, 5, 1}, rng);
  for (const std::vector<std::int64_t>& perm :
       {std::vector<std::int64_t>{2, 0, 1, 3}, {3, 1, 0, 2}, {0, 1, 2, 3}, {1, 0, 3, 2}}) {
    Shape out;
    for (auto p : perm) out.push_back(x.dim(p));
    Tensor want = tensor_from_fn(out, [&](std::int64_t f) {
      auto o = unflat(out, f);
      std::vector<std::int64_t> i(4);
      for (std::size_t d = 0; d < 4; ++d) i[static_cast<std::size_t>(perm[d])] = o[d];
      return x.item(flat(x.shape(), i));
    });
    expect_close(ops::permute(x, perm), want, 0.0f);
    check_gradients([&](const auto& v) { return weighted_sum(ops::permute(v[0], perm)); },
                    {random_tensor(x.shape(), rng)});
  }
  Tensor m = random_tensor({3, 4}, rng);
  Tensor t = ops::transpose(m, 0, 1);
  EXPECT_EQ(t.shape(), (Shape{4, 3}));
  EXPECT_EQ(t.item(1 * 3 + 2), m.item(2 * 4 + 1));
  Tensor v = Tensor::from({3}, {1, 2, 3});
  EXPECT_EQ(ops::permute(v, {0}).to_vector(), v.to_vector());
  EXPECT_THROW(ops::permute(x, {0, 1, 2}), ShapeError);
  EXPECT_THROW(ops::permute(x, {0, 1, 1, 2}), ShapeError);
  EXPECT_THROW(ops::transpose(m, 0, 2), ShapeError);
}

TEST(OpsShape, NarrowMatchesLoops) {
  std::mt19937 rng(3);
  Tensor x = random_tensor({3, 7, 4}, rng);
  for (std::int64_t axis : {0, 1, 2}) {
    std::int64_t start = 1, len = x.dim(axis) - 2;
    Shape out = x.shape();
    out[static_cast<std::size_t>(axis)] = len;
    Tensor want = tensor_from_fn(out, [&](std::int64_t f) {
      auto i = unflat(out, f);
      i[static_cast<std::size_t>(axis)] += start;
      return x.item(flat(x.shape(), i));
    });
    expect_close(ops::narrow(x, axis, start, len), want, 0.0f);
    check_gradients(
        [&](const auto& v) { return weighted_sum(ops::narrow(v[0], axis, start, len)); },
        {random_tensor(x.shape(), rng)});
  }
  EXPECT_EQ(ops::narrow(x, 1, 3, 0).shape(), (Shape{3, 0, 4}));
  EXPECT_THROW(ops::narrow(x, 1, 5, 3), ShapeError);
  EXPECT_THROW(ops::narrow(x, 3, 0, 1), ShapeError);
}

TEST(OpsShape, ConcatMatchesLoops) {
  std::mt19937 rng(4);
  Tensor a = random_tensor({2, 3, 4}, rng), b = random_tensor({2, 1, 4}, rng);
  Tensor e = Tensor::zeros({2, 0, 4});
  Tensor y = ops::concat({a, e, b}, 1);
  ASSERT_EQ(y.shape(), (Shape{2, 4, 4}));
  for (std::int64_t f = 0; f < y.numel(); ++f) {
    auto i = unflat(y.shape(), f);
    float want =
        i[1] < 3 ? a.item(flat(a.shape(), i)) : b.item(flat(b.shape(), {i[0], i[1] - 3, i[2]}));
    EXPECT_EQ(y.item(f), want) << f;
  }
  EXPECT_EQ(ops::concat({a, a}, -1).shape(), (Shape{2, 3, 8}));
  EXPECT_EQ(ops::concat({a, a}, 0).item(24), a.item(0));
  check_gradients(
      [](const auto& v) {
        return weighted_sum(ops::concat({v[0], v[1], v[0]}, 1));
      },
      {random_tensor({2, 3, 2}, rng), random_tensor({2, 1, 2}, rng)});
  // Only the first input wants a gradient.
  check_gradients(
      [](const auto& v) {
        return weighted_sum(ops::concat({v[0], v[1]}, 0));
      },
      {random_tensor({1, 3}, rng), random_tensor({2, 3}, rng)}, {.skip = {1}});
  EXPECT_THROW(ops::concat({a, b}, 0), ShapeError);
  EXPECT_THROW(ops::concat({}, 0), ShapeError);
}

TEST(OpsShape, StackAndSplit) {
  std::mt19937 rng(5);
  Tensor a = random_tensor({2, 3}, rng), b = random_tensor({2, 3}, rng);
  Tensor s = ops::stack({a, b}, 1);
  ASSERT_EQ(s.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(s.item(flat(s.shape(), {1, 1, 2})), b.item(5));
  EXPECT_EQ(s.item(flat(s.shape(), {1, 0, 2})), a.item(5));
  EXPECT_EQ(ops::stack({a, b}, -1).shape(), (Shape{2, 3, 2}));
  EXPECT_THROW(ops::stack({a, Tensor::zeros({3, 2})}), ShapeError);
  check_gradients(
      [](const auto& v) {
        return weighted_sum(ops::stack({v[0], v[1]}, 0));
      },
      {random_tensor({2, 3}, rng), random_tensor({2, 3}, rng)});

  Tensor x = random_tensor({2, 7}, rng);
  auto parts = ops::split(x, {2, 0, 5}, 1);
  ASSERT_EQ(parts.size(), 3u);
  expect_close(parts[0], ops::narrow(x, 1, 0, 2), 0.0f);
  EXPECT_EQ(parts[1].shape(), (Shape{2, 0}));
  expect_close(parts[2], ops::narrow(x, 1, 2, 5), 0.0f);
  EXPECT_THROW(ops::split(x, {2, 4}, 1), ShapeError);
  check_gradients(
      [](const auto& v) {
        auto p = ops::split(v[0], {1, 2, 4}, 1);
        return ops::add(weighted_sum(p[0]), weighted_sum(p[2]));  // p[1] unused
      },
      {random_tensor({2, 7}, rng)});
}

TEST(OpsShape, IndexSelectReordersRows) {
  std::mt19937 rng(6);
  Tensor x = random_tensor({4, 2, 3}, rng);
  Tensor idx = Tensor::from<std::int64_t>({5}, std::vector<std::int64_t>{3, 0, 0, 2, 3});
  Tensor y = ops::index_select(x, idx);
  ASSERT_EQ(y.shape(), (Shape{5, 2, 3}));
  for (std::int64_t r = 0; r < 5; ++r)
    for (std::int64_t k = 0; k < 6; ++k)
      EXPECT_EQ(y.item(r * 6 + k), x.item(idx.data<std::int64_t>()[r] * 6 + k));
  check_gradients([&](const auto& v) { return weighted_sum(ops::index_select(v[0], v[1])); },
                  {random_tensor({4, 2, 3}, rng), idx}, {.skip = {1}});
  try {
    ops::index_select(x, Tensor::from<std::int64_t>({2}, std::vector<std::int64_t>{1, 4}));
    FAIL() << "expected ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("id 4"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::index_select(x, Tensor::zeros({2})), ShapeError);
}

TEST(OpsShape, ExpandAndSumTo) {
  std::mt19937 rng(7);
  Tensor x = random_tensor({3, 1}, rng);
  Shape out{2, 3, 4};
  expect_close(ops::expand(x, out),
               tensor_from_fn(out,
                              [&](auto f) {
                                return x.item(broadcast_source(out, {3, 1}, f));
                              }),
               0.0f);
  check_gradients([&](const auto& v) { return weighted_sum(ops::expand(v[0], out)); },
                  {random_tensor({3, 1}, rng)});
  EXPECT_THROW(ops::expand(x, {3, 2, 4}), ShapeError);

  Tensor big = random_tensor(out, rng);
  Tensor want = Tensor::zeros({3, 1});
  for (std::int64_t f = 0; f < big.numel(); ++f)
    want.data<float>()[broadcast_source(out, {3, 1}, f)] += big.item(f);
  expect_close(ops::sum_to(big, {3, 1}), want, 1e-6f);
  expect_close(ops::sum_to(big, {4}), ops::sum(ops::reshape(big, {6, 4}), 0), 1e-6f);
  check_gradients(
      [](const auto& v) {
        return weighted_sum(ops::sum_to(v[0], {3, 1}));
      },
      {random_tensor(out, rng)});
  EXPECT_THROW(ops::sum_to(big, {2, 1, 1, 1}), ShapeError);
  EXPECT_THROW(ops::sum_to(big, {5}), ShapeError);
}

}  // namespace
}  // namespace recur
