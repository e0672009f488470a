// The training loop: backpropagation, global-norm clipping, learning-rate schedule,
// validation every N steps with early stopping, checkpoints `last` and `best` written
// atomically with optimizer, schedule and data position, exact resume, and a log line
// every N steps (also appended to train_log.csv beside the checkpoints).
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

  // Continues from `checkpoint` (a file written by this trainer).
  void resume(const std::filesystem::path& checkpoint);
  // Trains until epochs, max_steps, max_minutes or early stopping end it. `on_best` is
  // called whenever validation improves (e.g. to write the model folder).
  TrainSummary run(const std::function<void()>& on_best = {});

  const Optimizer& optimizer() const { return *optimizer_; }
  std::int64_t step() const { return step_; }

 private:
  struct Position;
  void save_checkpoint(const std::filesystem::path& file) const;
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
  std::unique_ptr<std::ofstream> csv_;
};

}  // namespace recur::train
