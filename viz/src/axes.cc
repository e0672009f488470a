#include "recur/viz/axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "recur/viz/text.h"

namespace recur::viz {

double Axis::fraction(double value) const {
  if (log) {
    value = std::max(value, std::numeric_limits<double>::min());
    return (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  }
  return (value - lo) / (hi - lo);
}

Axis axis_for(const std::vector<double>& values, bool log, bool include_zero) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (double v : values) {
    if (!std::isfinite(v) || (log && v <= 0)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!std::isfinite(lo)) return log ? Axis{1, 10, true} : Axis{0, 1, false};
  if (log) {
    const double span = std::max(std::log10(hi) - std::log10(lo), 0.2);
    const double pad = span * 0.05;
    return {std::pow(10, std::log10(lo) - pad), std::pow(10, std::log10(hi) + pad), true};
  }
  if (include_zero) lo = std::min(lo, 0.0);
  if (hi - lo < 1e-12) {
    const double half = std::max(std::abs(hi) * 0.05, 0.5);
    return {lo - half, hi + half, false};
  }
  const double pad = (hi - lo) * 0.05;
  return {include_zero && lo == 0 ? 0 : lo - pad, hi + pad, false};
}

std::vector<double> ticks(const Axis& axis, int max_ticks) {
  std::vector<double> result;
  if (axis.log) {
    const int first = static_cast<int>(std::ceil(std::log10(axis.lo) - 1e-9));
    const int last = static_cast<int>(std::floor(std::log10(axis.hi) + 1e-9));
    const int stride = std::max(1, (last - first + 1 + max_ticks - 1) / max_ticks);
    for (int e = first; e <= last; e += stride) result.push_back(std::pow(10.0, e));
    if (result.size() < 2) {  // less than a decade: 1-2-5 steps
      for (double m : {2.0, 5.0}) {
        for (int e = first - 1; e <= last; ++e) {
          const double v = m * std::pow(10.0, e);
          if (v >= axis.lo && v <= axis.hi) result.push_back(v);
        }
      }
      std::sort(result.begin(), result.end());
    }
    return result;
  }
  const double raw = (axis.hi - axis.lo) / std::max(1, max_ticks);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  for (double v = std::ceil(axis.lo / step) * step; v <= axis.hi + step * 1e-9; v += step) {
    result.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return result;
}

std::string tick_label(double value) {
  char buffer[32];
  const double a = std::abs(value);
  if (a >= 1e4 && a < 1e7 && std::fmod(a, 1000) == 0) {
    std::snprintf(buffer, sizeof buffer, "%gk", value / 1000);
  } else if (a != 0 && (a < 1e-4 || a >= 1e7)) {
    std::snprintf(buffer, sizeof buffer, "%.0e", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  }
  return buffer;
}

void draw_axes(cairo_t* cr, const Rect& area, const Axis& x, const Axis& y) {
  const Font font{11};
  cairo_set_line_width(cr, 1);
  for (double v : ticks(y, 6)) {
    const double py = area.y + area.height * (1 - y.fraction(v));
    cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
    cairo_move_to(cr, area.x, py);
    cairo_line_to(cr, area.x + area.width, py);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, tick_label(v), font, area.x - 5, py, Align::kEnd, Align::kCenter);
  }
  for (double v : ticks(x, 6)) {
    const double px = area.x + area.width * x.fraction(v);
    cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
    cairo_move_to(cr, px, area.y);
    cairo_line_to(cr, px, area.y + area.height);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, tick_label(v), font, px, area.y + area.height + 4, Align::kCenter, Align::kStart);
  }
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  cairo_rectangle(cr, area.x + 0.5, area.y + 0.5, area.width - 1, area.height - 1);
  cairo_stroke(cr);
}

}  // namespace recur::viz
