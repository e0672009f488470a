#include "recur/data/line_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace recur::data {
namespace {

TEST(LineReader, ReadsInChunksWithNumbers) {
  std::istringstream in("one\r\ntwo\n\nfour");
  LineReader r(in, "in.txt");
  auto a = r.next(2);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].text, "one");
  EXPECT_EQ(a[1].number, 2u);
  auto b = r.next(10);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].text, "");
  EXPECT_EQ(b[1].text, "four");
  EXPECT_EQ(b[1].number, 4u);
  EXPECT_TRUE(r.next(10).empty());
  EXPECT_EQ(r.lines_read(), 4u);
}

TEST(LineReader, TrailingNewlineAddsNoLine) {
  std::istringstream in("a\nb\n");
  LineReader r(in, "in.txt");
  EXPECT_EQ(r.next(10).size(), 2u);
}

}  // namespace
}  // namespace recur::data
