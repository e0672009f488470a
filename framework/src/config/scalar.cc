#include "scalar.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace recur::config::detail {
namespace {

// from_chars takes a leading '-' but not '+'.
std::string_view skip_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<bool> to_bool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

std::optional<std::int64_t> to_int(std::string_view text, bool& overflow) {
  overflow = false;
  text = skip_plus(text);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ptr != end || text.empty()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    overflow = true;
    return std::nullopt;
  }
  if (ec != std::errc()) return std::nullopt;
  return value;
}

std::optional<double> to_real(std::string_view text, bool& overflow) {
  overflow = false;
  text = skip_plus(text);
  // from_chars also reads "inf", "nan" and "infinity": a setting never means those.
  bool has_digit = false;
  for (char c : text) has_digit = has_digit || is_digit(c);
  if (!has_digit) return std::nullopt;
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ptr != end) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    overflow = true;
    return std::nullopt;
  }
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace recur::config::detail
