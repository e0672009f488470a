// The block pool: large blocks come back for requests of the same size class, small ones
// are not kept, idle ones are unmapped, every block is 64-byte aligned and at least as
// large as asked.
#include "recur/core/block_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>

#include "recur/core/tensor.h"

namespace recur {
namespace {

bool aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 64 == 0; }

TEST(BlockPool, ReusesLargeBlocksOfTheSameSizeClass) {
  const std::size_t mb = std::size_t{1} << 20;
  Block a = take_block(3 * mb + 100);
  ASSERT_TRUE(aligned(a.data));
  EXPECT_GE(a.capacity, 3 * mb + 100);
  EXPECT_LE(a.capacity, (3 * mb + 100) * 9 / 8);
  const std::size_t before = pooled_block_bytes();
  give_block(a);
  EXPECT_EQ(pooled_block_bytes(), before + a.capacity);
  // A few rows more or less: the same class, the same block.
  Block b = take_block(3 * mb + 5000);
  EXPECT_EQ(b.data, a.data);
  EXPECT_EQ(b.capacity, a.capacity);
  EXPECT_EQ(pooled_block_bytes(), before);
  // Another class: another block.
  Block c = take_block(7 * mb);
  EXPECT_NE(c.data, b.data);
  EXPECT_GE(c.capacity, 7 * mb);
  give_block(b);
  give_block(c);
}

TEST(BlockPool, SmallBlocksAreNotKept) {
  const std::size_t before = pooled_block_bytes();
  Block a = take_block(1000);
  EXPECT_TRUE(aligned(a.data));
  EXPECT_GE(a.capacity, 1000u);
  give_block(a);
  EXPECT_EQ(pooled_block_bytes(), before);
  Block zero = take_block(0);
  EXPECT_NE(zero.data, nullptr);
  give_block(zero);
}

// A block mapped fresh says it is zero (and is); one the pool hands back again does not.
TEST(BlockPool, OnlyFreshlyMappedBlocksClaimToBeZero) {
  const std::size_t bytes = (std::size_t{37} << 20) + 12345;  // a size class no other test uses
  Block a = take_block(bytes);
  ASSERT_TRUE(a.zeroed);
  const auto* p = static_cast<const unsigned char*>(a.data);
  for (std::size_t i = 0; i < a.capacity; i += 4093) ASSERT_EQ(p[i], 0) << i;
  ASSERT_EQ(p[a.capacity - 1], 0);
  static_cast<unsigned char*>(a.data)[100] = 1;
  give_block(a);
  Block b = take_block(bytes);
  EXPECT_EQ(b.data, a.data);
  EXPECT_FALSE(b.zeroed);
  give_block(b);
  Block small = take_block(1000);  // malloc'd: no promise
  EXPECT_FALSE(small.zeroed);
  give_block(small);
}

// Tensors draw on the pool and still start zero-filled when their block is reused.
TEST(BlockPool, ReusedTensorStorageStartsAtZero) {
  const std::int64_t n = 600'000;  // 2.4 MB
  const void* first = nullptr;
  {
    Tensor t = Tensor::full({n}, 7.0f);
    first = t.raw_data();
  }
  Tensor u = Tensor::zeros({n + 10});
  EXPECT_EQ(static_cast<const void*>(u.raw_data()), first);
  const float* p = u.data<float>();
  for (std::int64_t i = 0; i < u.numel(); ++i) ASSERT_EQ(p[i], 0.0f) << i;
}

// Blocks released longer ago than asked are unmapped; the next request of their size
// maps a fresh one.
TEST(BlockPool, ReleasesIdleBlocks) {
  const std::size_t bytes = (std::size_t{41} << 20) + 777;  // a size class no other test uses
  Block a = take_block(bytes);
  give_block(a);
  EXPECT_EQ(release_idle_blocks(std::chrono::hours(1)), 0u);  // released just now: kept
  const std::size_t held = pooled_block_bytes();
  EXPECT_GE(release_idle_blocks(std::chrono::milliseconds(0)), a.capacity);
  EXPECT_LE(pooled_block_bytes(), held - a.capacity);
  Block b = take_block(bytes);
  EXPECT_TRUE(b.zeroed);  // mapped afresh
  give_block(b);
}

// The pool drops a block nobody asked for in 2 seconds at its next use, so a size met
// once does not stay resident for the rest of a job.
TEST(BlockPool, DropsBlocksIdleTwoSeconds) {
  const std::size_t bytes = (std::size_t{43} << 20) + 999;
  Block a = take_block(bytes);
  give_block(a);
  const std::size_t held = pooled_block_bytes();
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  Block other = take_block(std::size_t{5} << 20);  // any use of the pool
  EXPECT_LE(pooled_block_bytes(), held - a.capacity);
  give_block(other);
}

// Free blocks only fill the room up to a quarter above the most the job ever had lent at
// once: a request that would take the total beyond unmaps them, oldest first (so resident
// memory follows the job's peak, not the peak plus every size it met lately); one within
// keeps them. Sizes far above any other test's (mapped, never touched: no resident cost),
// so that the peak is this test's.
TEST(BlockPool, FreeBlocksFitUnderThePeakLent) {
  const std::size_t mb = std::size_t{1} << 20;
  release_idle_blocks(std::chrono::milliseconds(0));
  Block a = take_block(300 * mb), b = take_block(300 * mb);  // the peak: 640 MB at once
  give_block(a);
  give_block(b);
  EXPECT_EQ(pooled_block_bytes(), a.capacity + b.capacity);
  Block small = take_block(140 * mb);  // too small for a or b: mapped, both kept (784 <= 800)
  EXPECT_TRUE(small.zeroed);
  EXPECT_EQ(pooled_block_bytes(), a.capacity + b.capacity);
  give_block(small);
  Block large = take_block(700 * mb);  // 784 free + 704 new > 800: every free block goes
  EXPECT_TRUE(large.zeroed);
  EXPECT_EQ(pooled_block_bytes(), 0u);
  give_block(large);
  Block again = take_block(400 * mb);  // the large one: within twice the size asked
  EXPECT_EQ(again.data, large.data);
  give_block(again);
  release_idle_blocks(std::chrono::milliseconds(0));
}

}  // namespace
}  // namespace recur
