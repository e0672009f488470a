#include "recur/nn/state_dict.h"

#include <gtest/gtest.h>

#include <cstring>

#include "recur/nn/init.h"
#include "temp_dir.h"

namespace recur::nn {
namespace {

using recur::testing::TempDir;

class Linear : public Module {
 public:
  Linear(std::int64_t in, std::int64_t out)
      : weight(register_parameter("weight", Tensor::zeros({out, in}))),
        bias(register_parameter("bias", Tensor::zeros({out}))) {}
  Tensor weight, bias;
};

// A module with a submodule, an f32 buffer and an integer buffer.
class Net : public Module {
 public:
  explicit Net(std::uint64_t seed) : fc(3, 4) {
    register_module("fc", fc);
    gain = register_parameter("gain", Tensor::zeros({4}));
    running = register_buffer("running", Tensor::zeros({4}));
    steps = register_buffer("steps", Tensor::zeros({1}, DType::i64));
    init::Generator gen(seed);
    init::xavier_uniform(fc.weight, gen);
    init::uniform(fc.bias, -1, 1, gen);
    init::uniform(gain, 0.5f, 1.5f, gen);
    init::normal(running, 0, 1, gen);
    steps.data<std::int64_t>()[0] = static_cast<std::int64_t>(seed) * 1000 + 7;
  }
  Linear fc;
  Tensor gain, running, steps;
};

bool same_bytes(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

std::string load_error(Module& m, const std::filesystem::path& p) {
  try {
    load_state_dict(m, p);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no IoError)";
}

TEST(StateDict, NamesAreParametersThenBuffers) {
  Net net(1);
  std::vector<std::string> names;
  for (const auto& [name, t] : state_dict(net)) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"gain", "fc.weight", "fc.bias", "running", "steps"}));
}

TEST(StateDict, RoundTripIsBitExactAndKeepsHandles) {
  TempDir dir;
  Net a(1), b(2);
  ASSERT_FALSE(same_bytes(a.fc.weight, b.fc.weight));
  save_state_dict(a, dir / "net.safetensors", {.metadata = {{"epoch", "3"}}});
  Tensor held = b.fc.weight;  // a handle taken before loading must see the new values
  auto meta = load_state_dict(b, dir / "net.safetensors");
  EXPECT_EQ(meta.at("epoch"), "3");
  auto sa = state_dict(a), sb = state_dict(b);
  for (std::size_t i = 0; i < sa.size(); ++i) EXPECT_TRUE(same_bytes(sa[i].second, sb[i].second)) << sa[i].first;
  EXPECT_TRUE(held.same(b.fc.weight));
  EXPECT_TRUE(same_bytes(held, a.fc.weight));
  EXPECT_TRUE(b.fc.weight.requires_grad());
  // The file maps copy-on-write but loading copied: changing the module leaves it intact.
  b.fc.weight.data<float>()[0] += 1;
  Net c(3);
  load_state_dict(c, dir / "net.safetensors");
  EXPECT_TRUE(same_bytes(c.fc.weight, a.fc.weight));
}

class HalfStorage : public ::testing::TestWithParam<DType> {};

TEST_P(HalfStorage, ShrinksFloatsAndLoadsAsF32) {
  DType half = GetParam();
  TempDir dir;
  Net a(4), b(5);
  save_state_dict(a, dir / "f32.safetensors");
  save_state_dict(a, dir / "half.safetensors", {.float_dtype = half});
  auto file = safetensors::File::open(dir / "half.safetensors");
  EXPECT_EQ(file.info("fc.weight").dtype, half);
  EXPECT_EQ(file.info("running").dtype, half);
  EXPECT_EQ(file.info("steps").dtype, DType::i64);  // integers are never converted
  EXPECT_LT(std::filesystem::file_size(dir / "half.safetensors"), std::filesystem::file_size(dir / "f32.safetensors"));
  load_state_dict(b, file);
  EXPECT_EQ(b.fc.weight.dtype(), DType::f32);
  for (const auto& [name, t] : state_dict(a)) {
    if (t.dtype() != DType::f32) continue;
    Tensor loaded;
    for (const auto& [n, u] : state_dict(b)) {
      if (n == name) loaded = u;
    }
    for (std::int64_t i = 0; i < t.numel(); ++i) {
      float x = t.item(i);
      float rounded = half == DType::bf16 ? bf16_to_float(float_to_bf16(x)) : f16_to_float(float_to_f16(x));
      EXPECT_EQ(loaded.item(i), rounded) << name << "[" << i << "]";
    }
  }
  EXPECT_EQ(b.steps.data<std::int64_t>()[0], a.steps.data<std::int64_t>()[0]);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, HalfStorage, ::testing::Values(DType::bf16, DType::f16),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

TEST(StateDict, IntegerFloatDtypeIsRefused) {
  TempDir dir;
  Net a(1);
  EXPECT_THROW(save_state_dict(a, dir / "x.safetensors", {.float_dtype = DType::i32}), ConfigError);
}

TEST(StateDict, MissingAndUnexpectedTensorsAreNamed) {
  TempDir dir;
  Net a(1);
  auto entries = state_dict(a);
  entries.erase(entries.begin() + 2);  // fc.bias
  entries.emplace_back("extra.weight", Tensor::zeros({2}));
  auto p = dir / "partial.safetensors";
  safetensors::save(p, entries);
  Net b(2);
  Tensor before = b.fc.weight.clone();
  std::string msg = load_error(b, p);
  EXPECT_EQ(msg.rfind(p.string() + ": does not fit the module: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("missing tensors 'fc.bias' (the module has them, the file does not)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unexpected tensors 'extra.weight'"), std::string::npos) << msg;
  EXPECT_TRUE(same_bytes(b.fc.weight, before));  // nothing was loaded
}

TEST(StateDict, ShapeAndDtypeMismatchesAreNamed) {
  TempDir dir;
  Net a(1);
  auto entries = state_dict(a);
  entries[1].second = Tensor::zeros({3, 4});                  // fc.weight is [4, 3]
  entries[4].second = Tensor::zeros({1}, DType::i32);         // steps is i64
  auto p = dir / "bad.safetensors";
  safetensors::save(p, entries);
  Net b(2);
  Tensor before = b.gain.clone();
  std::string msg = load_error(b, p);
  EXPECT_NE(msg.find("tensor 'fc.weight' has shape [3, 4] in the file but [4, 3] in the module"), std::string::npos) << msg;
  EXPECT_NE(msg.find("tensor 'steps' is i32 in the file but i64 in the module"), std::string::npos) << msg;
  EXPECT_TRUE(same_bytes(b.gain, before));
}

TEST(StateDict, MissingFileIsIoError) {
  TempDir dir;
  Net a(1);
  EXPECT_NE(load_error(a, dir / "none.safetensors").find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace recur::nn
