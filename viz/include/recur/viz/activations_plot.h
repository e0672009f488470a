// The picture of `recur plot activations`: a text coloured by the activation of chosen
// hidden units (one panel per unit, each token on a blue-white-red background from -1 to
// 1), then a units x time heatmap of the same values, with the text feature the units were
// ranked by (if any) as a grey row above it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "recur/viz/figure.h"

namespace recur::viz {

struct UnitTrace {
  std::int64_t unit = 0;
  std::vector<float> values;         // one per token
  std::optional<double> correlation;  // with the feature, when units were ranked by it
};

struct ActivationsSpec {
  std::string title;
  std::vector<std::string> notes;
  std::vector<std::string> tokens;  // the tokens' texts in order ("\n": a line break)
  std::vector<UnitTrace> units;
  std::string feature_name;         // empty: no feature row
  std::vector<double> feature;      // one per token, with feature_name
};

// ShapeError if a unit's values or the feature do not have one value per token.
Figure activations_figure(const ActivationsSpec& spec);

}  // namespace recur::viz
