// Scores of a classifier's predicted labels against reference labels: accuracy,
// macro-F1 and the confusion matrix, on 0-100 like the other metrics.
//
// macro-F1 is sklearn's f1_score(average='macro', zero_division=0): the unweighted mean,
// over the labels that occur in the references or the predictions, of each label's
// F1 = 2 tp / (2 tp + fp + fn).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace recur::metrics {

struct ClassificationScores {
  double accuracy = 0.0;               // % of predictions equal to their reference
  double macro_f1 = 0.0;               // % (see above)
  std::vector<std::string> labels;     // rows/columns of the confusion matrix, sorted
  std::vector<std::vector<std::int64_t>> confusion;  // [reference][prediction] counts
  std::vector<double> f1;              // per label, %, in `labels` order
  std::int64_t segments = 0;
};

// predictions[i] answers references[i]; labels are compared as strings (exactly). A
// size mismatch is an Error naming both sizes; no segments give all zeros.
ClassificationScores classification_scores(const std::vector<std::string>& predictions,
                                           const std::vector<std::string>& references);

}  // namespace recur::metrics
