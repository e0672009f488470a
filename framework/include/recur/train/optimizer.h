// Optimizers over a fixed list of parameters: SGD (momentum, Nesterov), Adam and AdamW
// (decoupled weight decay). Each keeps its per-parameter state as named tensors so a
// checkpoint can save and restore it exactly.
//
// The update is one fused pass over each parameter's memory in plain C++: it is
// memory-bound, and oneDNN would need several primitives (several passes) for it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::train {

class Optimizer {
 public:
  explicit Optimizer(std::vector<std::pair<std::string, Tensor>> params);
  virtual ~Optimizer();

  // Applies one update with learning rate `lr` from the parameters' gradients
  // (parameters without a gradient are skipped), then counts the step.
  void step(float lr);
  std::int64_t steps() const { return steps_; }

  // State for checkpoints: "<kind>.<param name>" -> tensor, plus the step count.
  std::vector<std::pair<std::string, Tensor>> state() const;
  // Restores state() output; names and shapes must match (IoError otherwise).
  void load_state(const std::vector<std::pair<std::string, Tensor>>& state, std::int64_t steps);

  const std::vector<std::pair<std::string, Tensor>>& params() const { return params_; }

 protected:
  // Updates parameter i (data p, gradient g, n elements).
  virtual void update(std::size_t i, float* p, const float* g, std::int64_t n, float lr) = 0;
  // Adds a per-parameter state slot (same shape as each parameter), e.g. "exp_avg".
  void add_slot(const std::string& kind);
  float* slot(std::size_t kind, std::size_t param);

 private:
  std::vector<std::pair<std::string, Tensor>> params_;
  std::vector<std::string> slot_kinds_;
  std::vector<std::vector<Tensor>> slots_;  // [kind][param]
  std::int64_t steps_ = 0;
};

struct SgdOptions {
  float momentum = 0.0f;
  bool nesterov = false;
  float weight_decay = 0.0f;  // L2, added to the gradient
};

struct AdamOptions {
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled = false;  // AdamW
};

std::unique_ptr<Optimizer> make_sgd(std::vector<std::pair<std::string, Tensor>> params,
                                    const SgdOptions& options);
std::unique_ptr<Optimizer> make_adam(std::vector<std::pair<std::string, Tensor>> params,
                                     const AdamOptions& options);

}  // namespace recur::train
