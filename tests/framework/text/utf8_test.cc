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
}

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
  EXPECT_EQ(find_invalid_utf8("\xF5\x80\x80\x80"), 0u);    // lead byte above F4
}

TEST(Utf8, ReplacesMaximalRunsAndCounts) {
  std::string s = "a\xFF\xFE" "b\xC3" "c";
  EXPECT_EQ(replace_invalid_utf8(s), 2u);
  EXPECT_EQ(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  EXPECT_FALSE(find_invalid_utf8(s));
  std::string ok = "d\xC3\xA9j\xC3\xA0";
  EXPECT_EQ(replace_invalid_utf8(ok), 0u);
  EXPECT_EQ(ok, "d\xC3\xA9j\xC3\xA0");
  // A valid sequence after a bad byte ends the run: two replacements, the euro kept.
  std::string mixed = "\x80\xE2\x82\xAC\xE2\x82";
  EXPECT_EQ(replace_invalid_utf8(mixed), 2u);
  EXPECT_EQ(mixed, "\xEF\xBF\xBD\xE2\x82\xAC\xEF\xBF\xBD");
}

// The decoder rejects exactly what find_invalid_utf8 rejects, at the same offset.
TEST(Utf8, DecoderAgreesWithValidation) {
  for (const std::string s : {"ab\xC3", "a\xC0\xAF", "ok\xED\xA0\x80", "\xF4\x90\x80\x80", "é\x80",
                              "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF", "x\xF8\x88\x80\x80\x80", "\xC1\xBF",
                              "ok \xF4\x8F\xBF\xBF", "\xEF\xBF\xBD fine"}) {
    const auto bad = find_invalid_utf8(s);
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

// Length of the well-formed sequence at s[i] by Table 3-7 of the Unicode Standard
// ("Well-Formed UTF-8 Byte Sequences"), or 0: the rule recur accepted before validation
// and decoding shared one routine.
std::size_t table_3_7_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

std::optional<std::size_t> table_3_7_first_invalid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = table_3_7_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

// Every string of up to 3 bytes starting with a non-ASCII byte, and 4-byte strings
// over every lead byte, every second byte and the edges of the continuation range.
TEST(Utf8, AcceptsExactlyTheWellFormedSequences) {
  std::string s;
  std::size_t checked = 0;
  auto check = [&] {
    ASSERT_EQ(find_invalid_utf8(s), table_3_7_first_invalid(s)) << ::testing::PrintToString(s);
    ++checked;
  };
  for (int a = 0x80; a < 0x100; ++a) {
    s = {static_cast<char>(a)};
    check();
    for (int b = 0; b < 0x100; ++b) {
      s = {static_cast<char>(a), static_cast<char>(b)};
      check();
      for (int c = 0; c < 0x100 && a >= 0xC0; ++c) {
        s = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        check();
      }
      for (int c : {0x41, 0x7F, 0x80, 0xBF, 0xC0}) {
        for (int d : {0x41, 0x80, 0xBF, 0xC0}) {
          if (a < 0xF0) break;
          s = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), static_cast<char>(d)};
          check();
        }
      }
    }
  }
  EXPECT_GT(checked, 4000000u);
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
