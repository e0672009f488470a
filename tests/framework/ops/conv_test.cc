// conv2d against plain loops (forward and all three gradients) and finite differences.
#include "recur/ops/conv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "cnn_test_util.h"
#include "framework/ops/gradcheck.h"
#include "recur/ops/shape.h"

namespace recur {
namespace {

using ops::Conv2dOptions;
using testing::expect_close;
using testing::random_tensor;
using testing::weighted_sum;

// Sums in f32 over at most a few hundred products of magnitude <= 1 (measured: 7e-7).
constexpr float kAtol = 1e-5f, kRtol = 1e-5f;

std::int64_t index4(const Shape& s, std::int64_t a, std::int64_t b, std::int64_t c,
                    std::int64_t d) {
  return ((a * s[1] + b) * s[2] + c) * s[3] + d;
}

Shape out_shape(const Tensor& x, const Tensor& w, const Conv2dOptions& o) {
  Shape y{x.dim(0), w.dim(0), 0, 0};
  for (int i = 0; i < 2; ++i) {
    std::int64_t extent = o.dilation[i] * (w.dim(2 + i) - 1) + 1;
    y[2 + i] = (x.dim(2 + i) + 2 * o.padding[i] - extent) / o.stride[i] + 1;
  }
  return y;
}

// Calls visit(y index, x index, w index) for every product term of the convolution.
template <class Visit>
void for_each_term(const Shape& xs, const Shape& ws, const Shape& ys, const Conv2dOptions& o,
                   Visit&& visit) {
  for (std::int64_t n = 0; n < ys[0]; ++n)
    for (std::int64_t oc = 0; oc < ys[1]; ++oc)
      for (std::int64_t oh = 0; oh < ys[2]; ++oh)
        for (std::int64_t ow = 0; ow < ys[3]; ++ow)
          for (std::int64_t c = 0; c < ws[1]; ++c)
            for (std::int64_t kh = 0; kh < ws[2]; ++kh)
              for (std::int64_t kw = 0; kw < ws[3]; ++kw) {
                std::int64_t ih = oh * o.stride[0] - o.padding[0] + kh * o.dilation[0];
                std::int64_t iw = ow * o.stride[1] - o.padding[1] + kw * o.dilation[1];
                if (ih < 0 || iw < 0 || ih >= xs[2] || iw >= xs[3]) continue;
                visit(index4(ys, n, oc, oh, ow), index4(xs, n, c, ih, iw),
                      index4(ws, oc, c, kh, kw));
              }
}

Tensor reference_conv(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dOptions& o) {
  Shape ys = out_shape(x, w, o);
  std::vector<double> acc(static_cast<std::size_t>(shape_numel(ys)), 0.0);
  const float* px = x.data<float>();
  const float* pw = w.data<float>();
  for_each_term(x.shape(), w.shape(), ys, o, [&](auto yi, auto xi, auto wi) {
    acc[yi] += static_cast<double>(px[xi]) * pw[wi];
  });
  Tensor y = Tensor::zeros(ys);
  float* py = y.data<float>();
  std::int64_t plane = ys[2] * ys[3];
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    py[i] = static_cast<float>(acc[i] + (b.defined() ? b.item((i / plane) % ys[1]) : 0.0f));
  }
  return y;
}

struct Grads {
  Tensor x, w, b;
};

Grads reference_backward(const Tensor& x, const Tensor& w, const Tensor& gy,
                         const Conv2dOptions& o) {
  Grads g{Tensor::zeros(x.shape()), Tensor::zeros(w.shape()), Tensor::zeros({w.dim(0)})};
  const float *px = x.data<float>(), *pw = w.data<float>(), *pg = gy.data<float>();
  float *gx = g.x.data<float>(), *gw = g.w.data<float>(), *gb = g.b.data<float>();
  for_each_term(x.shape(), w.shape(), gy.shape(), o, [&](auto yi, auto xi, auto wi) {
    gx[xi] += pg[yi] * pw[wi];
    gw[wi] += pg[yi] * px[xi];
  });
  std::int64_t plane = gy.dim(2) * gy.dim(3);
  for (std::int64_t i = 0; i < gy.numel(); ++i) gb[(i / plane) % gy.dim(1)] += pg[i];
  return g;
}

struct Case {
  const char* name;
  Shape x, w;
  Conv2dOptions options;
  bool bias = true;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {"batch1_3x3", {1, 3, 7, 5}, {4, 3, 3, 3}, {}},
      {"stride2_pad1", {2, 3, 9, 8}, {5, 3, 3, 3}, {.stride = {2, 2}, .padding = {1, 1}}},
      {"rect_kernel_mixed", {2, 2, 6, 7}, {3, 2, 2, 3}, {.stride = {2, 1}, .padding = {0, 2}}},
      {"dilated_no_bias",
       {1, 2, 9, 9},
       {3, 2, 3, 3},
       {.stride = {1, 2}, .padding = {2, 1}, .dilation = {2, 3}},
       false},
      {"pointwise", {3, 5, 4, 3}, {2, 5, 1, 1}, {}},
  };
  return all;
}

