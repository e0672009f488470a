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

// With a byte bound the same lines come back as without one, but for the long ones.
TEST(LineReader, ByteBoundGivesTheSameLinesUnderIt) {
  const std::string text = "one\r\ntwo\n\nfour\n12345678\nlast-no-newline";
  std::istringstream a(text), b(text);
  LineReader plain(a, "in.txt"), bounded(b, "in.txt");
  bounded.set_max_line_bytes(8);
  auto x = plain.next(100), y = bounded.next(100);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    EXPECT_EQ(x[i].text, y[i].text) << i;
    EXPECT_EQ(y[i].bytes_cut, 0u);
  }
  EXPECT_EQ(y.back().text, "last-no-");
  EXPECT_EQ(y.back().bytes_cut, 7u);
}

TEST(LineReader, ALongLineIsCutAtACharacterBoundaryAndTheRestSkipped) {
  // "é" is two bytes: a bound of 4 falls inside the second one.
  std::istringstream in("a\xC3\xA9\xC3\xA9xyz\nnext\n");
  LineReader r(in, "in.txt");
  r.set_max_line_bytes(4);
  auto lines = r.next(10);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "a\xC3\xA9");
  EXPECT_EQ(lines[0].bytes_cut, 5u);
  EXPECT_EQ(lines[1].text, "next");
  EXPECT_EQ(lines[1].number, 2u);
}

TEST(LineReader, SkipsLinesWhenResuming) {
  std::istringstream in("a\nb\nc\n");
  LineReader r(in, "in.txt");
  EXPECT_EQ(r.skip(2), 2u);
  auto rest = r.next(10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].text, "c");
  EXPECT_EQ(rest[0].number, 3u);
  EXPECT_EQ(r.skip(5), 0u);
}

}  // namespace
}  // namespace recur::data
