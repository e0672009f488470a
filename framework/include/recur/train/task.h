// What the trainer trains. The trainer knows only Modules, losses and parameters; a task
// knows its data and its model (e.g. the seq2seq plugin's Seq2SeqTraining).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/nn/module.h"

namespace recur::train {

struct StepLoss {
  Tensor loss;             // scalar to backpropagate (mean over target tokens)
  double nll_sum = 0;      // summed negative log-likelihood (for perplexity)
  std::int64_t tokens = 0; // target tokens in the batch (what TrainTask::count_unit() names)
};

class TrainTask {
 public:
  virtual ~TrainTask();

  virtual nn::Module& model() = 0;
  // Orders the epoch's batches; must depend only on `epoch` (and the task's seed), so a
  // resumed run sees the same batches as an uninterrupted one.
  virtual void start_epoch(std::int64_t epoch) = 0;
  virtual std::int64_t batches_in_epoch() const = 0;
  // Forward pass of batch `index` of the current epoch, in training mode. `rng` drives
  // dropout; it is seeded from the step number.
  virtual StepLoss forward(std::int64_t index, std::mt19937_64& rng) = 0;
  // Validation metrics, e.g. {"loss", "ppl", "bleu"}; run in eval mode without a tape.
  // Empty when the task has no validation data.
  virtual std::map<std::string, double> validate() = 0;
  // Whether validate() measures anything (the best model is then the validated one).
  virtual bool validates() const { return true; }
  // What StepLoss::tokens counts, for the training log's rate ("tok/s", "texts/s").
  virtual const char* count_unit() const { return "tok"; }
  // What the task carries from one batch to the next (a language model's recurrent state
  // under truncated backpropagation through time), named; empty (the default) when
  // batches are independent. Checkpoints save it as "task.<name>"; resume() hands it back
  // before the next forward(), so a resumed run continues exactly.
  virtual std::vector<std::pair<std::string, Tensor>> carried_state() const { return {}; }
  virtual void restore_carried_state(const std::vector<std::pair<std::string, Tensor>>& state) {
    (void)state;
  }
};

}  // namespace recur::train
