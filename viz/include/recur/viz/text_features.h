// Simple features of a text, one value per token, and the hidden units whose activation
// follows them: what `recur plot activations --find FEATURE` ranks (the character-model
// neurons of Karpathy et al., "Visualizing and Understanding Recurrent Networks": quotes,
// line position, brackets).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recur::viz {

enum class TextFeature {
  kQuotes,    // 1 inside double quotes ("..." or “...”), the marks included; a blank line ends a quote
  kPosition,  // code points since the last line break before the token
  kBrackets,  // 1 inside parentheses, the parentheses included
};

// The feature named `name` ("quotes", "position", "brackets"); nullopt for any other.
std::optional<TextFeature> text_feature(std::string_view name);
const char* feature_name(TextFeature feature);
// A short description for figures ("inside double quotes").
const char* feature_description(TextFeature feature);

// One value per token; `tokens` are the tokens' texts in order ("\n" for a line break).
std::vector<double> feature_values(TextFeature feature, const std::vector<std::string>& tokens);

// Pearson's correlation of two equally long series; 0 when either is constant.
double correlation(const std::vector<double>& a, const std::vector<double>& b);

struct UnitScore {
  std::int64_t unit = 0;
  double correlation = 0;
};

// The `top` units of `states` (row-major [T, H], T = feature.size()) with the largest
// absolute correlation with `feature`, largest first (ties to the lower unit).
std::vector<UnitScore> rank_units(const std::vector<float>& states, std::int64_t units,
                                  const std::vector<double>& feature, std::size_t top);

}  // namespace recur::viz
