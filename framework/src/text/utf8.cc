#include "recur/text/utf8.h"

#include <cstdint>

#include "recur/core/error.h"

namespace recur::text {
namespace {

// Length of the sequence starting at s[i] and its code point, or length 0 if invalid
// (bad lead byte, truncated, overlong, surrogate, above U+10FFFF). The one decoder of
// recur: validation, replacement and decoding all go through it.
struct Decoded {
  std::size_t length = 0;
  char32_t code = 0;
};

Decoded decode_one(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80) return {1, lead};
  std::size_t length = 0;
  char32_t code = 0;
  char32_t min_code = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code = lead & 0x1F, min_code = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code = lead & 0x0F, min_code = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code = lead & 0x07, min_code = 0x10000;
  } else {
    return {};
  }
  if (i + length > s.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {length, code};
}

template <class String>
std::vector<String> split_runs(const std::u32string_view s, const auto& emit) {
  std::vector<String> out;
  std::size_t start = 0;
  bool in_token = false;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const bool space = i == s.size() || is_space(s[i]);
    if (space && in_token) out.push_back(emit(s.substr(start, i - start)));
    if (!space && !in_token) start = i;
    in_token = !space;
  }
  return out;
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode_one(text, i);
    if (d.length == 0) return i;
    i += d.length;
  }
  return std::nullopt;
}

std::size_t replace_invalid_utf8(std::string& text) {
  const std::optional<std::size_t> first_bad = find_invalid_utf8(text);
  if (!first_bad) return 0;
  std::string out(text, 0, *first_bad);
  out.reserve(text.size() + 8);
  std::size_t replaced = 0;
  bool in_bad_run = false;
  for (std::size_t i = *first_bad; i < text.size();) {
    const Decoded d = decode_one(text, i);
    if (d.length == 0) {
      if (!in_bad_run) {
        out += "\xEF\xBF\xBD";
        ++replaced;
      }
      in_bad_run = true;
      ++i;
    } else {
      out.append(text, i, d.length);
      in_bad_run = false;
      i += d.length;
    }
  }
  text = std::move(out);
  return replaced;
}

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode_one(s, i);
    if (d.length == 0) throw Error("invalid UTF-8 at byte " + std::to_string(i));
    out.push_back(d.code);
    i += d.length;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

bool is_space(char32_t c) {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x130) return U'i';
  if (c == 0x178) return 0xFF;
  // Latin Extended-A pairs upper/lower as (even, odd), except 0x139-0x148 and
  // 0x179-0x17E, where they are (odd, even).
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c % 2 == 0) ? c + 1 : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

std::u32string to_lower(std::u32string_view s) {
  std::u32string out(s);
  for (char32_t& c : out) c = to_lower(c);
  return out;
}

std::vector<std::string> split_whitespace(std::string_view s) {
  const std::u32string code = decode_utf8(s);
  return split_runs<std::string>(code, [](std::u32string_view t) { return encode_utf8(t); });
}

std::vector<std::u32string> split_whitespace(std::u32string_view s) {
  return split_runs<std::u32string>(s, [](std::u32string_view t) { return std::u32string(t); });
}

}  // namespace recur::text
