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
}

}  // namespace
}  // namespace recur::testing
