#include "recur/viz/text_features.h"

#include <algorithm>
#include <cmath>

#include "recur/core/error.h"

namespace recur::viz {

std::optional<TextFeature> text_feature(std::string_view name) {
  if (name == "quotes") return TextFeature::kQuotes;
  if (name == "position") return TextFeature::kPosition;
  if (name == "brackets") return TextFeature::kBrackets;
  return std::nullopt;
}

const char* feature_name(TextFeature feature) {
  switch (feature) {
    case TextFeature::kQuotes: return "quotes";
    case TextFeature::kPosition: return "position";
    case TextFeature::kBrackets: return "brackets";
  }
  return "";
}

const char* feature_description(TextFeature feature) {
  switch (feature) {
    case TextFeature::kQuotes: return "inside double quotes";
    case TextFeature::kPosition: return "position in the line";
    case TextFeature::kBrackets: return "inside parentheses";
  }
  return "";
}

namespace {

constexpr std::string_view kOpenQuote = "\u201c", kCloseQuote = "\u201d";

bool starts(const std::string& s, std::size_t at, std::string_view with) { return s.compare(at, with.size(), with) == 0; }

std::vector<double> quotes(const std::vector<std::string>& tokens) {
  std::vector<double> values;
  bool inside = false, line_was_blank = false;
  for (const std::string& token : tokens) {
    const bool was_inside = inside;
    bool mark = false, ended = false;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '"') {
        inside = !inside;
        mark = true;
      } else if (starts(token, i, kOpenQuote)) {
        inside = mark = true;
      } else if (starts(token, i, kCloseQuote)) {
        inside = false;
        mark = true;
      } else if (token[i] == '\n') {
        if (line_was_blank && inside) {  // a paragraph ends: so does an unclosed quote
          inside = false;
          ended = true;
        }
        line_was_blank = true;
        continue;
      }
      if (token[i] != '\r') line_was_blank = false;
    }
    values.push_back(mark || inside || (was_inside && !ended) ? 1.0 : 0.0);
  }
  return values;
}

std::vector<double> position(const std::vector<std::string>& tokens) {
  std::vector<double> values;
  double column = 0;
  for (const std::string& token : tokens) {
    values.push_back(column);
    for (unsigned char c : token) {
      if (c == '\n') column = 0;
      else if ((c & 0xC0) != 0x80) column += 1;  // a code point starts here
    }
  }
  return values;
}

std::vector<double> brackets(const std::vector<std::string>& tokens) {
  std::vector<double> values;
  int depth = 0;
  for (const std::string& token : tokens) {
    bool touched = depth > 0;
    for (char c : token) {
      if (c == '(') {
        ++depth;
        touched = true;
      } else if (c == ')') {
        depth = std::max(0, depth - 1);
        touched = true;
      }
    }
    values.push_back(touched ? 1.0 : 0.0);
  }
  return values;
}

}  // namespace

std::vector<double> feature_values(TextFeature feature, const std::vector<std::string>& tokens) {
  switch (feature) {
    case TextFeature::kQuotes: return quotes(tokens);
    case TextFeature::kPosition: return position(tokens);
    case TextFeature::kBrackets: return brackets(tokens);
  }
  return {};
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) {
    throw ShapeError("correlation of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " values");
  }
  const auto n = static_cast<double>(a.size());
  if (a.empty()) return 0;
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa <= 0 || sbb <= 0) return 0;
  return sab / std::sqrt(saa * sbb);
}

std::vector<UnitScore> rank_units(const std::vector<float>& states, std::int64_t units,
                                  const std::vector<double>& feature, std::size_t top) {
  const auto t = static_cast<std::int64_t>(feature.size());
  if (units < 1 || static_cast<std::int64_t>(states.size()) != t * units) {
    throw ShapeError("rank_units: " + std::to_string(states.size()) + " values for " + std::to_string(t) +
                     " steps of " + std::to_string(units) + " units");
  }
  std::vector<UnitScore> scores;
  std::vector<double> column(feature.size());
  for (std::int64_t u = 0; u < units; ++u) {
    for (std::int64_t i = 0; i < t; ++i) column[static_cast<std::size_t>(i)] = states[static_cast<std::size_t>(i * units + u)];
    scores.push_back({u, correlation(column, feature)});
  }
  std::stable_sort(scores.begin(), scores.end(), [](const UnitScore& a, const UnitScore& b) {
    return std::abs(a.correlation) > std::abs(b.correlation);
  });
  scores.resize(std::min(top, scores.size()));
  return scores;
}

}  // namespace recur::viz
