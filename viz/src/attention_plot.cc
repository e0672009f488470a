// The attention of one translated (or summarized) line as a heatmap.
#include "recur/viz/heatmap.h"
#include "recur/viz/plots.h"
#include "recur/viz/text.h"

namespace recur::viz {

Figure attention_figure(const TextAttention& record) {
  HeatmapSpec spec;
  spec.title = "attention, line " + std::to_string(record.line);
  spec.notes = {"source: " + detokenize(record.source), "target: " + detokenize(record.target)};
  spec.row_title = "target";
  spec.column_title = "source";
  spec.row_labels = record.target;
  spec.column_labels = record.source;
  spec.values = record.weights;
  return heatmap_figure(spec);
}

}  // namespace recur::viz
