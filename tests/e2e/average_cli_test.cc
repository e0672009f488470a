// Checkpoint averaging end to end: `recur train` with keep_checkpoints keeps the last N
// validations' weights, `recur average` writes a model folder of their mean that
// `recur translate` runs, and `recur train --init` starts from a model folder.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/run_recur.h"
#include "tiny_run.h"
#include "recur/nn/safetensors.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

// The tiny run keeping the last 3 validations' weights: 16 steps, a validation every 4,
// so step-*.safetensors of steps 8, 12 and 16 remain.
fs::path make_run_dir(const fs::path& root, const std::string& name) {
  return make_tiny_run(root, name, "  keep_checkpoints: 3\n");
}

// The first logged training loss (step 3) of a run's train_log.csv.
double first_loss(const fs::path& csv) {
  std::ifstream in(csv);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  std::istringstream fields(row);
  std::string step, epoch, loss;
  std::getline(fields, step, ',');
  std::getline(fields, epoch, ',');
  std::getline(fields, loss, ',');
  return std::stod(loss);
}

TEST(AverageCli, AveragesTheKeptCheckpointsIntoAModelFolderThatTranslates) {
  TempDir root;
  const fs::path dir = make_run_dir(root.path(), "run");
  RunResult t = run_recur({"train", (dir / "tiny.yaml").string(), "-o", (dir / "model").string()});
  ASSERT_EQ(t.code, 0) << t.err;
  const fs::path ckpt = dir / "ckpt";
  std::vector<std::string> kept;
  for (const char* step : {"00000008", "00000012", "00000016"}) {
    kept.push_back((ckpt / (std::string("step-") + step + ".safetensors")).string());
    EXPECT_TRUE(fs::exists(kept.back())) << kept.back();
  }
  EXPECT_FALSE(fs::exists(ckpt / "step-00000004.safetensors"));

  std::vector<std::string> args{"average", "-m", (dir / "model").string(), "-o", (dir / "avg").string(),
                                "--dtype", "f32"};
  args.insert(args.end(), kept.begin(), kept.end());
  RunResult a = run_recur(args);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_TRUE(fs::exists(dir / "avg" / "pipeline.yaml"));

  // Every value is the mean of the three files' values.
  auto mean = safetensors::File::open(dir / "avg" / "model.safetensors");
  std::vector<safetensors::File> inputs;
  for (const auto& k : kept) inputs.push_back(safetensors::File::open(k));
  int tensors = 0;
  for (const auto& info : mean.tensors()) {
    if (info.dtype != DType::f32) continue;
    const Tensor m = mean.get_f32(info.name);
    const Tensor x = inputs[0].get_f32(info.name), y = inputs[1].get_f32(info.name), z = inputs[2].get_f32(info.name);
    for (std::int64_t i = 0; i < m.numel(); ++i) {
      const double want = (static_cast<double>(x.data<float>()[i]) + y.data<float>()[i] + z.data<float>()[i]) / 3;
      ASSERT_NEAR(m.data<float>()[i], want, 1e-6 * (1 + std::abs(want))) << info.name << "[" << i << "]";
    }
    ++tensors;
  }
  EXPECT_GT(tensors, 10);

  RunResult tr = run_recur({"translate", "-m", (dir / "avg").string(), "-i", (dir / "valid.en").string(), "-o",
                            (dir / "out.fr").string()});
  ASSERT_EQ(tr.code, 0) << tr.err;
  std::ifstream out(dir / "out.fr");
  int lines = 0;
  for (std::string line; std::getline(out, line);) ++lines;
  EXPECT_EQ(lines, 20);

  // In place: only the weights change; the folder's dtype (f32 here) is kept.
  RunResult again = run_recur({"average", "-m", (dir / "model").string(), "-o", (dir / "model").string(), kept[0], kept[1]});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(safetensors::File::open(dir / "model" / "model.safetensors").metadata().at("recur_averaged"), "2");
}

TEST(AverageCli, BadArgumentsAreNamed) {
  TempDir root;
  const fs::path dir = make_run_dir(root.path(), "run");
  ASSERT_EQ(run_recur({"train", (dir / "tiny.yaml").string(), "-o", (dir / "model").string()}).code, 0);
  const std::string model = (dir / "model").string();
  const std::string step = (dir / "ckpt" / "step-00000016.safetensors").string();

  RunResult dtype = run_recur({"average", "-m", model, "-o", (dir / "x").string(), "--dtype", "f8", step});
  EXPECT_EQ(dtype.code, 2);
  EXPECT_NE(dtype.err.find("--dtype"), std::string::npos) << dtype.err;

  RunResult missing = run_recur({"average", "-m", model, "-o", (dir / "x").string(), (dir / "nope.safetensors").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("nope.safetensors"), std::string::npos) << missing.err;

  RunResult both = run_recur({"train", (dir / "tiny.yaml").string(), "--resume", "--init", model});
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.err.find("--init"), std::string::npos) << both.err;
}

// --init starts from the trained weights: the first logged loss is the trained model's,
// far below a fresh start's.
TEST(AverageCli, TrainInitStartsFromAModelFolder) {
  TempDir root;
  const fs::path first = make_run_dir(root.path(), "first");
  ASSERT_EQ(run_recur({"train", (first / "tiny.yaml").string(), "-o", (first / "model").string()}).code, 0);
  const fs::path second = make_run_dir(root.path(), "second");
  RunResult t = run_recur({"train", (second / "tiny.yaml").string(), "-o", (second / "model").string(), "--init",
                           (first / "model").string()});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.err.find("initialised from"), std::string::npos) << t.err;
  EXPECT_LT(first_loss(second / "ckpt" / "train_log.csv"), first_loss(first / "ckpt" / "train_log.csv") - 0.3);
}

}  // namespace
}  // namespace recur::testing
