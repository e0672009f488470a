#include "recur/metrics/classification.h"

#include <algorithm>
#include <map>

#include "recur/core/error.h"

namespace recur::metrics {

ClassificationScores classification_scores(const std::vector<std::string>& predictions,
                                           const std::vector<std::string>& references) {
  if (predictions.size() != references.size()) {
    throw Error("classification scores: " + std::to_string(predictions.size()) + " predictions for " +
                std::to_string(references.size()) + " references");
  }
  ClassificationScores s;
  s.segments = static_cast<std::int64_t>(references.size());
  std::map<std::string, std::size_t> index;
  for (const auto* side : {&references, &predictions}) {
    for (const std::string& label : *side) index.emplace(label, 0);
  }
  for (auto& [label, i] : index) {
    i = s.labels.size();
    s.labels.push_back(label);
  }
  const std::size_t n = s.labels.size();
  s.confusion.assign(n, std::vector<std::int64_t>(n, 0));
  std::int64_t correct = 0;
  for (std::size_t i = 0; i < references.size(); ++i) {
    ++s.confusion[index.at(references[i])][index.at(predictions[i])];
    correct += references[i] == predictions[i];
  }
  if (s.segments == 0) return s;
  s.accuracy = 100.0 * static_cast<double>(correct) / static_cast<double>(s.segments);
  double sum = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    std::int64_t tp = s.confusion[k][k], fp = 0, fn = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == k) continue;
      fn += s.confusion[k][j];
      fp += s.confusion[j][k];
    }
    const double denom = static_cast<double>(2 * tp + fp + fn);
    s.f1.push_back(denom > 0 ? 100.0 * 2.0 * static_cast<double>(tp) / denom : 0.0);
    sum += s.f1.back();
  }
  s.macro_f1 = sum / static_cast<double>(n);
  return s;
}

}  // namespace recur::metrics
