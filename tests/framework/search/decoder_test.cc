// The framework's half of the Decoder interface (src/search/decoder.cc): init() sizes the
// memory rows (from the memory, or from the rows for an empty memory) and holds the source
// ids; reorder() moves the memory rows, then the decoder's own state, and skips the
// identity.
#include "recur/decoder.h"

#include <gtest/gtest.h>

#include "framework/search/toy_decoder.h"

namespace recur {
namespace {

using testing::hashed_logit;
using testing::toy_memory;

// Counts the calls search makes into the decoder's own state.
class CountingDecoder : public testing::ToyDecoder {
 public:
  CountingDecoder() : ToyDecoder(8, hashed_logit) {}
  int reorders = 0;
  std::vector<std::int64_t> last_index;

 protected:
  void reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) override {
    ++reorders;
    last_index = index;
    EXPECT_EQ(state.batch_size(), static_cast<std::int64_t>(index.size()))
        << "the memory rows are reordered first";
    ToyDecoder::reorder_state(state, index);
  }
};

TEST(DecoderInterface, InitHoldsTheSourceIdsAndReorderCarriesThem) {
  CountingDecoder dec;
  Memory m = toy_memory({0.1f, 0.2f, 0.3f});
  m.source_ids = Tensor::from<std::int64_t>({3, 2}, std::vector<std::int64_t>{10, 11, 20, 21, 30, 31});
  auto state = dec.init(m);
  ASSERT_EQ(state->batch_size(), 3);
  const search::MemoryRows& rows = state->memory_rows();
  auto first_id_of_row = [&](std::int64_t r) { return rows.source_ids().data<std::int64_t>()[rows.slot(r) * 2]; };
  EXPECT_EQ(first_id_of_row(2), 30);

  dec.reorder(*state, {0, 1, 2});  // the identity: nothing to do
  EXPECT_EQ(dec.reorders, 0);
  dec.reorder(*state, {2, 2, 0, 0});
  EXPECT_EQ(dec.reorders, 1);
  EXPECT_EQ(dec.last_index, (std::vector<std::int64_t>{2, 2, 0, 0}));
  ASSERT_EQ(state->batch_size(), 4);
  EXPECT_EQ(first_id_of_row(0), 30);
  EXPECT_EQ(first_id_of_row(1), 30);
  EXPECT_EQ(first_id_of_row(2), 10);
  dec.reorder(*state, {3});  // one source left: its slot is all that is kept
  EXPECT_EQ(rows.slots(), 1);
  EXPECT_EQ(first_id_of_row(0), 10);
  EXPECT_THROW(dec.reorder(*state, {}), ShapeError);
  EXPECT_THROW(dec.reorder(*state, {1}), ShapeError);
}

TEST(DecoderInterface, AnEmptyMemoryTakesTheBatchFromTheRows) {
  CountingDecoder dec;
  auto state = dec.init(Memory{}, 4);
  EXPECT_EQ(state->batch_size(), 4);
  EXPECT_FALSE(state->memory_rows().source_ids().defined());
  EXPECT_THROW(dec.init(Memory{}), ShapeError);
  EXPECT_THROW(dec.init(toy_memory({0.1f, 0.2f}), 3), ShapeError);
}

}  // namespace
}  // namespace recur
