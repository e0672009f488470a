// Numeric axes: a linear or logarithmic mapping of data values to pixels, "nice" tick
// values (1, 2, 5 x 10^k), tick labels and grid lines around a plot area.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

#include "recur/viz/figure.h"

namespace recur::viz {

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;  // lo and hi > 0

  // Where `value` falls between lo (0) and hi (1).
  double fraction(double value) const;
};

// An axis covering every finite value of `values` (positive ones only when `log`), with a
// little padding; [0, 1] when there is none.
Axis axis_for(const std::vector<double>& values, bool log, bool include_zero = false);

// About `max_ticks` round values inside the axis (powers of ten for a log axis).
std::vector<double> ticks(const Axis& axis, int max_ticks);

// A short label: "0.001", "2.5", "1e-05", "12k".
std::string tick_label(double value);

// Draws the frame of `area`, light grid lines and labelled ticks on the left (y) and the
// bottom (x). Labels need about 50 px to the left and 20 px below the area.
void draw_axes(cairo_t* cr, const Rect& area, const Axis& x, const Axis& y);

}  // namespace recur::viz
