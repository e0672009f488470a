// The folded convolution + batch norm (evaluation) equals the two run one after the
// other, in both layouts, and follows every change of the weights and statistics.
#include "recur/nn/conv_batch_norm.h"

#include <gtest/gtest.h>

#include <random>

#include "recur/ops/elementwise.h"
#include "recur/ops/tape.h"

namespace recur::nn {
namespace {

void fill(Tensor t, std::mt19937& rng, float lo, float hi) {
  std::uniform_real_distribution<float> u(lo, hi);
  float* p = t.data<float>();  // a copy of the handle shares the storage: bumps its version
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = u(rng);
}

void expect_near(const Tensor& a, const Tensor& b, float tol) {
  ASSERT_EQ(a.shape(), b.shape());
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    ASSERT_NEAR(a.data<float>()[i], b.data<float>()[i], tol * (1 + std::abs(b.data<float>()[i]))) << i;
  }
}

TEST(FoldedConvBatchNorm, EqualsConvThenBatchNormAndFollowsChanges) {
  for (bool channels_last : {false, true}) {
    for (bool with_bias : {false, true}) {
      std::mt19937 rng(7);
      Conv2dSettings s;
      s.in_channels = 3;
      s.out_channels = 5;
      s.options.padding = {1, 1};
      s.options.stride = {2, 2};
      s.options.channels_last = channels_last;
      s.bias = with_bias;
      Conv2d conv(s);
      BatchNorm2d norm(5);
      init::Generator gen(3);
      conv.reset_parameters(gen);
      fill(norm.weight(), rng, 0.5f, 1.5f);
      fill(norm.bias(), rng, -0.5f, 0.5f);
      fill(norm.running_mean(), rng, -0.3f, 0.3f);
      fill(norm.running_var(), rng, 0.2f, 2.0f);
      norm.eval();
      FoldedConvBatchNorm folded(conv, norm);
      Tensor x = Tensor::empty(channels_last ? Shape{2, 9, 7, 3} : Shape{2, 3, 9, 7});
      fill(x, rng, -1, 1);
      autograd::NoGradGuard no_grad;
      auto separate = [&] { return norm.forward(conv.forward(x), channels_last); };
      expect_near(folded.forward(x), separate(), 1e-5f);
      // Every source of the fold is watched: new statistics, gamma or weights are used at once.
      fill(norm.running_var(), rng, 0.2f, 2.0f);
      expect_near(folded.forward(x), separate(), 1e-5f);
      fill(norm.weight(), rng, 0.5f, 1.5f);
      fill(conv.weight(), rng, -0.2f, 0.2f);
      expect_near(folded.forward(x), separate(), 1e-5f);
      // The fused form: relu(norm(conv(x)) + residual).
      Tensor residual = Tensor::empty(separate().shape());
      fill(residual, rng, -1, 1);
      expect_near(folded.forward_relu(x, residual), ops::relu(ops::add(separate(), residual)), 1e-5f);
      expect_near(folded.forward_relu(x), ops::relu(separate()), 1e-5f);
    }
  }
}

}  // namespace
}  // namespace recur::nn
