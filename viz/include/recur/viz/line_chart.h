// A line chart: several named series against a shared x axis, linear or log y, a legend.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

#include "recur/viz/colour_map.h"
#include "recur/viz/figure.h"

namespace recur::viz {

struct Series {
  std::string name;
  std::vector<double> x, y;  // same length; non-finite points are skipped
  Rgb colour;
  bool dashed = false;
  bool markers = false;
};

struct LineChartSpec {
  std::string title;
  std::string x_title;
  bool log_y = false;
  std::vector<Series> series;
  bool x_from_zero = true;  // the x axis starts at 0 (steps); false: it fits the data (years)
};

// Draws the chart inside `area` (title above, axes, legend at the top right). Adds a
// hotspot per marker ("name: x, y") to `hotspots` when it is given.
void draw_line_chart(cairo_t* cr, const Rect& area, const LineChartSpec& spec,
                     std::vector<Hotspot>* hotspots = nullptr);

}  // namespace recur::viz
