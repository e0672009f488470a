#include "recur/viz/activations_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "recur/core/error.h"
#include "recur/viz/colour_map.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

constexpr double kMaxWidth = 960;  // the text wraps at this width
constexpr double kMinWidth = 640;
constexpr double kMargin = 16;
constexpr double kLineH = 19;      // a line of the coloured text
constexpr double kPanelGap = 12;
constexpr double kRowH = 14;       // a row of the heatmap
constexpr double kLabelW = 72;     // the heatmap's row labels
const Font kTitleFont{15, true};
const Font kNoteFont{12};
const Font kHeadingFont{12, true};
const Font kTokenFont{13};
const Font kLabelFont{11};

std::string signed_value(double v) {
  char text[16];
  std::snprintf(text, sizeof text, "%+.3f", v);
  return text;
}

// What a token shows: its text, a line break as a small "⏎" that ends the line.
std::string shown(const std::string& token) { return token == "\n" ? "\u23ce" : token; }

struct Layout {
  std::string title;
  std::vector<std::string> notes;
  double header_h = 0;
  std::vector<Rect> boxes;  // each token's box relative to a panel's text origin
  double text_h = 0;        // a panel's text height
  double heading_h = 0;
  double panel_h = 0;
  double panels_y = 0;      // top of the first panel
  double map_y = 0;         // top of the heatmap's first row
  double cell_w = 0;
  std::size_t map_rows = 0;
  double width = 0;  // the widest text line's, within [kMinWidth, kMaxWidth]
  double height = 0;
};

Layout layout(const ActivationsSpec& spec) {
  MeasureContext measure;
  cairo_t* cr = measure.get();
  Layout l;
  const double text_w = kMaxWidth - 2 * kMargin;
  double x = 0, y = 0, widest = 0;
  for (const std::string& token : spec.tokens) {
    const double w = std::max(measure_text(cr, shown(token), kTokenFont).width, 3.0);
    if (x > 0 && x + w > text_w) {
      x = 0;
      y += kLineH;
    }
    l.boxes.push_back({x, y, w, kLineH});
    x += w;
    widest = std::max(widest, x);
    if (token == "\n") {
      x = 0;
      y += kLineH;
    }
  }
  l.text_h = spec.tokens.empty() ? kLineH : (x == 0 ? y : y + kLineH);
  l.width = std::clamp(std::ceil(widest) + 2 * kMargin, kMinWidth, kMaxWidth);
  l.title = elide(cr, spec.title, kTitleFont, l.width - 2 * kMargin);
  l.header_h = measure_text(cr, l.title, kTitleFont).height + 4;
  for (const auto& note : spec.notes) {
    l.notes.push_back(elide(cr, note, kNoteFont, l.width - 2 * kMargin));
    l.header_h += measure_text(cr, l.notes.back(), kNoteFont).height + 2;
  }
  l.heading_h = measure_text(cr, "unit 0", kHeadingFont).height + 4;
  l.panel_h = l.heading_h + l.text_h + kPanelGap;
  l.panels_y = kMargin + l.header_h + 8;
  l.map_rows = spec.units.size() + (spec.feature_name.empty() ? 0 : 1);
  l.map_y = l.panels_y + l.panel_h * static_cast<double>(spec.units.size()) + 24;
  const double grid_w = l.width - 2 * kMargin - kLabelW - 70;
  l.cell_w = spec.tokens.empty() ? 1 : std::clamp(grid_w / static_cast<double>(spec.tokens.size()), 0.5, 12.0);
  l.height = l.map_y + kRowH * static_cast<double>(l.map_rows) + 40 + kMargin;
  return l;
}

std::string heading(const UnitTrace& unit) {
  std::string text = "unit " + std::to_string(unit.unit);
  if (unit.correlation) {
    char r[32];
    std::snprintf(r, sizeof r, "   r = %+.3f", *unit.correlation);
    text += r;
  }
  return text;
}

void draw_panel(cairo_t* cr, const ActivationsSpec& spec, const Layout& l, std::size_t u) {
  const UnitTrace& unit = spec.units[u];
  const double top = l.panels_y + l.panel_h * static_cast<double>(u);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  draw_text(cr, heading(unit), kHeadingFont, kMargin, top);
  const double x0 = kMargin, y0 = top + l.heading_h;
  for (std::size_t t = 0; t < spec.tokens.size(); ++t) {
    const Rect& b = l.boxes[t];
    const double v = unit.values[t];
    set_colour(cr, diverging(v));
    cairo_rectangle(cr, x0 + b.x, y0 + b.y, b.width + 0.3, b.height);
    cairo_fill(cr);
    if (std::abs(v) > 0.6) cairo_set_source_rgb(cr, 1, 1, 1);
    else cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    draw_text(cr, shown(spec.tokens[t]), kTokenFont, x0 + b.x, y0 + b.y + b.height / 2, Align::kStart,
              Align::kCenter);
  }
}

