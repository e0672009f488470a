// MemorySlots against the plain computation it replaces: each row attending to its own
// copy of its source's memory. Beam-shaped reorders (rows of a slot together), shrinking
// batches that drop slots, and rows out of slot order must all give the same context and
// weights.
#include "memory_slots.h"

#include <gtest/gtest.h>

#include <random>

#include "decoder_test_util.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::decoders {
namespace {

using namespace testing;

// 1 at padded positions, [B, 1, S].
Tensor padding_for(const Memory& m) {
  Tensor p = Tensor::zeros({m.mask.dim(0), 1, m.mask.dim(1)});
  for (std::int64_t i = 0; i < m.mask.numel(); ++i) p.data<float>()[i] = m.mask.item(i) != 0.0f ? 0.0f : 1.0f;
  return p;
}

class MemorySlotsTest : public ::testing::TestWithParam<AttentionKind> {};

TEST_P(MemorySlotsTest, RowsAttendToTheirOwnSourceWhateverTheOrder) {
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(7);
  Attention attention(GetParam(), kMemory, kHidden, 5);
  nn::init::Generator gen(3);
  attention.reset_parameters(gen);
  Memory m = random_memory({4, 2, 5, 3, 1, 5}, 5, rng);
  Tensor keys = attention.keys(m.states);
  Tensor padding = padding_for(m);
  MemorySlots slots(m.states, keys, padding);
  std::vector<std::int64_t> source{0, 1, 2, 3, 4, 5};  // each row's sentence

  auto check = [&](const char* what) {
    SCOPED_TRACE(what);
    const auto n = static_cast<std::int64_t>(source.size());
    ASSERT_EQ(slots.rows(), n);
    Tensor h = recur::testing::random_tensor({n, 1, kHidden}, rng);
    AttentionOutput got = slots.attend(attention, h);
    Tensor idx = Tensor::from<std::int64_t>({n}, source);
    AttentionOutput want = attention.forward(h, ops::index_select(keys, idx),
                                             ops::index_select(m.states, idx),
                                             ops::index_select(padding, idx));
    ASSERT_EQ(got.context.shape(), want.context.shape());
    ASSERT_EQ(got.weights.shape(), want.weights.shape());
    for (std::int64_t i = 0; i < want.context.numel(); ++i) {
      ASSERT_NEAR(got.context.item(i), want.context.item(i), 1e-6f) << "context " << i;
    }
    for (std::int64_t i = 0; i < want.weights.numel(); ++i) {
      ASSERT_NEAR(got.weights.item(i), want.weights.item(i), 1e-6f) << "weights " << i;
    }
  };
  auto reorder = [&](const std::vector<std::int64_t>& index) {
    std::vector<std::int64_t> next;
    for (std::int64_t i : index) next.push_back(source[static_cast<std::size_t>(i)]);
    source = next;
    slots.reorder(index);
  };

  check("initial rows");
  reorder({0, 0, 0, 1, 2, 2, 3, 3, 3, 4, 5, 5});  // beam: up to 3 rows per sentence
  check("grouped rows");
  EXPECT_EQ(slots.slots(), 6);
  reorder({1, 0, 2, 3, 4, 4, 5, 10, 11});          // sentence 1's row dropped, others shuffled
  check("rows of a sentence in another order");
  reorder({0, 1, 2, 5, 6});                        // sentences 0 and 3 left: slots dropped
  check("after sentences finished");
  EXPECT_EQ(slots.slots(), 2);
  reorder({4, 0, 3});                              // rows out of slot order
  check("rows out of slot order");
  reorder({1});
  check("one row");
  EXPECT_EQ(slots.slots(), 1);
  EXPECT_THROW(slots.reorder({1}), ShapeError);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, MemorySlotsTest,
                         ::testing::Values(AttentionKind::dot, AttentionKind::general, AttentionKind::mlp),
                         [](const auto& info) {
                           return info.param == AttentionKind::dot ? std::string("dot")
                                  : info.param == AttentionKind::general ? std::string("general")
                                                                         : std::string("mlp");
                         });

}  // namespace
}  // namespace recur::decoders
