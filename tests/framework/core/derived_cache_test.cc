// DerivedCache: entries keyed by string, served only at the version they were made from,
// bounded, and owned by the storage they derive from.
#include "recur/core/derived_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "recur/core/tensor.h"

namespace recur {
namespace {

std::shared_ptr<const void> value(int v) { return std::make_shared<const int>(v); }
int as_int(const std::shared_ptr<const void>& p) { return *static_cast<const int*>(p.get()); }

TEST(DerivedCache, ServesAnEntryOnlyAtItsVersion) {
  DerivedCache cache;
  EXPECT_EQ(cache.find("a", 0), nullptr);
  cache.put("a", 3, value(1));
  ASSERT_NE(cache.find("a", 3), nullptr);
  EXPECT_EQ(as_int(cache.find("a", 3)), 1);
  EXPECT_EQ(cache.find("b", 3), nullptr);
  EXPECT_EQ(cache.find("a", 4), nullptr);  // stale: dropped
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find("a", 3), nullptr);
}

TEST(DerivedCache, PutReplacesTheEntryOfTheSameKey) {
  DerivedCache cache;
  cache.put("a", 1, value(1));
  cache.put("a", 2, value(2));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.find("a", 1), nullptr);
  cache.put("a", 2, value(2));
  EXPECT_EQ(as_int(cache.find("a", 2)), 2);
}

TEST(DerivedCache, KeepsTheMostRecentlyUsedEntries) {
  DerivedCache cache;
  for (int i = 0; i < int(DerivedCache::kCapacity); ++i) {
    std::string key = "k";  // (not "k" + ...: GCC 12 warns falsely on that)
    key += std::to_string(i);
    cache.put(key, 0, value(i));
  }
  ASSERT_NE(cache.find("k0", 0), nullptr);  // k0 becomes the most recent, k1 the oldest
  cache.put("new", 0, value(99));
  EXPECT_EQ(cache.size(), DerivedCache::kCapacity);
  EXPECT_EQ(cache.find("k1", 0), nullptr);
  EXPECT_NE(cache.find("k0", 0), nullptr);
  EXPECT_NE(cache.find("new", 0), nullptr);
}

TEST(DerivedCache, DiesWithTheStorage) {
  std::weak_ptr<const void> seen;
  {
    Tensor t = Tensor::zeros({4});
    auto v = value(7);
    seen = v;
    t.impl_ptr()->storage->derived().put("copy", t.version(), std::move(v));
    EXPECT_FALSE(seen.expired());
  }
  EXPECT_TRUE(seen.expired());
}

}  // namespace
}  // namespace recur
