// Checkpoint averaging: the mean of model files and training checkpoints of one model,
// in the model file's names and order; defects name the file and the tensor.
#include "recur/nn/average.h"

#include <gtest/gtest.h>

#include "recur/nn/state_dict.h"
#include "temp_dir.h"

namespace recur::nn {
namespace {

using recur::testing::TempDir;
using Named = std::vector<std::pair<std::string, Tensor>>;

// A model of two float tensors and one integer buffer, `w` filled with `base + i`.
Named weights(float base, std::int64_t scaler = 7) {
  std::vector<float> w(6), b(2, base * 10);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = base + static_cast<float>(i);
  return {{"w", Tensor::from({2, 3}, w)}, {"b", Tensor::from({2}, b)},
          {"scaler", Tensor::from<std::int64_t>({1}, std::vector<std::int64_t>{scaler})}};
}

// The same tensors as a training checkpoint writes them: under "model.", beside the
// optimizer's moments, with recur_checkpoint in the metadata.
void save_checkpoint(const Named& model, const std::filesystem::path& path) {
  Named all;
  for (const auto& [name, t] : model) all.emplace_back("model." + name, t);
  all.emplace_back("optim.w.m", Tensor::zeros({2, 3}));
  safetensors::save(path, all, {{"recur_checkpoint", "1"}});
}

TEST(AverageWeights, IsTheElementwiseMeanOfModelFilesAndCheckpoints) {
  TempDir dir;
  safetensors::save(dir / "a.safetensors", weights(1));
  SaveOptions half;
  half.float_dtype = DType::bf16;
  save_tensors(weights(2), dir / "b.safetensors", half);  // bf16: 2..7 and 20 are exact
  save_checkpoint(weights(6), dir / "c.safetensors");
  const auto like = safetensors::File::open(dir / "a.safetensors");
  EXPECT_EQ(model_tensor_prefix(safetensors::File::open(dir / "c.safetensors")), "model.");
  EXPECT_EQ(model_tensor_prefix(like), "");

  Named mean = average_weights(like, {dir / "a.safetensors", dir / "b.safetensors", dir / "c.safetensors"});
  ASSERT_EQ(mean.size(), 3u);
  std::map<std::string, Tensor> by_name(mean.begin(), mean.end());
  const float* w = by_name.at("w").data<float>();
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(w[i], 3.0f + static_cast<float>(i)) << i;  // (1+2+6)/3 + i
  EXPECT_FLOAT_EQ(by_name.at("b").data<float>()[1], 30.0f);
  EXPECT_EQ(by_name.at("scaler").dtype(), DType::i64);
  EXPECT_EQ(by_name.at("scaler").data<std::int64_t>()[0], 7);
  EXPECT_EQ(by_name.at("w").dtype(), DType::f32);
}

TEST(AverageWeights, OneFileIsItself) {
  TempDir dir;
  safetensors::save(dir / "a.safetensors", weights(1.25f));
  const auto like = safetensors::File::open(dir / "a.safetensors");
  Named mean = average_weights(like, {dir / "a.safetensors"});
  std::map<std::string, Tensor> by_name(mean.begin(), mean.end());
  for (int i = 0; i < 6; ++i) EXPECT_EQ(by_name.at("w").data<float>()[i], 1.25f + static_cast<float>(i));
}

std::string error_of(const safetensors::File& like, const std::vector<std::filesystem::path>& files) {
  try {
    average_weights(like, files);
  } catch (const IoError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AverageWeights, RefusesFilesOfAnotherModel) {
  TempDir dir;
  safetensors::save(dir / "a.safetensors", weights(1));
  const auto like = safetensors::File::open(dir / "a.safetensors");

  Named missing = weights(1);
  missing.erase(missing.begin());
  safetensors::save(dir / "missing.safetensors", missing);
  EXPECT_EQ(error_of(like, {dir / "a.safetensors", dir / "missing.safetensors"}),
            (dir / "missing.safetensors").string() + ": no tensor 'w' (the model has 'w')");

  Named wide = weights(1);
  wide[0].second = Tensor::zeros({3, 3});
  save_checkpoint(wide, dir / "wide.safetensors");
  EXPECT_EQ(error_of(like, {dir / "wide.safetensors"}),
            (dir / "wide.safetensors").string() + ": tensor 'model.w' has shape [3, 3], the model has [2, 3]");

  safetensors::save(dir / "scaler.safetensors", weights(1, 8));
  EXPECT_NE(error_of(like, {dir / "a.safetensors", dir / "scaler.safetensors"}).find("tensor 'scaler' differs"),
            std::string::npos);

  Named nan = weights(1);
  nan[1].second.data<float>()[1] = NAN;
  safetensors::save(dir / "nan.safetensors", nan);
  EXPECT_EQ(error_of(like, {dir / "nan.safetensors"}),
            (dir / "nan.safetensors").string() + ": b: 1 non-finite value (NaN at index 1)");
}

}  // namespace
}  // namespace recur::nn
