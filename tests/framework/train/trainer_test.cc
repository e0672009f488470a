#include "recur/train/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include <gmock/gmock.h>
#include <unistd.h>

#include "recur/core/atomic_file.h"
#include "recur/nn/safetensors.h"

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

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// train_log.csv without its tokens_per_s column (a timing, never reproducible).
std::string train_log_without_speed(const fs::path& file) {
  std::istringstream in(read(file));
  std::string out, line;
  while (std::getline(in, line)) out += line.substr(0, line.rfind(',')) + "\n";
  return out;
}

void append(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::app | std::ios::binary) << text;
}

// What a kill -9 after step 10's checkpoint leaves: rows of later steps (a torn one
// too) that the resumed run writes again. Before, they were kept: rows twice.
TEST(Trainer, ResumeRewritesTheLogsUpToTheCheckpointsStep) {
  TempDir a("logs_a"), b("logs_b");
  ToyTask straight;
  Trainer(straight, options(a.path)).run();

  ToyTask first;
  TrainerOptions o = options(b.path);
  o.max_steps = 10;
  Trainer(first, o).run();
  append(b.path / "train_log.csv", "12,2,0.5,1.6,0.05,0.3,1000\n15,2,0.4");
  append(b.path / "valid_log.csv", "15,loss=0.4\n");
  ToyTask second;
  Trainer resumed(second, options(b.path));
  resumed.resume(b.path / "last.safetensors");
  resumed.run();

  // Rows whose window straddles the checkpoint (step 12: steps 10-12, log_every 3) come
  // out the same too: the checkpoint carries the window.
  EXPECT_EQ(train_log_without_speed(b.path / "train_log.csv"),
            train_log_without_speed(a.path / "train_log.csv"));
  EXPECT_EQ(read(b.path / "valid_log.csv"), read(a.path / "valid_log.csv"));
  EXPECT_EQ(read(b.path / "last.safetensors"), read(a.path / "last.safetensors"));
  EXPECT_EQ(read(b.path / "best.safetensors"), read(a.path / "best.safetensors"));
}

// A run killed after its last checkpoint but before it exited is resumed at its end:
// nothing more to train or validate (it trained one step more, or validated twice).
TEST(Trainer, ResumingAFinishedRunChangesNothing) {
  for (std::int64_t max_steps : {10, 0}) {  // stopped by max_steps, or by the last epoch
    TempDir dir("finished");
    ToyTask first;
    TrainerOptions o = options(dir.path);
    o.max_steps = max_steps;
    o.epochs = 2;
    o.valid_every = 6;  // 16 steps: the last epoch ends between validations
    Trainer(first, o).run();
    const std::string train_log = train_log_without_speed(dir.path / "train_log.csv");
    const std::string valid_log = read(dir.path / "valid_log.csv");
    const std::string last = read(dir.path / "last.safetensors");
    ToyTask second;
    Trainer again(second, o);
    again.resume(dir.path / "last.safetensors");
    int best_calls = 0;
    again.run([&] { ++best_calls; });
    EXPECT_TRUE(second.losses.empty()) << "max_steps " << max_steps;
    EXPECT_EQ(best_calls, 0);
    EXPECT_EQ(train_log_without_speed(dir.path / "train_log.csv"), train_log);
    EXPECT_EQ(read(dir.path / "valid_log.csv"), valid_log);
    EXPECT_TRUE(read(dir.path / "last.safetensors") == last);
  }
}

// A fresh run starts fresh logs (a header and nothing else from an earlier run).
TEST(Trainer, AFreshRunStartsFreshLogs) {
  TempDir dir("fresh");
  ToyTask once, twice;
  Trainer(once, options(dir.path)).run();
  const std::string log = train_log_without_speed(dir.path / "train_log.csv");
  const std::string valid = read(dir.path / "valid_log.csv");
  Trainer(twice, options(dir.path)).run();
  EXPECT_EQ(train_log_without_speed(dir.path / "train_log.csv"), log);
  EXPECT_EQ(read(dir.path / "valid_log.csv"), valid);
}

