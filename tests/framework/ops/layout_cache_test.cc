// Inference keeps weights reordered to oneDNN's preferred layout with the weight's
// storage (private header layout_cache.h): one reorder per weight version, reused by
// later calls, and never stale after an in-place update of the weight.
#include "layout_cache.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>
#include <vector>

#include "framework/nn/temp_dir.h"
#include "framework/ops/gradcheck.h"
#include "recur/nn/init.h"
#include "recur/nn/rnn.h"
#include "recur/nn/state_dict.h"
#include "recur/ops/linear.h"
#include "recur/ops/precision.h"
#include "recur/ops/rnn.h"
#include "recur/ops/tape.h"
#include "recur/train/optimizer.h"

namespace recur::ops::detail {
namespace {

// Hidden 256: at this size oneDNN 2.6 wants its own layout for both cells on x86 (LSTM:
// blocked for brgemm; GRU: gate rows padded from 768 to 784 floats), so the cache is
// exercised. At hidden 32 the GRU's preferred layout is recur's own.
constexpr std::int64_t kBatch = 5, kSteps = 3, kInput = 24, kHidden = 256;

Tensor random(const Shape& shape, std::mt19937& rng) { return testing::random_tensor(shape, rng, -0.5f, 0.5f); }

// One bidirectional layer: two parameter sets.
std::vector<RnnParams> random_params(RnnCell cell, std::mt19937& rng) {
  const std::int64_t gh = rnn_gates(cell) * kHidden;
  std::vector<RnnParams> params;
  for (int d = 0; d < 2; ++d) {
    params.push_back({random({kInput, gh}, rng), random({kHidden, gh}, rng),
                      random({rnn_bias_gates(cell) * kHidden}, rng)});
  }
  return params;
}

// The same values in storages of their own (nothing cached for them yet).
std::vector<RnnParams> fresh_copy(const std::vector<RnnParams>& params) {
  std::vector<RnnParams> out;
  for (const RnnParams& p : params) out.push_back({p.w_ih.clone(), p.w_hh.clone(), p.bias.clone()});
  return out;
}

// Output and final states of an inference run, flattened.
std::vector<float> infer(RnnCell cell, const Tensor& input, const std::vector<RnnParams>& params) {
  autograd::NoGradGuard no_grad;
  RnnResult r = rnn(cell, input, {3, 1, 2, 3, 2}, params, true, Tensor(), Tensor());
  std::vector<float> out = r.output.to_vector();
  for (float v : r.h_n.to_vector()) out.push_back(v);
  return out;
}

class RnnWeightCache : public ::testing::TestWithParam<RnnCell> {
 protected:
  std::mt19937 rng{7};
  Tensor input = random({kBatch, kSteps, kInput}, rng);
  std::vector<RnnParams> params = random_params(GetParam(), rng);
};

TEST_P(RnnWeightCache, ReordersOncePerWeightAndReusesTheCopies) {
  const std::uint64_t before = cached_layout_reorders();
  std::vector<float> first = infer(GetParam(), input, params);
  const std::uint64_t made = cached_layout_reorders() - before;
  // Each w_ih and w_hh is reordered once per layout the primitives ask for: one where
  // oneDNN's layout ignores the rows (AVX-512), else one per row count of the run's
  // segments (5, 4 and 2 rows: AVX2's packed f32 LSTM input weights). Both directions
  // alike.
  auto layouts = [&](const Tensor& w) { return w.impl_ptr()->storage->derived().size(); };
  const std::size_t ih = layouts(params[0].w_ih), hh = layouts(params[0].w_hh);
  for (std::size_t n : {ih, hh}) {
    EXPECT_GE(n, 1u);
    EXPECT_LE(n, 3u);
  }
  EXPECT_EQ(made, 2 * (ih + hh));
  for (int call = 0; call < 3; ++call) EXPECT_EQ(infer(GetParam(), input, params), first);
  EXPECT_EQ(cached_layout_reorders() - before, made);
  EXPECT_EQ(layouts(params[0].w_ih), ih);
}

// oneDNN 2.6's bf16 GRU takes packed weights whose layout depends on the batch rows: each
// row count keeps its own copy, so batches of alternating sizes reorder nothing after the
// first of each (they used to overwrite one entry and reorder on every change of size).
TEST(RnnWeightCache, Bf16PackedWeightsKeepACopyPerRowCount) {
  if (!cpu_has_bf16()) GTEST_SKIP() << "no AVX512-BF16 or AMX here (" << cpu_isa_name() << ")";
  ASSERT_EQ(set_inference_precision(Precision::bf16), Precision::bf16);
  std::mt19937 rng(11);
  const std::vector<RnnParams> params = random_params(RnnCell::gru, rng);
  autograd::NoGradGuard no_grad;
  auto run = [&](std::int64_t rows) {
    rnn(RnnCell::gru, random({rows, kSteps, kInput}, rng), {}, params, true, Tensor(), Tensor());
  };
  run(5);
  run(2);
  const std::uint64_t made = cached_layout_reorders();
  for (int call = 0; call < 3; ++call) run(5), run(2);
  EXPECT_EQ(cached_layout_reorders(), made);
  set_inference_precision(Precision::f32);
}

TEST_P(RnnWeightCache, SeesWritesThroughData) {
  std::vector<float> before = infer(GetParam(), input, params);
  params[0].w_hh.data<float>()[3] += 0.25f;
  params[1].w_ih.narrow0(2, 1).data<float>()[1] -= 0.5f;  // through a view
  std::vector<float> after = infer(GetParam(), input, params);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, infer(GetParam(), input, fresh_copy(params)));
}

TEST_P(RnnWeightCache, SeesAnOptimizerStep) {
  std::vector<std::pair<std::string, Tensor>> named;
  for (std::size_t i = 0; i < params.size(); ++i) {
    for (Tensor* t : {&params[i].w_ih, &params[i].w_hh, &params[i].bias}) {
      t->set_requires_grad(true);
      t->set_grad(Tensor::full(t->shape(), 0.1f));
      std::string name = "p";  // (not "p" + ...: GCC 12 warns falsely on that)
      name += std::to_string(named.size());
      named.emplace_back(name, *t);
    }
  }
  std::vector<float> before = infer(GetParam(), input, params);
  train::make_sgd(named, {})->step(0.5f);
  std::vector<float> after = infer(GetParam(), input, params);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, infer(GetParam(), input, fresh_copy(params)));
}

