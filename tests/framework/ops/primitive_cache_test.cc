// The ops layer's primitive cache (private header): bounded, least recently used first out.
#include <gtest/gtest.h>

#include "dnnl_util.h"

namespace recur::ops::detail {
namespace {

TEST(PrimitiveCache, CreatesOncePerKeyAndEvictsTheLeastRecentlyUsed) {
  PrimitiveCache<int> cache(2);
  int made = 0;
  auto make = [&] { return ++made; };
  EXPECT_EQ(cache.get("a", make), 1);
  EXPECT_EQ(cache.get("b", make), 2);
  EXPECT_EQ(cache.get("a", make), 1);  // hit: "a" becomes the most recent
  EXPECT_EQ(cache.get("c", make), 3);  // evicts "b"
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.get("a", make), 1);
  EXPECT_EQ(cache.get("b", make), 4);  // made again
  EXPECT_EQ(made, 4);
}

}  // namespace
}  // namespace recur::ops::detail
