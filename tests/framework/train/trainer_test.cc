#include "recur/train/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "recur/ops/dropout.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/linear.h"
#include "recur/ops/loss.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::train {
namespace {

namespace fs = std::filesystem;

class Linear : public nn::Module {
 public:
  Linear() {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> w(12);
    for (float& v : w) v = u(rng);
    weight = register_parameter("weight", Tensor::from({3, 4}, w));
    bias = register_parameter("bias", Tensor::zeros({3}));
  }
  Tensor weight, bias;
};

// Three classes from four features; 64 examples in batches of 8, shuffled per epoch.
class ToyTask : public TrainTask {
 public:
  explicit ToyTask(std::int64_t nan_at_batch = -1) : nan_at_(nan_at_batch) {
    std::mt19937_64 rng(11);
    std::normal_distribution<float> n;
    std::vector<float> x(64 * 4);
    std::vector<std::int64_t> y(64);
    for (std::size_t i = 0; i < 64; ++i) {
      for (std::size_t k = 0; k < 4; ++k) x[i * 4 + k] = n(rng);
      y[i] = x[i * 4] > 0.3f ? 0 : x[i * 4 + 1] > 0 ? 1 : 2;
    }
    x_ = Tensor::from({64, 4}, x);
    y_ = Tensor::from<std::int64_t>({64}, y);
  }
  nn::Module& model() override { return model_; }
  void start_epoch(std::int64_t epoch) override {
    order_.resize(8);
    std::iota(order_.begin(), order_.end(), 0);
    std::shuffle(order_.begin(), order_.end(), std::mt19937_64(100 + static_cast<std::uint64_t>(epoch)));
    epoch_ = epoch;
  }
  std::int64_t batches_in_epoch() const override { return 8; }
  StepLoss forward(std::int64_t index, std::mt19937_64& rng) override {
    const std::int64_t b = order_[static_cast<std::size_t>(index)];
    Tensor x = ops::dropout(x_.narrow0(b * 8, 8), 0.1f, rng, true);
    Tensor logits = ops::linear(x, model_.weight, model_.bias);
    Tensor loss = ops::cross_entropy(logits, y_.narrow0(b * 8, 8));
    if (epoch_ == 0 && index == nan_at_) loss = ops::scale(loss, NAN);
    losses.push_back(loss.item());
    return {loss, static_cast<double>(loss.item()) * 8, 8};
  }
  std::map<std::string, double> validate() override {
    autograd::NoGradGuard g;
    Tensor loss = ops::cross_entropy(ops::linear(x_, model_.weight, model_.bias), y_);
    return {{"loss", loss.item()}};
  }
  std::vector<float> losses;

 private:
  Linear model_;
  Tensor x_, y_;
  std::vector<std::int64_t> order_;
  std::int64_t epoch_ = 0;
  std::int64_t nan_at_;
};

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(fs::temp_directory_path() / ("recur_trainer_" + name + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

TrainerOptions options(const fs::path& dir) {
  TrainerOptions o;
  o.schedule.lr = 0.05f;
  o.schedule.warmup_steps = 4;
  o.schedule.decay = Decay::inverse_sqrt;
  o.schedule.plateau_patience = 1;
  o.epochs = 4;
  o.valid_every = 5;
  o.log_every = 3;
  o.checkpoint_dir = dir;
  return o;
}

TEST(Trainer, LearnsAndWritesCheckpointsAndLog) {
  TempDir dir("learn");
  ToyTask task;
  const double before = task.validate()["loss"];
  Trainer t(task, options(dir.path));
  int best_calls = 0;
  TrainSummary s = t.run([&] { ++best_calls; });
  EXPECT_EQ(s.steps, 32);
  EXPECT_LT(task.validate()["loss"], before * 0.7);
  EXPECT_GT(best_calls, 0);
  EXPECT_TRUE(fs::exists(dir.path / "last.safetensors"));
  EXPECT_TRUE(fs::exists(dir.path / "best.safetensors"));
  EXPECT_TRUE(fs::exists(dir.path / "train_log.csv"));
}

TEST(Trainer, ResumeContinuesExactly) {
  TempDir a("a"), b("b");
  ToyTask straight;
  Trainer(straight, options(a.path)).run();

  ToyTask first;
  TrainerOptions o = options(b.path);
  o.max_steps = 10;  // "killed" after step 10, right after a checkpoint
  Trainer(first, o).run();
  ToyTask second;
  TrainerOptions o2 = options(b.path);
  Trainer resumed(second, o2);
  resumed.resume(b.path / "last.safetensors");
  resumed.run();

  std::vector<float> joined = first.losses;
  joined.insert(joined.end(), second.losses.begin(), second.losses.end());
  ASSERT_EQ(joined.size(), straight.losses.size());
  for (std::size_t i = 0; i < joined.size(); ++i) EXPECT_EQ(joined[i], straight.losses[i]) << "step " << i + 1;
}

TEST(Trainer, SkipsNonFiniteBatches) {
  TempDir dir("nan");
  ToyTask task(2);
  TrainerOptions o = options(dir.path);
  o.epochs = 1;
  TrainSummary s = Trainer(task, o).run();
  EXPECT_EQ(s.skipped, 1);
  for (const Tensor& p : task.model().parameters()) {
    for (float v : p.to_vector()) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(Trainer, ResumeRejectsAForeignFile) {
  TempDir dir("foreign");
  ToyTask task;
  Trainer t(task, options(dir.path));
  EXPECT_THROW(t.resume(dir.path / "missing.safetensors"), IoError);
}

}  // namespace
}  // namespace recur::train
