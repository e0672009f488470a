#include "recur/viz/heatmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "recur/core/error.h"
#include "recur/viz/colour_map.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

constexpr double kMargin = 16;
constexpr double kMaxLabel = 160;  // longer labels are elided
const Font kTitleFont{15, true};
const Font kAxisTitleFont{12, true};
const Font kNoteFont{12};
constexpr double kMinWidth = 480;  // titles and notes longer than the figure are elided

struct Layout {
  double cell = 0, label_size = 0;
  double x0 = 0, y0 = 0;  // top-left of the cells
  double width = 0, height = 0;
  double header_h = 0;  // title and notes
  std::string title;    // elided, as the notes and labels
  std::vector<std::string> notes, rows, columns;
};

double widest(cairo_t* cr, const std::vector<std::string>& labels, const Font& font) {
  double w = 0;
  for (const auto& label : labels) w = std::max(w, measure_text(cr, label, font).width);
  return w;
}

Layout layout(const HeatmapSpec& spec) {
  MeasureContext measure;
  cairo_t* cr = measure.get();
  Layout l;
  const std::size_t n = std::max(spec.row_labels.size(), spec.column_labels.size());
  l.cell = std::clamp(std::round(560.0 / std::max<std::size_t>(n, 1)), 10.0, 28.0);
  l.label_size = std::clamp(std::round(l.cell * 0.7), 8.0, 13.0);
  const Font label{l.label_size};
  for (const auto& s : spec.row_labels) l.rows.push_back(elide(cr, s, label, kMaxLabel));
  for (const auto& s : spec.column_labels) l.columns.push_back(elide(cr, s, label, kMaxLabel));
  const double axis_title_h = measure_text(cr, "Ag", kAxisTitleFont).height + 6;
  l.x0 = kMargin + axis_title_h + widest(cr, l.rows, label) + 6;
  const double grid_w = l.cell * static_cast<double>(spec.column_labels.size());
  const double grid_h = l.cell * static_cast<double>(spec.row_labels.size());
  l.width = std::max(l.x0 + grid_w + 14 + 14 + 44 + kMargin, kMinWidth);
  const double text_w = l.width - 2 * kMargin;
  l.title = elide(cr, spec.title, kTitleFont, text_w);
  l.header_h = measure_text(cr, l.title, kTitleFont).height + 4;
  for (const auto& note : spec.notes) {
    l.notes.push_back(elide(cr, note, kNoteFont, text_w));
    l.header_h += measure_text(cr, l.notes.back(), kNoteFont).height + 2;
  }
  l.header_h += 8;
  l.y0 = kMargin + l.header_h + axis_title_h + widest(cr, l.columns, label) + 6;
  l.height = l.y0 + std::max(grid_h, 60.0) + kMargin;
  return l;
}

std::string cell_text(const HeatmapSpec& spec, std::size_t r, std::size_t c) {
  char value[32];
  std::snprintf(value, sizeof value, "%.3f", spec.values[r][c]);
  return spec.row_title + " " + std::to_string(r) + " \u2018" + spec.row_labels[r] +
         "\u2019 \u2190 " + spec.column_title + " " + std::to_string(c) + " \u2018" +
         spec.column_labels[c] + "\u2019: " + value;
}

void draw(cairo_t* cr, const HeatmapSpec& spec, const Layout& l) {
  const Font label{l.label_size};
  const std::size_t rows = spec.row_labels.size();
  const std::size_t cols = spec.column_labels.size();
  const double grid_w = l.cell * static_cast<double>(cols);
  const double grid_h = l.cell * static_cast<double>(rows);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  draw_text(cr, l.title, kTitleFont, kMargin, kMargin);
  double y = kMargin + measure_text(cr, l.title, kTitleFont).height + 4;
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  for (const auto& note : l.notes) {
    draw_text(cr, note, kNoteFont, kMargin, y);
    y += measure_text(cr, note, kNoteFont).height + 2;
  }
  if (rows == 0 || cols == 0) {
    draw_text(cr, "(nothing to show: the input or the output is empty)", Font{12}, kMargin, l.y0);
    return;
  }
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      set_colour(cr, viridis(spec.values[r][c]));
      // Cells overlap by a fraction of a pixel so no seams show between them.
      cairo_rectangle(cr, l.x0 + l.cell * c, l.y0 + l.cell * r, l.cell + 0.5, l.cell + 0.5);
      cairo_fill(cr);
    }
  }
  cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
  for (std::size_t r = 0; r < rows; ++r) {
    draw_text(cr, l.rows[r], label, l.x0 - 4, l.y0 + l.cell * (r + 0.5), Align::kEnd,
              Align::kCenter);
  }
  for (std::size_t c = 0; c < cols; ++c) {
    draw_text(cr, l.columns[c], label, l.x0 + l.cell * (c + 0.5), l.y0 - 4, Align::kStart,
              Align::kCenter, 90);
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  draw_text(cr, spec.column_title, kAxisTitleFont, l.x0 + grid_w / 2, kMargin + l.header_h,
            Align::kCenter);
  draw_text(cr, spec.row_title, kAxisTitleFont, kMargin, l.y0 + grid_h / 2, Align::kCenter,
            Align::kStart, 90);
  draw_colour_bar(cr, {l.x0 + grid_w + 14, l.y0, 14, std::max(grid_h, 60.0)}, 0, 1);
}

}  // namespace

Figure heatmap_figure(const HeatmapSpec& spec) {
  if (spec.values.size() != spec.row_labels.size()) {
    throw ShapeError("heatmap: " + std::to_string(spec.values.size()) + " rows of values for " +
                     std::to_string(spec.row_labels.size()) + " row labels");
  }
  for (const auto& row : spec.values) {
    if (row.size() != spec.column_labels.size()) {
      throw ShapeError("heatmap: a row of " + std::to_string(row.size()) + " values for " +
                       std::to_string(spec.column_labels.size()) + " column labels");
    }
  }
  auto l = std::make_shared<Layout>(layout(spec));
  Figure figure;
  figure.width = std::ceil(l->width);
  figure.height = std::ceil(l->height);
  figure.draw = [spec, l](cairo_t* cr) { draw(cr, spec, *l); };
  for (std::size_t r = 0; r < spec.row_labels.size(); ++r) {
    for (std::size_t c = 0; c < spec.column_labels.size(); ++c) {
      figure.hotspots.push_back(
          {{l->x0 + l->cell * c, l->y0 + l->cell * r, l->cell, l->cell}, cell_text(spec, r, c)});
    }
  }
  return figure;
}

}  // namespace recur::viz
