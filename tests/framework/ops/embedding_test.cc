#include "recur/ops/embedding.h"

#include <gtest/gtest.h>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"

namespace recur {
namespace {

using testing::check_gradients;
using testing::random_tensor;

Tensor ids_of(const Shape& shape, std::vector<std::int64_t> v) {
  return Tensor::from<std::int64_t>(shape, v);
}

TEST(OpsEmbedding, GathersRows) {
  std::mt19937 rng(1);
  Tensor table = random_tensor({7, 3}, rng);
  Tensor ids = ids_of({2, 3}, {6, 0, 2, 2, 5, 0});
  Tensor y = ops::embedding(ids, table);
  ASSERT_EQ(y.shape(), (Shape{2, 3, 3}));
  for (std::int64_t i = 0; i < 6; ++i)
    for (std::int64_t k = 0; k < 3; ++k)
      EXPECT_EQ(y.item(i * 3 + k), table.item(ids.data<std::int64_t>()[i] * 3 + k));
  EXPECT_EQ(ops::embedding(ids_of({1}, {4}), table).shape(), (Shape{1, 3}));
}

TEST(OpsEmbedding, LargeGatherMatchesLoops) {  // enough rows for the threaded loop
  testing::ThreadCount threads(2);
  std::mt19937 rng(4);
  Tensor table = random_tensor({50, 300}, rng);
  std::vector<std::int64_t> v(400);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>((i * 13) % 50);
  Tensor y = ops::embedding(ids_of({20, 20}, v), table);
  for (std::int64_t i = 0; i < 400; ++i)
    for (std::int64_t k = 0; k < 300; ++k)
      ASSERT_EQ(y.item(i * 300 + k), table.item(v[static_cast<std::size_t>(i)] * 300 + k));
}

TEST(OpsEmbedding, GradientIsScatterAdd) {
  std::mt19937 rng(2);
  Tensor ids = ids_of({2, 4}, {1, 3, 3, 0, 4, 1, 3, 2});
  check_gradients(
      [&](const auto& v) {
        std::mt19937 wrng(3);
        Tensor w = random_tensor({2, 4, 5}, wrng);
        return ops::sum(ops::mul(ops::embedding(v[0], v[1]), w));
      },
      {ids, random_tensor({5, 5}, rng)}, {.skip = {0}});
}

TEST(OpsEmbedding, PaddingRowGetsNoGradient) {
  std::mt19937 rng(3);
  Tensor table = random_tensor({4, 2}, rng).set_requires_grad(true);
  Tensor ids = ids_of({5}, {0, 2, 0, 3, 2});
  ops::sum(ops::embedding(ids, table, /*padding_id=*/0)).backward();
  // Row r's gradient counts its occurrences, except the padding row.
  EXPECT_EQ(table.grad().to_vector(), (std::vector<float>{0, 0, 0, 0, 2, 2, 1, 1}));
  // The forward still returns the padding row as stored.
  EXPECT_EQ(ops::embedding(ids, table, 0).item(0), table.item(0));
}

TEST(OpsEmbedding, OutOfRangeIdIsNamed) {
  Tensor table = Tensor::zeros({4, 2});
  try {
    ops::embedding(ids_of({3}, {1, 9, 2}), table);
    FAIL() << "expected ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("id 9 at position 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::embedding(ids_of({1}, {-1}), table), ShapeError);
  EXPECT_THROW(ops::embedding(ids_of({1}, {0}), table, 4), ShapeError);
  EXPECT_THROW(ops::embedding(Tensor::zeros({2}), table), ShapeError);  // f32 ids
  EXPECT_THROW(ops::embedding(ids_of({1}, {0}), Tensor::zeros({4})), ShapeError);
}

}  // namespace
}  // namespace recur
