// Validation and YAML parsing of ImageSettings.
#include "image_settings.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::plugins {

namespace {

// mean / std: one value or one per channel, finite (std also positive).
std::optional<config::OptionProblem> check_per_channel(const std::vector<float>& values,
                                                       const char* key, std::int64_t channels,
                                                       bool positive) {
  const auto n = static_cast<std::int64_t>(values.size());
  if (n != 1 && n != channels) {
    return config::OptionProblem{key, "expected 1 value or " + std::to_string(channels) +
                                          " (one per channel), got " + std::to_string(n)};
  }
  for (float v : values) {
    if (!std::isfinite(v) || (positive && v <= 0.0f)) {
      return config::OptionProblem{
          key, std::string("expected ") + (positive ? "positive " : "finite ") +
                   "numbers, got " + std::to_string(v)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<config::OptionProblem> check(const ImageSettings& s) {
  if (s.height < 1 || s.width < 1 || s.height > 16384 || s.width > 16384) {
    return config::OptionProblem{"size", "expected a height and width in 1..16384, got " +
                                             std::to_string(s.height) + " x " +
                                             std::to_string(s.width)};
  }
  if (s.channels != 1 && s.channels != 3) {
    return config::OptionProblem{"channels", "expected 1 (grey) or 3 (RGB), got " +
                                                 std::to_string(s.channels)};
  }
  if (auto problem = check_per_channel(s.mean, "mean", s.channels, false)) return problem;
  if (auto problem = check_per_channel(s.std, "std", s.channels, true)) return problem;
  for (std::int64_t v : s.background) {
    if (v < 0 || v > 255) {
      return config::OptionProblem{"background", "expected R, G, B values in 0..255, got " +
                                                     std::to_string(v)};
    }
  }
  if (s.max_pixels < 1 || s.max_pixels > kMaxPixelsLimit) {
    return config::OptionProblem{"max_pixels", "expected 1.." + std::to_string(kMaxPixelsLimit) +
                                                   ", got " + std::to_string(s.max_pixels)};
  }
  return std::nullopt;
}

float channel_value(const std::vector<float>& values, std::int64_t c) {
  return values.size() == 1 ? values[0] : values[static_cast<std::size_t>(c)];
}

std::int64_t max_encoded_bytes(const ImageSettings& settings) {
  return 8 * settings.max_pixels + (std::int64_t{16} << 20);
}

ImageSettings parse_image_settings(const config::Section& section) {
  ImageSettings s;
  if (section.has("size")) {
    // `size: 64` (square) or `size: [H, W]`: the sequence read refuses a scalar, then the
    // scalar read names what was expected.
    std::optional<std::vector<std::int64_t>> hw;
    try {
      hw = section.list<std::int64_t>("size");
    } catch (const ConfigError&) {
      s.height = s.width = section.positive<std::int64_t>("size");
    }
    if (hw) {
      if (hw->size() != 2) section.fail("size", "expected [height, width] or one number");
      s.height = (*hw)[0];
      s.width = (*hw)[1];
    }
  }
  s.channels = section.get<std::int64_t>("channels", s.channels);
  const std::string interpolation = section.one_of(
      "interpolation", {"area", "linear", "cubic", "nearest"}, std::string("area"));
  s.interpolation = interpolation == "linear"  ? Interpolation::kLinear
                    : interpolation == "cubic" ? Interpolation::kCubic
                    : interpolation == "nearest" ? Interpolation::kNearest
                                                 : Interpolation::kArea;
  s.mean = section.list<float>("mean", s.mean);
  s.std = section.list<float>("std", s.std);
  if (section.has("background")) {
    const auto rgb = section.list<std::int64_t>("background");
    if (rgb.size() != 3) section.fail("background", "expected [R, G, B] with values in 0..255");
    std::copy(rgb.begin(), rgb.end(), s.background.begin());
  }
  s.max_pixels = section.get<std::int64_t>("max_pixels", s.max_pixels);
  section.finish();
  if (auto problem = check(s)) section.fail(problem->key, problem->message);
  return s;
}

}  // namespace recur::plugins
