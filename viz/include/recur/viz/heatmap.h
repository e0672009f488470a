// A matrix of values in [0, 1] as coloured cells (viridis), with a label per row (left)
// and per column (top, rotated), axis titles and a colour bar: the attention of a
// sequence-to-sequence model. Cells shrink from 28 to 10 px as the matrix grows, so a
// 100 x 100 matrix stays readable at about 1,300 px.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

#include "recur/viz/figure.h"

namespace recur::viz {

struct HeatmapSpec {
  std::string title;
  std::vector<std::string> notes;  // lines under the title (e.g. the source and target text)
  std::string row_title;           // e.g. "target"
  std::string column_title;        // e.g. "source"
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<float>> values;  // row_labels.size() rows of column_labels.size()
};

// The figure; its hotspots are the cells ("row ← column: value").
Figure heatmap_figure(const HeatmapSpec& spec);

}  // namespace recur::viz
