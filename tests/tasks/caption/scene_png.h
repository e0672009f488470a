// PNG files of the scenes the captioning fixture model was trained on
// (scripts/fixtures/make_caption_fixtures.py: a 12x20 image, one red, green or blue square
// or bar in a quadrant), without the training noise, and files that are not images.
// Written with tests/plugins/opencv/png_bytes.h: no OpenCV needed to make them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "plugins/opencv/png_bytes.h"

namespace recur::testing {

struct Scene {
  int colour = 0;  // 0 red, 1 green, 2 blue
  bool bar = false;
  bool top = true;
  bool left = true;
  std::string caption() const {
    static const char* const kColours[] = {"red", "green", "blue"};
    const std::string where = top ? "top" : "bottom";
    if (bar) return std::string("a ") + kColours[colour] + " bar at the " + where;
    return std::string("a ") + kColours[colour] + " square on the " + where + " " +
           (left ? "left" : "right");
  }
};

// The scene as an RGB PNG: grey background (0 in normalised units), the shape's colour
// channel at 255 and the others at 166 (the +1.3 and +0.3 of the training images).
inline std::vector<std::uint8_t> scene_png(const Scene& s) {
  constexpr int kH = 12, kW = 20;
  const int h = s.bar ? 2 : 4, w = s.bar ? 8 : 4;
  const int y0 = (s.top ? 0 : kH / 2) + (kH / 2 - h) / 2;
  const int x0 = (s.left ? 0 : kW / 2) + (kW / 2 - w) / 2;
  std::vector<std::vector<std::uint8_t>> rows(kH, std::vector<std::uint8_t>(kW * 3, 128));
  for (int y = y0; y < y0 + h; ++y) {
    for (int x = x0; x < x0 + w; ++x) {
      for (int c = 0; c < 3; ++c) rows[y][x * 3 + c] = c == s.colour ? 255 : 166;
    }
  }
  return make_png(kW, kH, 8, 2, rows);
}

inline void write_bytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

// A PNG whose pixel data is cut off after a few bytes: the header is fine, decoding fails.
inline std::vector<std::uint8_t> truncated_png() {
  std::vector<std::uint8_t> bytes = scene_png(Scene{});
  bytes.resize(bytes.size() / 2);
  return bytes;
}

// A PNG header declaring 30000 x 30000 pixels (9e8: over every max_pixels), no pixel data.
inline std::vector<std::uint8_t> huge_png() { return png_header(30000, 30000, 8, 2); }

}  // namespace recur::testing
