// UTF-8 validation, replacement, decoding, whitespace and case helpers shared by batch
// jobs, recur's own tokenizers and the metrics. Text inside recur is UTF-8. One decoding
// routine underlies every function here, so validation, replacement and decoding accept
// exactly the same bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recur::text {

// Byte offset of the first invalid UTF-8 sequence (bad lead byte, overlong form,
// surrogate, code point above U+10FFFF, truncated sequence), or nullopt.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// Replaces each maximal run of invalid bytes with U+FFFD; returns how many were
// replaced. Batch jobs use it (and count), or report find_invalid_utf8() in strict mode.
std::size_t replace_invalid_utf8(std::string& text);

// Code points of s; invalid UTF-8 (bad lead byte, truncated or overlong sequence,
// surrogate, above U+10FFFF) is an Error "invalid UTF-8 at byte N".
std::u32string decode_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t c);
std::string encode_utf8(std::u32string_view s);

// The whitespace of Python's str.isspace(): sacreBLEU splits with str.split(), so the
// metrics must agree with it character for character.
bool is_space(char32_t c);

// Simple (one-to-one) lowercase mapping of Latin (ASCII, Latin-1, Latin Extended-A),
// Greek and Cyrillic letters; other characters are returned unchanged.
char32_t to_lower(char32_t c);
std::u32string to_lower(std::u32string_view s);

// Runs of non-space code points of s, in order, as UTF-8 (no empty tokens).
std::vector<std::string> split_whitespace(std::string_view s);
std::vector<std::u32string> split_whitespace(std::u32string_view s);

}  // namespace recur::text
