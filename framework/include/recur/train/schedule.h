// Learning-rate schedules: linear warmup, then constant, inverse square root,
// exponential or step decay; on top, an optional reduce-on-plateau factor driven by the
// validation metric.
#pragma once

#include <cstdint>
#include <string>

namespace recur::train {

enum class Decay { constant, inverse_sqrt, exponential, step };

struct ScheduleOptions {
  float lr = 1e-3f;                 // peak learning rate
  std::int64_t warmup_steps = 0;    // linear from lr/warmup to lr
  Decay decay = Decay::constant;
  float gamma = 0.5f;               // exponential / step: factor per decay_steps
  std::int64_t decay_steps = 1000;
  float plateau_factor = 0.5f;      // reduce-on-plateau: multiply by this ...
  std::int64_t plateau_patience = 0;  // ... after this many validations without improvement (0 = off)
  float min_lr = 0.0f;
};

class LrSchedule {
 public:
  explicit LrSchedule(const ScheduleOptions& options);

  // Learning rate for update number `step` (1-based).
  float lr(std::int64_t step) const;
  // Tells the schedule whether the last validation improved the monitored metric.
  void on_validation(bool improved);

  // State for checkpoints.
  float plateau_scale() const { return plateau_scale_; }
  std::int64_t bad_validations() const { return bad_; }
  void restore(float plateau_scale, std::int64_t bad_validations);

 private:
  ScheduleOptions o_;
  float plateau_scale_ = 1.0f;
  std::int64_t bad_ = 0;
};

Decay parse_decay(const std::string& name);  // "constant", "inverse_sqrt", "exponential", "step"

}  // namespace recur::train
