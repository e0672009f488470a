// Early stopping on a validation metric with patience.
#pragma once

#include <cstdint>
#include <limits>

namespace recur::train {

class EarlyStopping {
 public:
  // higher_is_better: BLEU; lower: loss, perplexity. patience 0 = never stop.
  EarlyStopping(bool higher_is_better, std::int64_t patience)
      : higher_(higher_is_better), patience_(patience) {}

  // Records a validation result; returns true if it is the best so far.
  bool update(double value) {
    bool improved = !seen_ || (higher_ ? value > best_ : value < best_);
    if (improved) {
      best_ = value;
      seen_ = true;
      bad_ = 0;
    } else {
      ++bad_;
    }
    return improved;
  }
  bool should_stop() const { return patience_ > 0 && bad_ >= patience_; }
  double best() const { return best_; }
  bool has_best() const { return seen_; }
  std::int64_t bad_validations() const { return bad_; }
  void restore(bool seen, double best, std::int64_t bad) {
    seen_ = seen;
    best_ = best;
    bad_ = bad;
  }

 private:
  bool higher_;
  std::int64_t patience_;
  bool seen_ = false;
  double best_ = 0;
  std::int64_t bad_ = 0;
};

}  // namespace recur::train
