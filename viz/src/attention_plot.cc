// The attention of one translated (or summarized) line as a heatmap.
#include "recur/viz/heatmap.h"
#include "recur/viz/plots.h"

namespace recur::viz {
namespace {

// Sentencepiece pieces joined back into text ("▁" marks a word start).
std::string detokenize(const std::vector<std::string>& pieces) {
  static const std::string kSpace = "\u2581";
  std::string text;
  for (const std::string& piece : pieces) {
    if (piece == "</s>") continue;
    for (std::size_t at = 0; at < piece.size();) {
      if (piece.compare(at, kSpace.size(), kSpace) == 0) {
        text += ' ';
        at += kSpace.size();
      } else {
        text += piece[at++];
      }
    }
  }
  const std::size_t first = text.find_first_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first);
}

}  // namespace

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