void draw_map(cairo_t* cr, const ActivationsSpec& spec, const Layout& l) {
  const double x0 = kMargin + kLabelW;
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  draw_text(cr, "units \u00d7 time", kHeadingFont, kMargin, l.map_y - 20);
  std::size_t row = 0;
  if (!spec.feature_name.empty()) {
    double most = 0;
    for (double f : spec.feature) most = std::max(most, std::abs(f));
    for (std::size_t t = 0; t < spec.feature.size(); ++t) {
      const double g = 1 - 0.8 * (most > 0 ? std::abs(spec.feature[t]) / most : 0);
      cairo_set_source_rgb(cr, g, g, g);
      cairo_rectangle(cr, x0 + l.cell_w * static_cast<double>(t), l.map_y, l.cell_w + 0.3, kRowH);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, spec.feature_name, kLabelFont, x0 - 6, l.map_y + kRowH / 2, Align::kEnd, Align::kCenter);
    row = 1;
  }
  for (std::size_t u = 0; u < spec.units.size(); ++u, ++row) {
    const double y = l.map_y + kRowH * static_cast<double>(row);
    for (std::size_t t = 0; t < spec.tokens.size(); ++t) {
      set_colour(cr, diverging(spec.units[u].values[t]));
      cairo_rectangle(cr, x0 + l.cell_w * static_cast<double>(t), y, l.cell_w + 0.3, kRowH + 0.3);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, "unit " + std::to_string(spec.units[u].unit), kLabelFont, x0 - 6, y + kRowH / 2, Align::kEnd,
              Align::kCenter);
  }
  const double grid_w = l.cell_w * static_cast<double>(spec.tokens.size());
  const double bottom = l.map_y + kRowH * static_cast<double>(l.map_rows);
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  draw_text(cr, "0", kLabelFont, x0, bottom + 3);
  draw_text(cr, std::to_string(spec.tokens.empty() ? 0 : spec.tokens.size() - 1), kLabelFont, x0 + grid_w,
            bottom + 3, Align::kEnd);
  draw_text(cr, "token", kLabelFont, x0 + grid_w / 2, bottom + 3, Align::kCenter);
  draw_diverging_bar(cr, {x0 + grid_w + 14, l.map_y, 12, std::max(kRowH * static_cast<double>(l.map_rows), 40.0)},
                     -1, 1);
}

void draw(cairo_t* cr, const ActivationsSpec& spec, const Layout& l) {
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  draw_text(cr, l.title, kTitleFont, kMargin, kMargin);
  double y = kMargin + measure_text(cr, l.title, kTitleFont).height + 4;
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  for (const auto& note : l.notes) {
    draw_text(cr, note, kNoteFont, kMargin, y);
    y += measure_text(cr, note, kNoteFont).height + 2;
  }
  for (std::size_t u = 0; u < spec.units.size(); ++u) draw_panel(cr, spec, l, u);
  draw_map(cr, spec, l);
}

}  // namespace

Figure activations_figure(const ActivationsSpec& spec) {
  for (const UnitTrace& unit : spec.units) {
    if (unit.values.size() != spec.tokens.size()) {
      throw ShapeError("activations: unit " + std::to_string(unit.unit) + " has " +
                       std::to_string(unit.values.size()) + " values for " + std::to_string(spec.tokens.size()) +
                       " tokens");
    }
  }
  if (!spec.feature_name.empty() && spec.feature.size() != spec.tokens.size()) {
    throw ShapeError("activations: the feature has " + std::to_string(spec.feature.size()) + " values for " +
                     std::to_string(spec.tokens.size()) + " tokens");
  }
  auto l = std::make_shared<Layout>(layout(spec));
  Figure figure;
  figure.width = l->width;
  figure.height = std::ceil(l->height);
  figure.draw = [spec, l](cairo_t* cr) { draw(cr, spec, *l); };
  for (std::size_t u = 0; u < spec.units.size(); ++u) {
    const double top = l->panels_y + l->panel_h * static_cast<double>(u) + l->heading_h;
    for (std::size_t t = 0; t < spec.tokens.size(); ++t) {
      const Rect& b = l->boxes[t];
      figure.hotspots.push_back({{kMargin + b.x, top + b.y, b.width, b.height},
                                 "unit " + std::to_string(spec.units[u].unit) + ", token " + std::to_string(t) +
                                     " \u2018" + visible(spec.tokens[t]) + "\u2019: " +
                                     signed_value(spec.units[u].values[t])});
    }
  }
  return figure;
}

}  // namespace recur::viz
