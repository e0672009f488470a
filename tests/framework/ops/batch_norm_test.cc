// batch_norm against plain loops (training and evaluation, forward, running statistics
// and gradients) and finite differences.
#include "recur/ops/batch_norm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "cnn_test_util.h"
#include "framework/ops/gradcheck.h"

namespace recur {
namespace {

using ops::BatchNormOptions;
using testing::expect_close;
using testing::random_tensor;
using testing::weighted_sum;

// Statistics over at most a few hundred values of magnitude <= 1, in f32 (measured:
// 2.4e-7).
constexpr float kAtol = 1e-5f, kRtol = 1e-5f;

// Per-channel view of an [N, C, H, W] tensor: calls f(channel, flat index).
template <class F>
void for_each(const Shape& s, F&& f) {
  std::int64_t plane = s[2] * s[3];
  for (std::int64_t n = 0; n < s[0]; ++n)
    for (std::int64_t c = 0; c < s[1]; ++c)
      for (std::int64_t i = 0; i < plane; ++i) f(c, (n * s[1] + c) * plane + i);
}

struct Stats {
  std::vector<double> mean, var;  // var biased
  std::int64_t count = 0;
};

Stats batch_stats(const Tensor& x) {
  std::int64_t channels = x.dim(1);
  Stats s{std::vector<double>(channels), std::vector<double>(channels), x.numel() / channels};
  for_each(x.shape(), [&](auto c, auto i) { s.mean[c] += x.item(i) / s.count; });
  for_each(x.shape(), [&](auto c, auto i) {
    double d = x.item(i) - s.mean[c];
    s.var[c] += d * d / s.count;
  });
  return s;
}

Stats running_stats(const Tensor& mean, const Tensor& var) {
  Stats s;
  for (std::int64_t c = 0; c < mean.numel(); ++c) {
    s.mean.push_back(mean.item(c));
    s.var.push_back(var.item(c));
  }
  return s;
}

float param(const Tensor& t, std::int64_t c, float absent) {
  return t.defined() ? t.item(c) : absent;
}

Tensor reference_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Stats& s,
                         float eps) {
  Tensor y = Tensor::zeros(x.shape());
  for_each(x.shape(), [&](auto c, auto i) {
    double xhat = (x.item(i) - s.mean[c]) / std::sqrt(s.var[c] + eps);
    y.data<float>()[i] = static_cast<float>(xhat * param(gamma, c, 1) + param(beta, c, 0));
  });
  return y;
}

struct Grads {
  Tensor x, gamma, beta;
};

// Training: the statistics depend on x. Evaluation: they are constants.
Grads reference_backward(const Tensor& x, const Tensor& gamma, const Tensor& gy, const Stats& s,
                         float eps, bool training) {
  std::int64_t channels = x.dim(1);
  std::vector<double> dgamma(channels), dbeta(channels);
  auto xhat = [&](auto c, auto i) { return (x.item(i) - s.mean[c]) / std::sqrt(s.var[c] + eps); };
  for_each(x.shape(), [&](auto c, auto i) {
    dbeta[c] += gy.item(i);
    dgamma[c] += gy.item(i) * xhat(c, i);
  });
  Grads g{Tensor::zeros(x.shape()), Tensor::zeros({channels}), Tensor::zeros({channels})};
  for_each(x.shape(), [&](auto c, auto i) {
    double scale = param(gamma, c, 1) / std::sqrt(s.var[c] + eps);
    double d = gy.item(i);
    if (training) d -= (dbeta[c] + xhat(c, i) * dgamma[c]) / static_cast<double>(s.count);
    g.x.data<float>()[i] = static_cast<float>(scale * d);
  });
  for (std::int64_t c = 0; c < channels; ++c) {
    g.gamma.data<float>()[c] = static_cast<float>(dgamma[c]);
    g.beta.data<float>()[c] = static_cast<float>(dbeta[c]);
  }
  return g;
}

struct Case {
  const char* name;
  Shape x;
  bool affine = true;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {"batch1_odd", {1, 3, 5, 3}},
      {"batch2", {2, 4, 3, 4}},
      {"spatial1x1", {5, 2, 1, 1}},
      {"no_affine", {3, 2, 3, 2}, false},
  };
  return all;
}

TEST(BatchNorm, TrainingMatchesLoopsAndUpdatesRunningStats) {
  std::mt19937 rng(1);
  BatchNormOptions o{.training = true, .momentum = 0.3f, .eps = 1e-3f};
  for (const Case& c : cases()) {
    std::int64_t channels = c.x[1];
    Tensor x = random_tensor(c.x, rng, -2.0f, 3.0f);
    Tensor gamma = c.affine ? random_tensor({channels}, rng) : Tensor();
    Tensor beta = c.affine ? random_tensor({channels}, rng) : Tensor();
    Tensor rm = random_tensor({channels}, rng), rv = random_tensor({channels}, rng, 0.5f, 2.0f);
    Tensor rm0 = rm.clone(), rv0 = rv.clone();
    Stats s = batch_stats(x);
    expect_close(ops::batch_norm(x, gamma, beta, rm, rv, o),
                 reference_forward(x, gamma, beta, s, o.eps), kAtol, kRtol, c.name);
    for (std::int64_t ch = 0; ch < channels; ++ch) {
      double unbiased = s.var[ch] * s.count / (s.count - 1);
      EXPECT_NEAR(rm.item(ch), 0.7 * rm0.item(ch) + 0.3 * s.mean[ch], 1e-5) << c.name;
      EXPECT_NEAR(rv.item(ch), 0.7 * rv0.item(ch) + 0.3 * unbiased, 1e-5) << c.name;
    }
  }
}

