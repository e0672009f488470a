// conv2d -> batch_norm -> max_pool2d -> avg_pool2d -> global_avg_pool2d against PyTorch
// (fixture made by scripts/fixtures/make_cnn_fixtures.py): outputs, running statistics
// and gradients, in training and evaluation.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cnn_test_util.h"
#include "recur/ops/batch_norm.h"
#include "recur/ops/conv.h"
#include "recur/ops/pool.h"

namespace recur {
namespace {

using testing::expect_close;
using testing::weighted_sum;

// Reads the F32 tensors of a safetensors file (test-only; enough for our fixtures).
std::map<std::string, Tensor> read_fixture(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open fixture " + path);
  std::uint64_t header_size = 0;
  in.read(reinterpret_cast<char*>(&header_size), sizeof header_size);
  std::string header(header_size, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_size));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::string, Tensor> tensors;
  nlohmann::json json = nlohmann::json::parse(header);
  for (auto it = json.begin(); it != json.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& info = it.value();
    if (name == "__metadata__") continue;
    if (info.at("dtype") != "F32") throw IoError(path + ": " + name + " is not F32");
    Shape shape = info.at("shape").get<Shape>();
    auto begin = info.at("data_offsets")[0].get<std::size_t>();
    auto end = info.at("data_offsets")[1].get<std::size_t>();
    Tensor t = Tensor::zeros(shape);
    if (end > data.size() || end - begin != t.nbytes()) throw IoError(path + ": bad " + name);
    std::memcpy(t.raw_data(), data.data() + begin, t.nbytes());
    tensors.emplace(name, t);
  }
  return tensors;
}

// Same settings as CONV, BN, MAX_POOL and AVG_POOL in the script.
Tensor chain(const std::vector<Tensor>& p, const Tensor& rm, const Tensor& rv, bool training) {
  Tensor y = ops::conv2d(p[0], p[1], p[2], {.stride = {1, 2}, .padding = {1, 1}});
  y = ops::batch_norm(y, p[3], p[4], rm, rv,
                      {.training = training, .momentum = 0.1f, .eps = 1e-5f});
  y = ops::max_pool2d(y, {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}});
  y = ops::avg_pool2d(y, {.kernel = {2, 2}, .stride = {1, 1}, .padding = {1, 1}});
  return ops::global_avg_pool2d(y);
}

class CnnFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    f_ = read_fixture(std::string(RECUR_TEST_DATA_DIR) + "/fixtures/cnn/conv_bn_pool.safetensors");
  }
  // Fresh leaves that require gradients, in the script's order.
  std::vector<Tensor> params() const {
    std::vector<Tensor> p;
    for (const char* name : kParams) p.push_back(f_.at(name).clone().set_requires_grad(true));
    return p;
  }
  void expect_grads(const std::vector<Tensor>& p, const std::string& prefix) const {
    for (std::size_t i = 0; i < p.size(); ++i) {
      expect_close(p[i].grad(), f_.at(prefix + kParams[i]), kAtol, kRtol, prefix + kParams[i]);
    }
  }

  static constexpr const char* kParams[] = {"x", "conv.weight", "conv.bias", "bn.weight",
                                            "bn.bias"};
  // f32 on both sides, different summation orders (measured: 2.4e-7).
  static constexpr float kAtol = 1e-5f, kRtol = 1e-5f;
  std::map<std::string, Tensor> f_;
};

TEST_F(CnnFixture, TrainingMatchesTorch) {
  Tensor rm = f_.at("bn.running_mean").clone(), rv = f_.at("bn.running_var").clone();
  std::vector<Tensor> p = params();
  Tensor y = chain(p, rm, rv, true);
  expect_close(y, f_.at("train.out"), kAtol, kRtol, "train.out");
  expect_close(rm, f_.at("train.running_mean"), kAtol, kRtol, "running mean");
  expect_close(rv, f_.at("train.running_var"), kAtol, kRtol, "running var");
  weighted_sum(y, f_.at("r")).backward();
  expect_grads(p, "train.grad.");
}

TEST_F(CnnFixture, EvaluationMatchesTorch) {
  Tensor rm = f_.at("train.running_mean").clone(), rv = f_.at("train.running_var").clone();
  std::vector<Tensor> p = params();
  Tensor y = chain(p, rm, rv, false);
  expect_close(y, f_.at("eval.out"), kAtol, kRtol, "eval.out");
  weighted_sum(y, f_.at("r")).backward();
  expect_grads(p, "eval.grad.");
}

}  // namespace
}  // namespace recur