TEST_P(RnnWeightCache, SeesLoadStateDict) {
  nn::RnnOptions o;
  o.cell = GetParam();
  o.input_size = kInput;
  o.hidden_size = kHidden;
  o.layers = 2;
  nn::Rnn model(o), other(o);
  nn::init::Generator gen(1);
  for (nn::Rnn* m : {&model, &other}) {
    for (Tensor& p : m->parameters()) nn::init::uniform(p, -0.5f, 0.5f, gen);
  }
  model.eval();
  other.eval();
  auto run = [&](nn::Rnn& m) {
    autograd::NoGradGuard no_grad;
    return m.forward(m.weights(), input, {}, {}, {}).output.to_vector();
  };
  std::vector<float> before = run(model);
  EXPECT_EQ(run(model), before);
  testing::TempDir dir;
  nn::save_state_dict(other, dir / "other.safetensors");
  nn::load_state_dict(model, dir / "other.safetensors");
  std::vector<float> after = run(model);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, run(other));
}

TEST_P(RnnWeightCache, TrainingKeepsNoCopies) {
  for (RnnParams& p : params) p.w_hh.set_requires_grad(true);
  const std::uint64_t before = cached_layout_reorders();
  RnnResult r = rnn(GetParam(), input, {}, params, true, Tensor(), Tensor());
  ASSERT_TRUE(r.output.requires_grad());
  EXPECT_EQ(cached_layout_reorders(), before);
  EXPECT_EQ(params[0].w_hh.impl_ptr()->storage->derived().size(), 0u);
}

TEST_P(RnnWeightCache, ThreadsShareTheWeights) {
  const std::vector<float> expected = infer(GetParam(), input, fresh_copy(params));
  std::vector<int> matches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < matches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int call = 0; call < 10; ++call) matches[t] += infer(GetParam(), input, params) == expected;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int m : matches) EXPECT_EQ(m, 10);
}

INSTANTIATE_TEST_SUITE_P(Cells, RnnWeightCache, ::testing::Values(RnnCell::lstm, RnnCell::gru),
                         [](const auto& info) { return info.param == RnnCell::lstm ? "lstm" : "gru"; });

// y = x W^T + b in double, the reference for linear.
std::vector<float> naive_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  const std::int64_t rows = x.dim(0), in = x.dim(1), out = w.dim(0);
  std::vector<float> y(static_cast<std::size_t>(rows * out));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t o = 0; o < out; ++o) {
      double acc = b.item(o);
      for (std::int64_t k = 0; k < in; ++k) acc += double(x.item(r * in + k)) * w.item(o * in + k);
      y[static_cast<std::size_t>(r * out + o)] = static_cast<float>(acc);
    }
  }
  return y;
}

void expect_near(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-4f) << i;
}

TEST(LinearWeightCache, InferenceReusesTheCopyAndSeesWrites) {
  std::mt19937 rng(3);
  Tensor x = random({6, 64}, rng), w = random({128, 64}, rng), b = random({128}, rng);
  autograd::NoGradGuard no_grad;
  const std::uint64_t before = cached_layout_reorders();
  expect_near(linear(x, w, b).to_vector(), naive_linear(x, w, b));
  const std::uint64_t made = cached_layout_reorders() - before;
  EXPECT_LE(made, 1u);
  expect_near(linear(x, w, b).to_vector(), naive_linear(x, w, b));
  EXPECT_EQ(cached_layout_reorders() - before, made);

  w.data<float>()[5] = 3.0f;
  expect_near(linear(x, w, b).to_vector(), naive_linear(x, w, b));
  EXPECT_EQ(cached_layout_reorders() - before, 2 * made);
}

}  // namespace
}  // namespace recur::ops::detail
