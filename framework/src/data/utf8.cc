#include "recur/data/utf8.h"

namespace recur::data {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid.
std::size_t valid_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = valid_sequence(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::size_t replace_invalid_utf8(std::string& text) {
  if (!find_invalid_utf8(text)) return 0;
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t replaced = 0;
  bool in_bad_run = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = valid_sequence(text, i);
    if (n == 0) {
      if (!in_bad_run) {
        out += "\xEF\xBF\xBD";
        ++replaced;
      }
      in_bad_run = true;
      ++i;
    } else {
      out.append(text, i, n);
      in_bad_run = false;
      i += n;
    }
  }
  text = std::move(out);
  return replaced;
}

}  // namespace recur::data
