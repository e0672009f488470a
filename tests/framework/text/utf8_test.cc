#include "recur/text/utf8.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::text {
namespace {

TEST(Utf8, RoundTripsMixedScripts) {
  const std::string s = "Grüße, l'été — Ωμέγα 😀";
  const std::u32string code = decode_utf8(s);
  EXPECT_EQ(code[2], U'ü');
  EXPECT_EQ(code.back(), U'\U0001F600');
  EXPECT_EQ(encode_utf8(code), s);
  EXPECT_EQ(find_invalid_utf8(s), kValidUtf8);
}

TEST(Utf8, InvalidSequencesNameTheByte) {
  EXPECT_EQ(find_invalid_utf8("ab\xC3"), 2u);              // truncated
  EXPECT_EQ(find_invalid_utf8("a\xC0\xAF"), 1u);           // overlong '/'
  EXPECT_EQ(find_invalid_utf8("ok\xED\xA0\x80"), 2u);      // surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("é\x80"), 2u);               // stray continuation
  try {
    decode_utf8("abc\xFF");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "invalid UTF-8 at byte 3");
  }
}

TEST(Utf8, WhitespaceIsPythonsIsspace) {
  for (char32_t c : {U' ', U'\t', U'\n', U'\v', U'\f', U'\r', char32_t(0x1C), char32_t(0x85), char32_t(0xA0),
                     char32_t(0x2002), char32_t(0x3000)}) {
    EXPECT_TRUE(is_space(c)) << std::hex << static_cast<unsigned>(c);
  }
  for (char32_t c : {U'a', U'_', char32_t(0x200B), char32_t(0xFEFF), U'é'}) EXPECT_FALSE(is_space(c));
  EXPECT_EQ(split_whitespace(" a\u00A0b\t c  "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_whitespace(" \t ").empty());
}

TEST(Utf8, LowercaseLatinGreekCyrillic) {
  EXPECT_EQ(encode_utf8(to_lower(decode_utf8("ÀÉÎÕÜ ÇŒŸ ŁŃŽ ΑΩΆ ДЖЁ ABC×"))), "àéîõü çœÿ łńž αωά джё abc×");
}

}  // namespace
}  // namespace recur::text
