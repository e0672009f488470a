#include "recur/viz/colour_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "recur/viz/axes.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

// matplotlib's viridis sampled at 11 evenly spaced points, interpolated linearly between.
constexpr int kStops = 11;
constexpr std::array<std::array<double, 3>, kStops> kViridis{{{0.267004, 0.004874, 0.329415},
                                                              {0.282623, 0.140926, 0.457517},
                                                              {0.253935, 0.265254, 0.529983},
                                                              {0.206756, 0.371758, 0.553117},
                                                              {0.163625, 0.471133, 0.558148},
                                                              {0.127568, 0.566949, 0.550556},
                                                              {0.134692, 0.658636, 0.517649},
                                                              {0.266941, 0.748751, 0.440573},
                                                              {0.477504, 0.821444, 0.318195},
                                                              {0.741388, 0.873449, 0.149561},
                                                              {0.993248, 0.906157, 0.143936}}};

// ColorBrewer RdBu (11 classes) from blue to red, white in the middle.
constexpr std::array<std::array<double, 3>, kStops> kDiverging{{{0.020, 0.188, 0.380},
                                                                {0.129, 0.400, 0.675},
                                                                {0.263, 0.576, 0.765},
                                                                {0.573, 0.773, 0.871},
                                                                {0.820, 0.898, 0.941},
                                                                {0.969, 0.969, 0.969},
                                                                {0.992, 0.859, 0.780},
                                                                {0.957, 0.647, 0.510},
                                                                {0.839, 0.376, 0.302},
                                                                {0.698, 0.094, 0.169},
                                                                {0.404, 0.000, 0.122}}};

Rgb interpolate(const std::array<std::array<double, 3>, kStops>& stops, double t) {
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, 0.0, 1.0) * (kStops - 1);
  const int i = std::min(static_cast<int>(t), kStops - 2);
  const double f = t - i;
  const auto& a = stops[i];
  const auto& b = stops[i + 1];
  return {a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])};
}

void draw_bar(cairo_t* cr, const Rect& area, double lo, double hi,
              const std::array<std::array<double, 3>, kStops>& stops);

constexpr std::array<Rgb, 8> kPalette{{{0.122, 0.467, 0.706},
                                       {1.000, 0.498, 0.055},
                                       {0.173, 0.627, 0.173},
                                       {0.839, 0.153, 0.157},
                                       {0.580, 0.404, 0.741},
                                       {0.549, 0.337, 0.294},
                                       {0.890, 0.467, 0.761},
                                       {0.498, 0.498, 0.498}}};

}  // namespace

Rgb viridis(double t) { return interpolate(kViridis, t); }

Rgb diverging(double t) { return interpolate(kDiverging, std::isfinite(t) ? (t + 1) / 2 : 0.5); }

Rgb palette(int i) { return kPalette[static_cast<std::size_t>(i) % kPalette.size()]; }

std::string hex(Rgb c) {
  auto byte = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return buffer;
}

void set_colour(cairo_t* cr, Rgb c, double alpha) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void draw_colour_bar(cairo_t* cr, const Rect& area, double lo, double hi) {
  draw_bar(cr, area, lo, hi, kViridis);
}

void draw_diverging_bar(cairo_t* cr, const Rect& area, double lo, double hi) {
  draw_bar(cr, area, lo, hi, kDiverging);
}

namespace {

void draw_bar(cairo_t* cr, const Rect& area, double lo, double hi,
              const std::array<std::array<double, 3>, kStops>& stops) {
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, area.y + area.height, 0, area.y);
  for (int i = 0; i < kStops; ++i) {
    const auto& c = stops[i];
    cairo_pattern_add_color_stop_rgb(gradient, static_cast<double>(i) / (kStops - 1), c[0], c[1],
                                     c[2]);
  }
  cairo_rectangle(cr, area.x, area.y, area.width, area.height);
  cairo_set_source(cr, gradient);
  cairo_fill_preserve(cr);
  cairo_pattern_destroy(gradient);
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  const Font font{11};
  for (int i = 0; i <= 2; ++i) {
    const double value = lo + (hi - lo) * i / 2.0;
    const double y = area.y + area.height * (1 - i / 2.0);
    cairo_move_to(cr, area.x + area.width, y);
    cairo_line_to(cr, area.x + area.width + 4, y);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    draw_text(cr, tick_label(value), font, area.x + area.width + 6, y, Align::kStart,
              Align::kCenter);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  }
}

}  // namespace

}  // namespace recur::viz
