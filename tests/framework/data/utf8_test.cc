#include "recur/data/utf8.h"

#include <gtest/gtest.h>

namespace recur::data {
namespace {

TEST(Utf8, AcceptsValidText) {
  EXPECT_FALSE(find_invalid_utf8("plain ascii"));
  EXPECT_FALSE(find_invalid_utf8("d\xC3\xA9j\xC3\xA0 vu \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(find_invalid_utf8(""));
}

TEST(Utf8, FindsEachKindOfInvalidSequence) {
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);              // never valid byte
  EXPECT_EQ(find_invalid_utf8("a\xC3"), 1u);               // truncated
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);            // overlong '/'
  EXPECT_EQ(find_invalid_utf8("\xE0\x80\xAF"), 0u);        // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);       // surrogate U+D800
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("\xE2\x82"), 0u);            // truncated euro
}

TEST(Utf8, ReplacesMaximalRunsAndCounts) {
  std::string s = "a\xFF\xFE" "b\xC3" "c";
  EXPECT_EQ(replace_invalid_utf8(s), 2u);
  EXPECT_EQ(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  EXPECT_FALSE(find_invalid_utf8(s));
  std::string ok = "d\xC3\xA9j\xC3\xA0";
  EXPECT_EQ(replace_invalid_utf8(ok), 0u);
  EXPECT_EQ(ok, "d\xC3\xA9j\xC3\xA0");
}

}  // namespace
}  // namespace recur::data
