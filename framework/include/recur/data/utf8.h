// UTF-8 validation for text input. Batch jobs replace invalid sequences (and count them)
// or, in strict mode, report them with their line number.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace recur::data {

// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates, code
// points above U+10FFFF and truncated sequences are invalid), or nullopt.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// Replaces each maximal invalid subsequence with U+FFFD; returns how many were replaced.
std::size_t replace_invalid_utf8(std::string& text);

}  // namespace recur::data
