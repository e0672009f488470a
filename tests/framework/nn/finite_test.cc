// Loading refuses NaN and infinite weights in f32, bf16 and f16 tensors, naming the file
// and the tensor, unless LoadOptions::allow_nonfinite (issue 18, item 1).
#include "recur/nn/finite.h"

#include <cctype>
#include <gtest/gtest.h>

#include <cstring>

#include "recur/nn/state_dict.h"
#include "temp_dir.h"

namespace recur::nn {
namespace {

using recur::testing::TempDir;

class Two : public Module {
 public:
  Two() {
    w_hh = register_parameter("w_hh", Tensor::zeros({4, 5}));
    bias = register_parameter("bias", Tensor::zeros({3}));
  }
  Tensor w_hh, bias;
};

// A 20-element tensor of `dtype` holding 0.5 everywhere but `bits` at index 17.
Tensor with_bits_at_17(DType dtype, std::uint32_t bits) {
  Tensor t = Tensor::zeros({4, 5}, dtype);
  for (std::int64_t i = 0; i < 20; ++i) {
    if (dtype == DType::f32) {
      t.data<float>()[i] = 0.5f;
    } else {
      static_cast<std::uint16_t*>(t.raw_data())[i] = dtype == DType::bf16 ? 0x3f00 : 0x3800;
    }
  }
  if (dtype == DType::f32) {
    std::memcpy(t.data<float>() + 17, &bits, 4);
  } else {
    static_cast<std::uint16_t*>(t.raw_data())[17] = static_cast<std::uint16_t>(bits);
  }
  return t;
}

std::string load_error(Module& m, const std::filesystem::path& p, const LoadOptions& o = {}) {
  try {
    load_state_dict(m, p, o);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no IoError)";
}

struct Case {
  DType dtype;
  std::uint32_t bits;
  const char* kind;
};

class NonFiniteWeights : public ::testing::TestWithParam<Case> {};

TEST_P(NonFiniteWeights, AreRefusedNamingFileTensorAndIndexUnlessAllowed) {
  const Case c = GetParam();
  TempDir dir;
  const auto file = dir / "model.safetensors";
  safetensors::save(file, {{"w_hh", with_bits_at_17(c.dtype, c.bits)},
                           {"bias", Tensor::from({3}, {1.0f, 2.0f, 3.0f})}});
  Two m;
  EXPECT_EQ(load_error(m, file),
            file.string() + ": w_hh: 1 non-finite value (" + c.kind + " at index 17)");
  EXPECT_EQ(m.bias.to_vector(), (std::vector<float>{0, 0, 0}));  // nothing was modified

  load_state_dict(m, file, {.allow_nonfinite = true});
  EXPECT_EQ(m.bias.to_vector(), (std::vector<float>{1, 2, 3}));
  EXPECT_FALSE(std::isfinite(m.w_hh.data<float>()[17]));
  EXPECT_EQ(m.w_hh.data<float>()[16], 0.5f);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, NonFiniteWeights,
                         ::testing::Values(Case{DType::bf16, 0x7fc0, "NaN"},  // the probe's value
                                           Case{DType::bf16, 0xff80, "-Inf"},
                                           Case{DType::f16, 0x7c00, "+Inf"},
                                           Case{DType::f16, 0x7e00, "NaN"},
                                           Case{DType::f32, 0x7fc00000, "NaN"},
                                           Case{DType::f32, 0xff800000, "-Inf"}),
                         // Stable names: the default prints the struct's bytes, padding
                         // and pointer included, which differ from one process to the next.
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string kind = info.param.kind;
                           for (char& ch : kind) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return std::to_string(info.index) + "_" + kind;
                         });

TEST(FindNonFinite, CountsAllAndReportsTheFirst) {
  Tensor t = Tensor::from({5}, {1.0f, INFINITY, 2.0f, NAN, -INFINITY});
  auto bad = find_nonfinite(t);
  ASSERT_TRUE(bad);
  EXPECT_EQ(describe(*bad), "3 non-finite values (+Inf at index 1, the first)");
  EXPECT_FALSE(find_nonfinite(Tensor::from({2}, {1.0f, 65504.0f})));
  // bf16/f16 largest finite values and subnormals are finite.
  Tensor h = Tensor::zeros({3}, DType::bf16);
  auto* p = static_cast<std::uint16_t*>(h.raw_data());
  p[0] = 0x7f7f;
  p[1] = 0x0001;
  p[2] = 0xff7f;
  EXPECT_FALSE(find_nonfinite(h));
  Tensor i = Tensor::zeros({3}, DType::i32);
  i.data<std::int32_t>()[0] = 0x7fc00000;
  EXPECT_FALSE(find_nonfinite(i));  // integers are never "non-finite"
}

}  // namespace
}  // namespace recur::nn