TEST(BatchNorm, EvaluationUsesRunningStatsAndLeavesThem) {
  std::mt19937 rng(2);
  BatchNormOptions o{.training = false};
  for (const Case& c : cases()) {
    std::int64_t channels = c.x[1];
    Tensor x = random_tensor(c.x, rng);
    Tensor gamma = c.affine ? random_tensor({channels}, rng) : Tensor();
    Tensor beta = c.affine ? random_tensor({channels}, rng) : Tensor();
    Tensor rm = random_tensor({channels}, rng), rv = random_tensor({channels}, rng, 0.5f, 2.0f);
    Tensor rm0 = rm.clone(), rv0 = rv.clone();
    expect_close(ops::batch_norm(x, gamma, beta, rm, rv, o),
                 reference_forward(x, gamma, beta, running_stats(rm, rv), o.eps), kAtol, kRtol,
                 c.name);
    expect_close(rm, rm0, 0, 0, "running mean");
    expect_close(rv, rv0, 0, 0, "running var");
  }
}

TEST(BatchNorm, TrainingWithoutRunningStats) {
  std::mt19937 rng(3);
  Tensor x = random_tensor({2, 3, 4, 4}, rng);
  expect_close(ops::batch_norm(x, {}, {}, {}, {}),
               reference_forward(x, {}, {}, batch_stats(x), 1e-5f), kAtol, kRtol, "untracked");
}

TEST(BatchNorm, BackwardMatchesLoops) {
  std::mt19937 rng(4);
  for (bool training : {true, false}) {
    for (const Case& c : cases()) {
      std::int64_t channels = c.x[1];
      BatchNormOptions o{.training = training, .eps = 1e-3f};
      Tensor x = random_tensor(c.x, rng);
      Tensor gamma = c.affine ? random_tensor({channels}, rng) : Tensor();
      Tensor beta = c.affine ? random_tensor({channels}, rng) : Tensor();
      Tensor rm = random_tensor({channels}, rng), rv = random_tensor({channels}, rng, 0.5f, 2.0f);
      Stats s = training ? batch_stats(x) : running_stats(rm, rv);
      x.set_requires_grad(true);
      if (c.affine) gamma.set_requires_grad(true), beta.set_requires_grad(true);
      Tensor y = ops::batch_norm(x, gamma, beta, rm, rv, o);
      Tensor gy = random_tensor(y.shape(), rng);
      weighted_sum(y, gy).backward();
      Grads ref = reference_backward(x, gamma, gy, s, o.eps, training);
      std::string what = std::string(training ? "train " : "eval ") + c.name;
      expect_close(x.grad(), ref.x, kAtol, kRtol, what + " grad x");
      if (!c.affine) continue;
      expect_close(gamma.grad(), ref.gamma, kAtol, kRtol, what + " grad gamma");
      expect_close(beta.grad(), ref.beta, kAtol, kRtol, what + " grad beta");
    }
  }
}

TEST(BatchNorm, FiniteDifferences) {
  std::mt19937 rng(5);
  for (bool training : {true, false}) {
    SCOPED_TRACE(training ? "training" : "evaluation");
    Tensor rm = random_tensor({3}, rng), rv = random_tensor({3}, rng, 0.5f, 2.0f);
    Tensor gy = random_tensor({2, 3, 3, 2}, rng);
    BatchNormOptions o{.training = training};
    testing::GradcheckOptions check;
    check.eps = 3e-3f;  // the batch statistics make the loss curve; keep the step short
    testing::check_gradients(
        [&](const std::vector<Tensor>& in) {
          return weighted_sum(ops::batch_norm(in[0], in[1], in[2], rm, rv, o), gy);
        },
        {random_tensor({2, 3, 3, 2}, rng, -2.0f, 2.0f), random_tensor({3}, rng),
         random_tensor({3}, rng)},
        check);
  }
}

TEST(BatchNorm, RejectsBadArguments) {
  using testing::expect_shape_error;
  Tensor x = Tensor::zeros({2, 3, 2, 2}), v = Tensor::ones({3});
  expect_shape_error([&] { ops::batch_norm(x.view({2, 3, 4}), v, v, v, v); }, "[N, C, H, W]");
  expect_shape_error([&] { ops::batch_norm(x, Tensor::ones({2}), v, v, v); }, "weight f32 [3]");
  expect_shape_error([&] { ops::batch_norm(x, v, v, v, Tensor::ones({4})); },
                     "running_var f32 [3]");
  expect_shape_error([&] { ops::batch_norm(x, v, v, {}, {}, {.training = false}); },
                     "evaluation needs running_mean");
  expect_shape_error([&] { ops::batch_norm(x, v, v, v, {}); }, "go together");
  expect_shape_error(
      [&] {
        ops::batch_norm(Tensor::zeros({1, 3, 1, 1}), v, v, v, v);
      },
      "more than one value per channel");
  expect_shape_error([&] { ops::batch_norm(x, v, v, v, v, {.eps = 0}); }, "eps > 0");
}

}  // namespace
}  // namespace recur
