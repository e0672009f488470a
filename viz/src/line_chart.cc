#include "recur/viz/line_chart.h"

#include <algorithm>
#include <cmath>

#include "recur/viz/axes.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

const Font kTitleFont{13, true};
const Font kLegendFont{11};

void trace(cairo_t* cr, const Rect& plot, const Axis& x, const Axis& y, const Series& s) {
  bool drawing = false;
  for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (y.log && s.y[i] <= 0)) {
      drawing = false;
      continue;
    }
    const double px = plot.x + plot.width * x.fraction(s.x[i]);
    const double py = plot.y + plot.height * (1 - y.fraction(s.y[i]));
    drawing ? cairo_line_to(cr, px, py) : cairo_move_to(cr, px, py);
    drawing = true;
  }
}

void draw_series(cairo_t* cr, const Rect& plot, const Axis& x, const Axis& y, const Series& s,
                 std::vector<Hotspot>* hotspots) {
  set_colour(cr, s.colour);
  cairo_set_line_width(cr, 1.8);
  const double dash[] = {5, 3};
  cairo_set_dash(cr, dash, s.dashed ? 2 : 0, 0);
  trace(cr, plot, x, y, s);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  if (!s.markers) return;
  for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (y.log && s.y[i] <= 0)) continue;
    const double px = plot.x + plot.width * x.fraction(s.x[i]);
    const double py = plot.y + plot.height * (1 - y.fraction(s.y[i]));
    cairo_arc(cr, px, py, 2.8, 0, 2 * M_PI);
    cairo_fill(cr);
    if (hotspots) {
      hotspots->push_back({{px - 5, py - 5, 10, 10},
                           s.name + ": step " + tick_label(s.x[i]) + ", " + tick_label(s.y[i])});
    }
  }
}

// Points of `series` inside `box` (in pixels).
int points_inside(const Rect& plot, const Axis& x, const Axis& y, const std::vector<Series>& series,
                  const Rect& box) {
  int n = 0;
  for (const Series& s : series) {
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      const double px = plot.x + plot.width * x.fraction(s.x[i]);
      const double py = plot.y + plot.height * (1 - y.fraction(s.y[i]));
      n += px >= box.x && px <= box.x + box.width && py >= box.y && py <= box.y + box.height;
    }
  }
  return n;
}

// At the top right, or the bottom right when fewer points lie there.
void draw_legend(cairo_t* cr, const Rect& plot, const Axis& x, const Axis& y,
                 const std::vector<Series>& series) {
  std::vector<const Series*> named;
  double text_w = 0;
  for (const Series& s : series) {
    if (s.name.empty()) continue;
    named.push_back(&s);
    text_w = std::max(text_w, measure_text(cr, s.name, kLegendFont).width);
  }
  if (named.empty()) return;
  const double row = 15;
  Rect box{plot.x + plot.width - text_w - 40, plot.y + 6, text_w + 34,
           row * static_cast<double>(named.size()) + 6};
  Rect bottom = box;
  bottom.y = plot.y + plot.height - box.height - 6;
  if (points_inside(plot, x, y, series, bottom) < points_inside(plot, x, y, series, box))
    box = bottom;
  cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
  cairo_rectangle(cr, box.x, box.y, box.width, box.height);
  cairo_fill(cr);
  const double dash[] = {5, 3};
  for (std::size_t i = 0; i < named.size(); ++i) {
    const double y = box.y + 3 + row * (static_cast<double>(i) + 0.5);
    set_colour(cr, named[i]->colour);
    cairo_set_line_width(cr, 1.8);
    cairo_set_dash(cr, dash, named[i]->dashed ? 2 : 0, 0);
    cairo_move_to(cr, box.x + 4, y);
    cairo_line_to(cr, box.x + 24, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    draw_text(cr, named[i]->name, kLegendFont, box.x + 28, y, Align::kStart, Align::kCenter);
  }
}

}  // namespace

void draw_line_chart(cairo_t* cr, const Rect& area, const LineChartSpec& spec,
                     std::vector<Hotspot>* hotspots) {
  std::vector<double> xs, ys;
  for (const Series& s : spec.series) {
    xs.insert(xs.end(), s.x.begin(), s.x.end());
    ys.insert(ys.end(), s.y.begin(), s.y.end());
  }
  const Axis x = axis_for(xs, false, spec.x_from_zero);
  const Axis y = axis_for(ys, spec.log_y);
  double label_w = 0;
  for (double v : ticks(y, 6))
    label_w = std::max(label_w, measure_text(cr, tick_label(v), Font{11}).width);
  const double left = std::max(label_w + 10, 60.0);  // panels line up unless labels are long
  const Rect plot{area.x + left, area.y + 24, area.width - left - 10, area.height - 24 - 36};
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  draw_text(cr, spec.title, kTitleFont, plot.x, area.y + 2);
  draw_axes(cr, plot, x, y);
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  draw_text(cr, spec.x_title, Font{11}, plot.x + plot.width / 2, area.y + area.height - 2,
            Align::kCenter, Align::kEnd);
  cairo_save(cr);
  cairo_rectangle(cr, plot.x, plot.y, plot.width, plot.height);
  cairo_clip(cr);
  for (const Series& s : spec.series) draw_series(cr, plot, x, y, s, hotspots);
  cairo_restore(cr);
  draw_legend(cr, plot, x, y, spec.series);
}

}  // namespace recur::viz
