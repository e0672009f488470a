// channels_last (tensors stored [N, H, W, C]) for conv2d, max / avg pooling and batch
// norm: the same values as the NCHW ops, permuted, forward and every gradient.
#include <gtest/gtest.h>

#include <random>

#include "cnn_test_util.h"
#include "framework/ops/gradcheck.h"
#include "recur/ops/batch_norm.h"
#include "recur/ops/conv.h"
#include "recur/ops/pool.h"
#include "recur/ops/shape.h"

namespace recur {
namespace {

using testing::expect_close;
using testing::random_tensor;
using testing::weighted_sum;

Tensor to_nhwc(const Tensor& x) { return ops::permute(x.detach(), {0, 2, 3, 1}); }

constexpr float kTol = 1e-5f;

// Runs `op` on NCHW x and on its NHWC copy (op(x, channels_last)), with the same
// output gradient; the outputs and x's gradients agree after the permutation, and so do
// the gradients of `params` (the extra inputs, e.g. a weight).
template <class Op>
void expect_same(const char* what, const Shape& x_shape, std::vector<Tensor> params, Op&& op, std::mt19937& rng) {
  Tensor x = random_tensor(x_shape, rng);
  Tensor xc = to_nhwc(x);
  std::vector<Tensor> pc;
  for (Tensor& p : params) {
    pc.push_back(p.clone());
    p.set_requires_grad(true);
    pc.back().set_requires_grad(true);
  }
  x.set_requires_grad(true);
  xc.set_requires_grad(true);
  Tensor y = op(x, params, false);
  Tensor yc = op(xc, pc, true);
  expect_close(yc, to_nhwc(y), kTol, kTol, std::string(what) + " forward");
  Tensor gy = random_tensor(y.shape(), rng);
  weighted_sum(y, gy).backward();
  weighted_sum(yc, to_nhwc(gy)).backward();
  expect_close(xc.grad(), to_nhwc(x.grad()), kTol, kTol, std::string(what) + " grad x");
  for (std::size_t i = 0; i < params.size(); ++i) {
    expect_close(pc[i].grad(), params[i].grad(), kTol, kTol, std::string(what) + " grad param " + std::to_string(i));
  }
}

TEST(ChannelsLast, Conv2dMatchesNchw) {
  std::mt19937 rng(1);
  for (const auto& [stride, padding] : {std::pair{1, 1}, {2, 0}, {2, 1}}) {
    auto conv = [&](const Tensor& x, const std::vector<Tensor>& p, bool cl) {
      ops::Conv2dOptions o{.stride = {stride, stride}, .padding = {padding, padding}};
      o.channels_last = cl;
      return ops::conv2d(x, p[0], p[1], o);
    };
    expect_same("conv2d", {2, 5, 7, 6}, {random_tensor({4, 5, 3, 3}, rng), random_tensor({4}, rng)}, conv, rng);
  }
  // Inference (no tape) takes the cached weight layout: the same values.
  Tensor x = random_tensor({3, 4, 9, 9}, rng), w = random_tensor({8, 4, 3, 3}, rng);
  ops::Conv2dOptions o{.padding = {1, 1}};
  Tensor y = ops::conv2d(x, w, {}, o);
  o.channels_last = true;
  autograd::NoGradGuard no_grad;
  expect_close(ops::conv2d(to_nhwc(x), w, {}, o), to_nhwc(y), kTol, kTol, "conv2d inference");
}

TEST(ChannelsLast, PoolingMatchesNchw) {
  std::mt19937 rng(2);
  for (bool max : {true, false}) {
    auto pool = [&](const Tensor& x, const std::vector<Tensor>&, bool cl) {
      ops::Pool2dOptions o{.kernel = {2, 2}};
      o.channels_last = cl;
      return max ? ops::max_pool2d(x, o) : ops::avg_pool2d(x, o);
    };
    expect_same(max ? "max_pool2d" : "avg_pool2d", {2, 3, 6, 8}, {}, pool, rng);
  }
}

TEST(ChannelsLast, BatchNormMatchesNchwInTrainingAndEvaluation) {
  std::mt19937 rng(3);
  for (bool training : {true, false}) {
    Tensor mean = random_tensor({5}, rng), var = random_tensor({5}, rng);
    for (std::int64_t c = 0; c < 5; ++c) var.data<float>()[c] = 0.5f + var.data<float>()[c] * var.data<float>()[c];
    auto bn = [&](const Tensor& x, const std::vector<Tensor>& p, bool cl) {
      ops::BatchNormOptions o;
      o.training = training;
      o.channels_last = cl;
      // Each layout updates its own copy of the running statistics.
      return ops::batch_norm(x, p[0], p[1], mean.clone(), var.clone(), o);
    };
    expect_same(training ? "batch_norm training" : "batch_norm evaluation", {3, 5, 4, 6},
                {random_tensor({5}, rng), random_tensor({5}, rng)}, bn, rng);
  }
}

TEST(ChannelsLast, ShapesAreCheckedInTheirLayout) {
  std::mt19937 rng(4);
  ops::Conv2dOptions o;
  o.channels_last = true;
  // [N, H, W, C] = [1, 5, 5, 3] against a weight expecting 4 input channels.
  testing::expect_shape_error([&] { ops::conv2d(random_tensor({1, 5, 5, 3}, rng), random_tensor({2, 4, 3, 3}, rng), {}, o); },
                              "has 3 channels");
  EXPECT_EQ(ops::conv2d(random_tensor({1, 5, 5, 4}, rng), random_tensor({2, 4, 3, 3}, rng), {}, o).shape(),
            (Shape{1, 3, 3, 2}));
}

}  // namespace
}  // namespace recur
