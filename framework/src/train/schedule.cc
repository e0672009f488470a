#include "recur/train/schedule.h"

#include <algorithm>
#include <cmath>

#include "recur/core/error.h"

namespace recur::train {

LrSchedule::LrSchedule(const ScheduleOptions& options) : o_(options) {
  if (o_.lr <= 0) throw Error("learning rate must be positive");
  if (o_.warmup_steps < 0 || o_.decay_steps <= 0) throw Error("schedule: warmup_steps >= 0 and decay_steps > 0 required");
  if (o_.gamma <= 0 || o_.gamma > 1) throw Error("schedule: gamma must be in (0, 1]");
  if (o_.plateau_factor <= 0 || o_.plateau_factor > 1) throw Error("schedule: plateau_factor must be in (0, 1]");
}

float LrSchedule::lr(std::int64_t step) const {
  step = std::max<std::int64_t>(step, 1);
  const double s = static_cast<double>(step);
  const double w = static_cast<double>(o_.warmup_steps);
  double f = 1.0;
  if (step <= o_.warmup_steps) {
    f = s / w;
  } else {
    const double after = s - w;  // steps since warmup ended
    switch (o_.decay) {
      case Decay::constant: break;
      case Decay::inverse_sqrt: f = std::sqrt(std::max(w, 1.0) / s); break;
      case Decay::exponential: f = std::pow(o_.gamma, after / static_cast<double>(o_.decay_steps)); break;
      case Decay::step: f = std::pow(o_.gamma, std::floor(after / static_cast<double>(o_.decay_steps))); break;
    }
  }
  return std::max(o_.min_lr, static_cast<float>(o_.lr * f * plateau_scale_));
}

void LrSchedule::on_validation(bool improved) {
  if (o_.plateau_patience <= 0) return;
  if (improved) {
    bad_ = 0;
    return;
  }
  if (++bad_ >= o_.plateau_patience) {
    plateau_scale_ *= o_.plateau_factor;
    bad_ = 0;
  }
}

void LrSchedule::restore(float plateau_scale, std::int64_t bad_validations) {
  plateau_scale_ = plateau_scale;
  bad_ = bad_validations;
}

Decay parse_decay(const std::string& name) {
  if (name == "constant") return Decay::constant;
  if (name == "inverse_sqrt") return Decay::inverse_sqrt;
  if (name == "exponential") return Decay::exponential;
  if (name == "step") return Decay::step;
  throw Error("unknown learning-rate decay '" + name + "'");
}

}  // namespace recur::train