TEST(Conv2d, ForwardMatchesLoops) {
  std::mt19937 rng(1);
  for (const Case& c : cases()) {
    Tensor x = random_tensor(c.x, rng), w = random_tensor(c.w, rng);
    Tensor b = c.bias ? random_tensor({c.w[0]}, rng) : Tensor();
    expect_close(ops::conv2d(x, w, b, c.options), reference_conv(x, w, b, c.options), kAtol, kRtol,
                 c.name);
  }
}

TEST(Conv2d, InferenceAndTrainingPrimitivesAgree) {
  std::mt19937 rng(2);
  const Case& c = cases()[1];
  Tensor x = random_tensor(c.x, rng), w = random_tensor(c.w, rng), b = random_tensor({c.w[0]}, rng);
  w.set_requires_grad(true);
  Tensor trained = ops::conv2d(x, w, b, c.options);
  EXPECT_TRUE(trained.requires_grad());
  autograd::NoGradGuard no_grad;
  Tensor inferred = ops::conv2d(x, w, b, c.options);
  EXPECT_FALSE(inferred.requires_grad());
  expect_close(inferred, trained, 1e-6f, 0.0f, "inference vs training");
}

Tensor relu_of_sum(const Tensor& a, const Tensor& b) {
  Tensor y = Tensor::zeros(a.shape());
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    y.data<float>()[i] = std::max(0.0f, a.data<float>()[i] + (b.defined() ? b.data<float>()[i] : 0.0f));
  }
  return y;
}

// The fused inference convolution, with and without a residual, in both layouts: the
// channels-last output is computed as stored, the NCHW one in the primitive's own
// blocked layout (the residual then goes through a reorder).
TEST(Conv2d, FusedReluAndResidualMatchLoops) {
  std::mt19937 rng(7);
  for (const Case& c : cases()) {
    for (bool channels_last : {false, true}) {
      Tensor x = random_tensor(c.x, rng), w = random_tensor(c.w, rng);
      Tensor b = c.bias ? random_tensor({c.w[0]}, rng) : Tensor();
      Tensor want_conv = reference_conv(x, w, b, c.options);
      Tensor residual = random_tensor(want_conv.shape(), rng);
      Conv2dOptions o = c.options;
      o.channels_last = channels_last;
      auto stored = [&](const Tensor& t) { return channels_last ? ops::permute(t, {0, 2, 3, 1}) : t; };
      const std::string name = std::string(c.name) + (channels_last ? " channels_last" : " nchw");
      expect_close(ops::conv2d_relu(stored(x), w, b, o), stored(relu_of_sum(want_conv, {})), kAtol, kRtol,
                   name + " relu");
      Tensor fused = ops::conv2d_relu(stored(x), w, b, o, stored(residual));
      EXPECT_FALSE(fused.requires_grad());
      expect_close(fused, stored(relu_of_sum(want_conv, residual)), kAtol, kRtol, name + " residual");
    }
  }
  Tensor x = Tensor::zeros({1, 3, 5, 5}), w = Tensor::zeros({4, 3, 3, 3});
  testing::expect_shape_error([&] { ops::conv2d_relu(x, w, {}, {}, Tensor::zeros({1, 4, 5, 5})); },
                              "must have the output's shape [1, 4, 3, 3]");
}

