// ops::scatter_add_last against torch's scatter_add_ (hand-computed) and by finite
// differences; bad ids are errors naming the id.
#include "recur/ops/scatter.h"

#include <gtest/gtest.h>

#include "framework/ops/gradcheck.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"

namespace recur::ops {
namespace {

TEST(ScatterAddLast, AddsRepeatedIdsAndLeavesOtherColumnsZero) {
  Tensor x = Tensor::from({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor ids = Tensor::from<std::int64_t>({2, 3}, std::vector<std::int64_t>{0, 3, 0, 2, 1, 2});
  Tensor y = scatter_add_last(x, ids, 4);
  ASSERT_EQ(y.shape(), (Shape{2, 2, 4}));
  EXPECT_EQ(y.to_vector(),
            (std::vector<float>{4, 0, 0, 2, 10, 0, 0, 5, 0, 8, 16, 0, 0, 11, 22, 0}));
}

TEST(ScatterAddLast, GradientIsTheGather) {
  std::mt19937 rng(1);
  Tensor ids = Tensor::from<std::int64_t>({2, 3}, std::vector<std::int64_t>{0, 3, 0, 2, 1, 2});
  Tensor w = recur::testing::random_tensor({2, 2, 4}, rng);
  recur::testing::check_gradients(
      [&](const std::vector<Tensor>& in) { return sum(mul(scatter_add_last(in[0], ids, 4), w)); },
      {recur::testing::random_tensor({2, 2, 3}, rng)});
}

TEST(ScatterAddLast, BadIdsAreErrors) {
  Tensor x = Tensor::zeros({1, 1, 2});
  EXPECT_THROW(
      scatter_add_last(x, Tensor::from<std::int64_t>({1, 2}, std::vector<std::int64_t>{0, 4}), 4),
      ShapeError);
  EXPECT_THROW(scatter_add_last(
                   x, Tensor::from<std::int64_t>({1, 3}, std::vector<std::int64_t>{0, 1, 2}), 4),
               ShapeError);
}

}  // namespace
}  // namespace recur::ops
