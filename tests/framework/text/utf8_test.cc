#include "recur/text/utf8.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"
#include "recur/data/utf8.h"

namespace recur::text {
namespace {

TEST(Utf8, RoundTripsMixedScripts) {
  const std::string s = "Grüße, l'été — Ωμέγα 😀";
  const std::u32string code = decode_utf8(s);
  EXPECT_EQ(code[2], U'ü');
  EXPECT_EQ(code.back(), U'\U0001F600');
  EXPECT_EQ(encode_utf8(code), s);
}

// The decoder must reject exactly what recur::data::find_invalid_utf8 rejects, at the
// same offset.
TEST(Utf8, DecoderAgreesWithDataValidation) {
  for (const std::string s : {"ab\xC3", "a\xC0\xAF", "ok\xED\xA0\x80", "\xF4\x90\x80\x80", "é\x80",
                              "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF", "x\xF8\x88\x80\x80\x80", "\xC1\xBF",
                              "ok \xF4\x8F\xBF\xBF", "\xEF\xBF\xBD fine"}) {
    const auto bad = data::find_invalid_utf8(s);
    std::string message;
    try {
      decode_utf8(s);
    } catch (const Error& e) {
      message = e.what();
    }
    if (bad) {
      EXPECT_EQ(message, "invalid UTF-8 at byte " + std::to_string(*bad));
    } else {
      EXPECT_EQ(message, "");
    }
  }
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
