// Text of a YAML scalar -> typed value (private to the config layer). The rules are
// YAML 1.2 core schema, narrowed to what a settings file should say:
//  - booleans: true/True/TRUE/false/False/FALSE only (YAML 1.1's yes/no/on/off are
//    refused: `country: no` must not turn into false);
//  - integers: decimal with an optional sign; no fractions, exponents, hex or octal;
//  - reals: decimal or scientific notation, integers included; no inf or nan.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace recur::config::detail {

std::optional<bool> to_bool(std::string_view text);
// Sets `overflow` when the text is an integer that does not fit 64 bits.
std::optional<std::int64_t> to_int(std::string_view text, bool& overflow);
// Finite values only; sets `overflow` when the value is beyond what a double holds
// (too large, or too small to be told from zero).
std::optional<double> to_real(std::string_view text, bool& overflow);

}  // namespace recur::config::detail