// A kill while the model folder is being exported (on_best) must not lose the export:
// `last` is written after it, so the resumed run validates that step again.
TEST(Trainer, AnExportInterruptedIsRedoneOnResume) {
  TempDir a("export_a"), b("export_b");
  ToyTask straight;
  std::vector<std::int64_t> best_steps;
  Trainer t(straight, options(a.path));
  t.run([&] { best_steps.push_back(t.step()); });
  ASSERT_GE(best_steps.size(), 2u);

  ToyTask first;
  Trainer killed(first, options(b.path));
  std::vector<std::int64_t> steps;
  struct Killed {};
  EXPECT_THROW(killed.run([&] {
    if (killed.step() == best_steps[1]) throw Killed{};
    steps.push_back(killed.step());
  }),
               Killed);
  ToyTask second;
  Trainer resumed(second, options(b.path));
  resumed.resume(b.path / "last.safetensors");
  resumed.run([&] { steps.push_back(resumed.step()); });
  EXPECT_EQ(steps, best_steps);
  EXPECT_EQ(read(b.path / "valid_log.csv"), read(a.path / "valid_log.csv"));
  EXPECT_EQ(read(b.path / "best.safetensors"), read(a.path / "best.safetensors"));
}

TEST(Trainer, RemovesTemporariesOfDeadWritersFromTheCheckpointDir) {
  TempDir dir("debris");
  fs::create_directories(dir.path);
  // A pid above the kernel's limit (pid_max <= 2^22) is never running.
  const fs::path stale = dir.path / "last.safetensors.tmp.99999999.0";
  const fs::path ours = temporary_path(dir.path / "best.safetensors");
  const fs::path other = dir.path / "notes.tmp.txt";
  for (const fs::path& f : {stale, ours, other}) std::ofstream(f) << "x";
  ToyTask task;
  Trainer t(task, options(dir.path));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(ours));  // a live writer's (this process)
  EXPECT_TRUE(fs::exists(other));
}

TEST(Trainer, ResumeRefusesANonFiniteCheckpoint) {
  TempDir dir("nan_ckpt");
  ToyTask task;
  TrainerOptions o = options(dir.path);
  o.max_steps = 5;
  Trainer(task, o).run();
  auto file = safetensors::File::open(dir.path / "last.safetensors");
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (const auto& info : file.tensors()) tensors.emplace_back(info.name, file.get(info.name).clone());
  for (auto& [name, t] : tensors) {
    if (name == "model.weight") t.data<float>()[5] = NAN;
  }
  safetensors::save(dir.path / "nan.safetensors", tensors, file.metadata());
  ToyTask again;
  Trainer t(again, options(dir.path));
  try {
    t.resume(dir.path / "nan.safetensors");
    ADD_FAILURE() << "a NaN checkpoint was accepted";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), (dir.path / "nan.safetensors").string() +
                                         ": model.weight: 1 non-finite value (NaN at index 5)");
  }
}

// keep_checkpoints: each validation's weights as step-<step>.safetensors, the newest N
// kept; the last one holds the weights the run ended with.
TEST(Trainer, KeepsTheLastNValidationsWeights) {
  TempDir dir("keep"), none("keep_none");
  ToyTask task;
  TrainerOptions o = options(dir.path);
  o.keep_checkpoints = 3;
  Trainer(task, o).run();  // 32 steps, validations at 5, 10, ..., 30 and 32
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("step-", 0) == 0) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ::testing::ElementsAre("step-00000025.safetensors", "step-00000030.safetensors",
                                            "step-00000032.safetensors"));
  auto last = safetensors::File::open(dir.path / "step-00000032.safetensors");
  EXPECT_EQ(last.metadata().at("step"), "32");
  const Tensor w = last.get_f32("weight");
  ASSERT_EQ(w.numel(), 12);
  for (std::int64_t i = 0; i < 12; ++i) EXPECT_EQ(w.data<float>()[i], task.model().named_parameters()[0].second.data<float>()[i]);

  ToyTask plain;
  Trainer(plain, options(none.path)).run();
  for (const auto& e : fs::directory_iterator(none.path)) EXPECT_NE(e.path().filename().string().rfind("step-", 0), 0u);
}

}  // namespace
}  // namespace recur::train