TEST(Conv2d, BackwardMatchesLoops) {
  std::mt19937 rng(3);
  for (const Case& c : cases()) {
    Tensor x = random_tensor(c.x, rng), w = random_tensor(c.w, rng);
    Tensor b = c.bias ? random_tensor({c.w[0]}, rng) : Tensor();
    x.set_requires_grad(true);
    w.set_requires_grad(true);
    if (b.defined()) b.set_requires_grad(true);
    Tensor y = ops::conv2d(x, w, b, c.options);
    Tensor gy = random_tensor(y.shape(), rng);
    weighted_sum(y, gy).backward();
    Grads ref = reference_backward(x, w, gy, c.options);
    expect_close(x.grad(), ref.x, kAtol, kRtol, std::string(c.name) + " grad x");
    expect_close(w.grad(), ref.w, kAtol, kRtol, std::string(c.name) + " grad weight");
    if (b.defined())
      expect_close(b.grad(), ref.b, kAtol, kRtol, std::string(c.name) + " grad bias");
  }
}

TEST(Conv2d, OnlyRequestedGradientsAreComputed) {
  std::mt19937 rng(4);
  Tensor x = random_tensor({1, 2, 5, 5}, rng), w = random_tensor({3, 2, 3, 3}, rng);
  Tensor b = random_tensor({3}, rng);
  x.set_requires_grad(true);
  Tensor y = ops::conv2d(x, w, b, {.padding = {1, 1}});
  weighted_sum(y, random_tensor(y.shape(), rng)).backward();
  EXPECT_TRUE(x.grad().defined());
  EXPECT_FALSE(w.grad().defined());
  EXPECT_FALSE(b.grad().defined());
}

TEST(Conv2d, FiniteDifferences) {
  std::mt19937 rng(5);
  Conv2dOptions o{.stride = {2, 2}, .padding = {1, 1}};
  Tensor gy = random_tensor({1, 2, 3, 3}, rng);
  testing::check_gradients(
      [&](const std::vector<Tensor>& in) {
        return weighted_sum(ops::conv2d(in[0], in[1], in[2], o), gy);
      },
      {random_tensor({1, 2, 5, 6}, rng), random_tensor({2, 2, 3, 3}, rng),
       random_tensor({2}, rng)});
}

TEST(Conv2d, FiniteDifferencesDilatedNoBias) {
  std::mt19937 rng(6);
  Conv2dOptions o{.padding = {1, 0}, .dilation = {2, 1}};
  Tensor gy = random_tensor({1, 1, 5, 4}, rng);
  testing::check_gradients(
      [&](const std::vector<Tensor>& in) {
        return weighted_sum(ops::conv2d(in[0], in[1], Tensor(), o), gy);
      },
      {random_tensor({1, 2, 5, 5}, rng), random_tensor({1, 2, 2, 2}, rng)});
}

TEST(Conv2d, RejectsBadArguments) {
  using testing::expect_shape_error;
  Tensor x = Tensor::zeros({1, 3, 5, 5}), w = Tensor::zeros({4, 3, 3, 3});
  expect_shape_error([&] { ops::conv2d(x.view({3, 5, 5}), w); }, "[N, C, H, W]");
  expect_shape_error([&] { ops::conv2d(x, Tensor::zeros({4, 2, 3, 3})); }, "has 3 channels");
  expect_shape_error([&] { ops::conv2d(x, w, Tensor::zeros({3})); }, "expected bias [4]");
  expect_shape_error([&] { ops::conv2d(x, Tensor::zeros({4, 3, 6, 3})); }, "does not fit");
  expect_shape_error([&] { ops::conv2d(x, w, {}, {.stride = {0, 1}}); }, "stride >= 1");
  expect_shape_error([&] { ops::conv2d(x, w, {}, {.dilation = {1, 0}}); }, "dilation >= 1");
  expect_shape_error([&] { ops::conv2d(Tensor::zeros({1, 3, 5, 5}, DType::i32), w); }, "f32");
}

}  // namespace
}  // namespace recur
