// MemoryRows against the plain computation it replaces: each row attending to its own
// copy of its source's memory. Beam-shaped reorders (rows of a slot together), shrinking
// batches that drop slots, and rows out of slot order must all give the same results;
// held ids follow their slots.
#include "recur/search/memory_rows.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "framework/ops/gradcheck.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/embedding.h"
#include "recur/ops/matmul.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::search {
namespace {

using recur::testing::random_tensor;

constexpr std::int64_t kSources = 6, kSteps = 5, kWidth = 4;
constexpr float kRounding = 1e-6f;  // values are O(1)

// Dot attention of queries q [X, G, D] over memory [X, S, D] with padding [X, 1, S]:
// (context [X, G, D], weights [X, G, S]), the shape of what a decoder runs on the grid.
std::pair<Tensor, Tensor> attend(const Tensor& q, const Tensor& memory, const Tensor& padding) {
  Tensor scores = ops::masked_fill(ops::matmul(q, memory, false, true), padding,
                                   -std::numeric_limits<float>::infinity());
  Tensor weights = ops::softmax(scores, -1);
  return {ops::matmul(weights, memory), weights};
}

TEST(MemoryRows, RowsAttendToTheirOwnSourceWhateverTheOrder) {
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(7);
  Tensor memory = random_tensor({kSources, kSteps, kWidth}, rng);
  Tensor padding = Tensor::zeros({kSources, 1, kSteps});
  const std::vector<std::int64_t> lengths{4, 2, 5, 3, 1, 5};
  for (std::int64_t b = 0; b < kSources; ++b) {
    for (std::int64_t s = lengths[static_cast<std::size_t>(b)]; s < kSteps; ++s) padding.data<float>()[b * kSteps + s] = 1;
  }
  std::vector<std::int64_t> source_ids(static_cast<std::size_t>(kSources * kSteps));
  for (std::size_t i = 0; i < source_ids.size(); ++i) source_ids[i] = static_cast<std::int64_t>(100 + i);
  MemoryRows rows(kSources, Tensor::from<std::int64_t>({kSources, kSteps}, source_ids));
  const std::size_t m = rows.hold(memory), p = rows.hold(padding);
  EXPECT_EQ(rows.hold(memory), m) << "the same tensor is held once";
  std::vector<std::int64_t> source{0, 1, 2, 3, 4, 5};  // each row's sentence

  auto check = [&](const char* what) {
    SCOPED_TRACE(what);
    const auto n = static_cast<std::int64_t>(source.size());
    ASSERT_EQ(rows.rows(), n);
    for (std::int64_t r = 0; r < n; ++r) {
      const std::int64_t slot = rows.slot(r);
      ASSERT_EQ(rows.source_ids().data<std::int64_t>()[slot * kSteps],
                100 + source[static_cast<std::size_t>(r)] * kSteps) << "row " << r;
    }
    Tensor q = random_tensor({n, 1, kWidth}, rng);
    auto [context, weights] = attend(rows.to_grid(q), rows.grid_memory(m), rows.grid_memory(p));
    Tensor got_context = rows.from_grid(context), got_weights = rows.from_grid(weights);
    Tensor idx = Tensor::from<std::int64_t>({n}, source);
    auto [want_context, want_weights] =
        attend(q, ops::index_select(memory, idx), ops::index_select(padding, idx));
    ASSERT_EQ(got_context.shape(), want_context.shape());
    ASSERT_EQ(got_weights.shape(), want_weights.shape());
    // The same products on another batch shape: equal on AVX-512, within a few f32
    // roundings where oneDNN picks shape-dependent kernels (AVX2); a row attending to
    // another source would be off by O(1).
    for (std::int64_t i = 0; i < want_context.numel(); ++i) {
      ASSERT_NEAR(got_context.item(i), want_context.item(i), kRounding) << "context " << i;
    }
    for (std::int64_t i = 0; i < want_weights.numel(); ++i) {
      ASSERT_NEAR(got_weights.item(i), want_weights.item(i), kRounding) << "weights " << i;
    }
  };
  auto reorder = [&](const std::vector<std::int64_t>& index) {
    std::vector<std::int64_t> next;
    for (std::int64_t i : index) next.push_back(source[static_cast<std::size_t>(i)]);
    source = next;
    rows.reorder(index);
  };

  check("initial rows");
  reorder({0, 0, 0, 1, 2, 2, 3, 3, 3, 4, 5, 5});  // beam: up to 3 rows per sentence
  check("grouped rows");
  EXPECT_EQ(rows.slots(), 6);
  reorder({1, 0, 2, 3, 4, 4, 5, 10, 11});          // sentence 1's row dropped, others shuffled
  check("rows of a sentence in another order");
  reorder({0, 1, 2, 5, 6});                        // sentences 0 and 3 left: slots dropped
  check("after sentences finished");
  EXPECT_EQ(rows.slots(), 2);
  EXPECT_EQ(rows.held(m).dim(0), 2);
  reorder({4, 0, 3});                              // rows out of slot order
  check("rows out of slot order");
  reorder({1});
  check("one row");
  EXPECT_EQ(rows.slots(), 1);
  EXPECT_THROW(rows.reorder({1}), ShapeError);
}

TEST(MemoryRows, QueriesOfSeveralPositionsPerRowKeepTheirOrder) {
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(3);
  MemoryRows rows(3);
  rows.reorder({0, 0, 2, 2, 2});
  Tensor q = random_tensor({5, 2, kWidth}, rng);  // T = 2 positions per row
  Tensor grid = rows.to_grid(q);
  EXPECT_EQ(grid.shape(), (Shape{3, 6, kWidth}));  // 3 slots (one unused, kept) x (G = 3) * T
  Tensor back = rows.from_grid(grid);
  ASSERT_EQ(back.shape(), q.shape());
  for (std::int64_t i = 0; i < q.numel(); ++i) ASSERT_EQ(back.item(i), q.item(i));
}

TEST(MemoryRows, RefusesTensorsOfAnotherBatch) {
  MemoryRows rows(2);
  EXPECT_THROW(rows.hold(Tensor::zeros({3, 4})), ShapeError);
  EXPECT_THROW(rows.to_grid(Tensor::zeros({3, 1, 4})), ShapeError);
  EXPECT_FALSE(rows.source_ids().defined());
  MemoryRows empty(4);  // a decoder-only model: rows and nothing held
  EXPECT_EQ(empty.rows(), 4);
  empty.reorder({3, 3});
  EXPECT_EQ(empty.rows(), 2);
}

}  // namespace
}  // namespace recur::search
