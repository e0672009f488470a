// LineReader's paragraph mode (`recur summarize --paragraphs`).
#include <gtest/gtest.h>

#include <sstream>

#include "recur/data/line_reader.h"

namespace recur::data {
namespace {

std::vector<Line> paragraphs(const std::string& text, std::size_t max_bytes = 0) {
  std::istringstream in(text);
  LineReader r(in, "doc.txt");
  r.set_paragraphs(true);
  r.set_max_line_bytes(max_bytes);
  return r.next(100);
}

TEST(ParagraphReader, JoinsLinesUpToABlankLineAndNumbersByTheFirstLine) {
  const auto p = paragraphs("\n\nThe first\ndocument.\n\n  \t\nSecond one.\r\nStill second.\n\n\nThird");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text, "The first document.");
  EXPECT_EQ(p[0].number, 3u);
  EXPECT_EQ(p[1].text, "Second one. Still second.");
  EXPECT_EQ(p[1].number, 7u);
  EXPECT_EQ(p[2].text, "Third");
  EXPECT_EQ(p[2].number, 11u);
}

TEST(ParagraphReader, AnEmptyOrBlankInputHasNoRecords) {
  EXPECT_TRUE(paragraphs("").empty());
  EXPECT_TRUE(paragraphs("\n \n\t\n").empty());
}

TEST(ParagraphReader, TheByteBoundHoldsForTheWholeParagraph) {
  const auto p = paragraphs("aaaa\nbbbb\ncccc\n\nshort\n", 7);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].text, "aaaa bb");  // 7 bytes; the rest counted, not kept
  EXPECT_EQ(p[0].bytes_cut, 6u);
  EXPECT_EQ(p[1].text, "short");
  EXPECT_EQ(p[1].bytes_cut, 0u);
}

TEST(ParagraphReader, TheBoundNeverSplitsACharacter) {
  const auto p = paragraphs("ab\n\xc3\xa9t\xc3\xa9\n", 5);  // "ab été"
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].text, "ab \xc3\xa9");
}

TEST(ParagraphReader, SkipCountsParagraphs) {
  std::istringstream in("a\nb\n\nc\n\n\nd\ne\n");
  LineReader r(in, "doc.txt");
  r.set_paragraphs(true);
  EXPECT_EQ(r.skip(2), 2u);
  const auto rest = r.next(10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].text, "d e");
  EXPECT_EQ(rest[0].number, 7u);
  EXPECT_EQ(r.skip(5), 0u);
}

}  // namespace
}  // namespace recur::data
