// A figure drawn on an image surface (white background, as render() does) and its pixels
// read back, for tests that check what is drawn where.
#pragma once

#include <cairo.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "recur/viz/colour_map.h"
#include "recur/viz/figure.h"

namespace recur::viz {

class Drawn {
 public:
  explicit Drawn(const Figure& figure)
      : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(figure.width),
                                            static_cast<int>(figure.height))) {
    cairo_t* cr = cairo_create(surface_);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    figure.draw(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface_);
  }
  ~Drawn() { cairo_surface_destroy(surface_); }
  Drawn(const Drawn&) = delete;
  Drawn& operator=(const Drawn&) = delete;

  Rgb at(double x, double y) const {
    const auto* data = cairo_image_surface_get_data(surface_);
    const int stride = cairo_image_surface_get_stride(surface_);
    const auto px = *reinterpret_cast<const std::uint32_t*>(data + static_cast<int>(y) * stride +
                                                            static_cast<int>(x) * 4);
    return {((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0, (px & 0xff) / 255.0};
  }

 private:
  cairo_surface_t* surface_;
};

// Colours equal within `tolerance` per channel (0..1).
inline bool near(Rgb a, Rgb b, double tolerance = 2.5 / 255) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

}  // namespace recur::viz
