// The training loop: backpropagation, global-norm clipping, learning-rate schedule,
// validation every N steps with early stopping, checkpoints `last` and `best` written
// atomically with optimizer, schedule and data position, exact resume, and a log line
// every N steps (also appended to train_log.csv beside the checkpoints).
//
// A kill (-9) at any moment loses nothing a resume cannot redo exactly. last.safetensors
// is the commit point of a step. At a validation the order is: best.safetensors (if
// improved), the on_best callback (the model folder), the valid_log.csv row, then
// last.safetensors. A run killed before `last` is written resumes from the previous
// checkpoint and redoes that validation identically; run() first cuts both logs back to
// the step it starts from. Temporaries of writers that were killed
// ("*.tmp.<pid>.<n>", see recur/core/atomic_file.h) are removed from checkpoint_dir.
//
// With keep_checkpoints N > 0, every validation also writes the model's weights alone
// (f32, named as in a model file) to step-<step>.safetensors, before `last`, and removes
// all but the N newest of them: the inputs of `recur average` (checkpoint averaging).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "recur/train/early_stopping.h"
#include "recur/train/optimizer.h"
#include "recur/train/schedule.h"
#include "recur/train/task.h"

namespace recur::train {

class RunLogs;

struct OptimizerOptions {
  std::string name = "adam";  // adam | adamw | sgd
  AdamOptions adam;
  SgdOptions sgd;
};

struct TrainerOptions {
  OptimizerOptions optimizer;
  ScheduleOptions schedule;
  double clip_norm = 5.0;          // 0 = no clipping
  std::int64_t epochs = 10;
  std::int64_t max_steps = 0;      // 0 = no limit
  double max_minutes = 0;          // 0 = no limit; stops after the next validation
  std::int64_t valid_every = 1000;
  std::int64_t log_every = 100;
  std::string metric = "loss";     // validation metric for early stopping and `best`
  std::int64_t patience = 0;       // 0 = never stop early
  std::uint64_t seed = 1;
  std::filesystem::path checkpoint_dir;  // empty = no checkpoints
  std::int64_t keep_checkpoints = 0;     // step-<step>.safetensors kept (0 = none)
};

struct TrainSummary {
  std::int64_t steps = 0;
  std::int64_t skipped = 0;        // batches skipped for non-finite loss or gradients
  double best_metric = 0;
  double seconds = 0;
  std::string stop_reason;
};

class Trainer {
 public:
  Trainer(TrainTask& task, TrainerOptions options);
  ~Trainer();

  // Continues from `checkpoint` (a file written by this trainer). A checkpoint holding a
  // NaN or an infinity is refused (IoError naming the file and the tensor).
  void resume(const std::filesystem::path& checkpoint);
  // Trains until epochs, max_steps, max_minutes or early stopping end it. `on_best` is
  // called whenever validation improves (e.g. to write the model folder).
  TrainSummary run(const std::function<void()>& on_best = {});

  const Optimizer& optimizer() const { return *optimizer_; }
  std::int64_t step() const { return step_; }

 private:
  struct Position;
  // Running sums of the steps since the last train_log row (checkpointed, so a resumed
  // run writes the same rows).
  struct Window {
    double loss = 0, nll = 0, norm = 0;
    std::int64_t tokens = 0, steps = 0;
  };
  void save_checkpoint(const std::filesystem::path& file) const;
  void save_snapshot() const;
  bool validate_and_checkpoint(const std::function<void()>& on_best);
  void log_step(double loss, double ppl, float lr, double norm, double tokens_per_s, double eta_s);

  TrainTask& task_;
  TrainerOptions o_;
  std::unique_ptr<Optimizer> optimizer_;
  LrSchedule schedule_;
  EarlyStopping early_;
  std::int64_t step_ = 0;
  std::int64_t epoch_ = 0;
  std::int64_t next_batch_ = 0;
  std::int64_t skipped_ = 0;
  std::int64_t validated_step_ = -1;  // step of the last validation
  Window window_;
  std::unique_ptr<RunLogs> logs_;
};

}  // namespace recur::train
