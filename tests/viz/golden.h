// Golden-image checks for figures: a figure's PNG against tests/data/viz/NAME, within the
// tolerance of figure_test.cc (fonts and FreeType may move a few anti-aliased edge pixels:
// at most 1% of the pixels differ by more than 48 in a channel, and the mean difference
// stays under 2 of 255). RECUR_UPDATE_GOLDEN=1 rewrites the golden file.
#pragma once

#include <cairo.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "recur/viz/figure.h"

namespace recur::viz {

inline cairo_status_t read_png_bytes(void* closure, unsigned char* data, unsigned int length) {
  auto* in = static_cast<std::string_view*>(closure);
  if (in->size() < length) return CAIRO_STATUS_READ_ERROR;
  std::copy(in->begin(), in->begin() + length, data);
  in->remove_prefix(length);
  return CAIRO_STATUS_SUCCESS;
}

inline void expect_matches_golden(const Figure& figure, const std::string& name) {
  const std::filesystem::path golden = std::filesystem::path(RECUR_TEST_DATA_DIR) / "viz" / name;
  const std::string png = render(figure, Format::kPng);
  if (std::getenv("RECUR_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << png;
  std::ifstream in(golden, std::ios::binary);
  const std::string expected_png{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::string_view a(png), e(expected_png);
  cairo_surface_t* actual = cairo_image_surface_create_from_png_stream(&read_png_bytes, &a);
  cairo_surface_t* expected = cairo_image_surface_create_from_png_stream(&read_png_bytes, &e);
  ASSERT_EQ(cairo_surface_status(expected), CAIRO_STATUS_SUCCESS) << golden << " cannot be read";
  const int w = cairo_image_surface_get_width(actual), h = cairo_image_surface_get_height(actual);
  ASSERT_EQ(w, cairo_image_surface_get_width(expected)) << name;
  ASSERT_EQ(h, cairo_image_surface_get_height(expected)) << name;
  std::size_t far = 0;
  double total = 0;
  for (int y = 0; y < h; ++y) {
    const auto* ra = reinterpret_cast<const std::uint32_t*>(cairo_image_surface_get_data(actual) +
                                                            y * cairo_image_surface_get_stride(actual));
    const auto* re = reinterpret_cast<const std::uint32_t*>(cairo_image_surface_get_data(expected) +
                                                            y * cairo_image_surface_get_stride(expected));
    for (int x = 0; x < w; ++x) {
      int worst = 0;
      for (int shift : {0, 8, 16}) {
        const int d = std::abs(static_cast<int>((ra[x] >> shift) & 0xff) - static_cast<int>((re[x] >> shift) & 0xff));
        worst = std::max(worst, d);
        total += d / 3.0;
      }
      far += worst > 48;
    }
  }
  cairo_surface_destroy(actual);
  cairo_surface_destroy(expected);
  const double n = static_cast<double>(w) * h;
  EXPECT_LT(static_cast<double>(far) / n, 0.01) << name;
  EXPECT_LT(total / n, 2.0) << name;
}

}  // namespace recur::viz
