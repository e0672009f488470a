// `recur translate` with one NaN in a model's weights: refused at load, naming the file
// and the tensor (issue 18, item 1: it gave empty lines, exit 0, "0 warnings").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "cli/run_recur.h"
#include "recur/nn/safetensors.h"
#include "tiny_model.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

using ::testing::HasSubstr;

// Writes NaN (in the tensor's own dtype) at index 3 of the first recurrent weight.
std::string poison(const fs::path& file) {
  auto in = safetensors::File::open(file);
  std::vector<std::pair<std::string, Tensor>> tensors;
  std::string victim;
  for (const auto& info : in.tensors()) {
    Tensor t = in.get(info.name).clone();
    if (victim.empty() && info.name.find("w_hh") != std::string::npos && t.numel() > 3) {
      victim = info.name;
      if (t.dtype() == DType::f32) {
        t.data<float>()[3] = NAN;
      } else {
        static_cast<std::uint16_t*>(t.raw_data())[3] = t.dtype() == DType::bf16 ? 0x7fc0 : 0x7e00;
      }
    }
    tensors.emplace_back(info.name, t);
  }
  safetensors::save(file, tensors, in.metadata());
  return victim;
}

TEST(NonFiniteWeights, TranslateRefusesTheModelNamingFileAndTensor) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  fs::copy(tiny_model_dir(), model, fs::copy_options::recursive);
  const std::string tensor = poison(model / "model.safetensors");
  ASSERT_FALSE(tensor.empty());
  std::ofstream(dir.path() / "in.en") << "the package\n";

  RunResult r = run_recur({"translate", "-m", model.string(), "-i", (dir.path() / "in.en").string(),
                           "-o", (dir.path() / "out.fr").string()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("model.safetensors: " + tensor +
                               ": 1 non-finite value (NaN at index 3)"));
  EXPECT_FALSE(fs::exists(dir.path() / "out.fr"));
}

// Allowed explicitly, the model runs, and every line whose score is not finite is named
// in a warning and counted: never a silent empty line with "0 warnings".
TEST(NonFiniteWeights, AllowedTheyAreWarnedAboutLineByLine) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  fs::copy(tiny_model_dir(), model, fs::copy_options::recursive);
  ASSERT_FALSE(poison(model / "model.safetensors").empty());
  std::ofstream(dir.path() / "in.en") << "the package\n\nthe library\n";
  RunResult r = run_recur({"translate", "-m", model.string(), "-i", (dir.path() / "in.en").string(),
                           "-o", (dir.path() / "out.fr").string(), "--allow-nonfinite"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("in.en:1: the model's score is not finite"));
  EXPECT_THAT(r.err, HasSubstr("in.en:3: the model's score is not finite"));
  EXPECT_THAT(r.err, HasSubstr("2 warnings (2 non-finite score)"));
}

}  // namespace
}  // namespace recur::testing
