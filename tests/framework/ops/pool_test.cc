// max_pool2d, avg_pool2d and global_avg_pool2d against plain loops (forward and
// gradient) and finite differences.
#include "recur/ops/pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

#include "cnn_test_util.h"
#include "framework/ops/gradcheck.h"

namespace recur {
namespace {

using ops::Pool2dOptions;
using testing::distinct_tensor;
using testing::expect_close;
using testing::random_tensor;
using testing::weighted_sum;

// A maximum is exact; an average sums at most a few dozen values of magnitude <= 1.
constexpr float kAtol = 1e-5f, kRtol = 1e-5f;

enum class Kind { max, avg };

// Pooling by loops, following torch's definitions (ceil_mode=False). Returns the output
// and, through `grad_x`, the gradient of sum(output * grad_y) with respect to x.
Tensor reference_pool(Kind kind, const Tensor& x, const Pool2dOptions& o, const Tensor& grad_y,
                      Tensor* grad_x) {
  const Shape& xs = x.shape();
  std::int64_t k[2] = {o.kernel[0], o.kernel[1]};
  std::int64_t s[2] = {o.stride[0] ? o.stride[0] : k[0], o.stride[1] ? o.stride[1] : k[1]};
  std::int64_t p[2] = {o.padding[0], o.padding[1]};
  Shape ys{xs[0], xs[1], (xs[2] + 2 * p[0] - k[0]) / s[0] + 1,
           (xs[3] + 2 * p[1] - k[1]) / s[1] + 1};
  Tensor y = Tensor::zeros(ys);
  if (grad_x) *grad_x = Tensor::zeros(xs);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  std::int64_t yi = 0;
  for (std::int64_t plane = 0; plane < xs[0] * xs[1]; ++plane) {
    const float* xp = px + plane * xs[2] * xs[3];
    for (std::int64_t oh = 0; oh < ys[2]; ++oh) {
      for (std::int64_t ow = 0; ow < ys[3]; ++ow, ++yi) {
        std::int64_t h0 = oh * s[0] - p[0], w0 = ow * s[1] - p[1];
        std::int64_t h1 = std::min(h0 + k[0], xs[2]), w1 = std::min(w0 + k[1], xs[3]);
        // torch's include-pad divisor: the window clipped to the padded input.
        std::int64_t padded_area =
            (std::min(h0 + k[0], xs[2] + p[0]) - h0) * (std::min(w0 + k[1], xs[3] + p[1]) - w0);
        h0 = std::max<std::int64_t>(h0, 0);
        w0 = std::max<std::int64_t>(w0, 0);
        std::int64_t area = o.count_include_pad ? padded_area : (h1 - h0) * (w1 - w0);
        double sum = 0;
        float best = -std::numeric_limits<float>::infinity();
        std::int64_t best_at = -1;
        for (std::int64_t ih = h0; ih < h1; ++ih) {
          for (std::int64_t iw = w0; iw < w1; ++iw) {
            float v = xp[ih * xs[3] + iw];
            sum += v;
            if (v > best) best = v, best_at = ih * xs[3] + iw;
          }
        }
        py[yi] = kind == Kind::max ? best : static_cast<float>(sum / static_cast<double>(area));
        if (!grad_x) continue;
        float g = grad_y.item(yi);
        float* gx = grad_x->data<float>() + plane * xs[2] * xs[3];
        if (kind == Kind::max) {
          gx[best_at] += g;
        } else {
          for (std::int64_t ih = h0; ih < h1; ++ih)
            for (std::int64_t iw = w0; iw < w1; ++iw) gx[ih * xs[3] + iw] += g / area;
        }
      }
    }
  }
  return y;
}

Tensor run(Kind kind, const Tensor& x, const Pool2dOptions& o) {
  return kind == Kind::max ? ops::max_pool2d(x, o) : ops::avg_pool2d(x, o);
}

struct Case {
  const char* name;
  Shape x;
  Pool2dOptions options;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {"batch1_default_stride", {1, 3, 7, 5}, {.kernel = {2, 2}}},
      {"k3_s2_p1", {2, 3, 9, 8}, {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}}},
      {"rect_mixed", {2, 2, 6, 7}, {.kernel = {3, 2}, .stride = {1, 2}, .padding = {1, 0}}},
      {"k3_s2_p1_exclude_pad",
       {1, 2, 8, 7},
       {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}, .count_include_pad = false}},
      {"k2x4_s1x3_p1x2", {2, 1, 5, 6}, {.kernel = {2, 4}, .stride = {1, 3}, .padding = {1, 2}}},
  };
  return all;
}

TEST(Pool2d, ForwardMatchesLoops) {
  std::mt19937 rng(1);
  for (Kind kind : {Kind::max, Kind::avg}) {
    for (const Case& c : cases()) {
      Tensor x = random_tensor(c.x, rng);
      std::string what = std::string(kind == Kind::max ? "max " : "avg ") + c.name;
      expect_close(run(kind, x, c.options), reference_pool(kind, x, c.options, {}, nullptr), kAtol,
                   kRtol, what);
    }
  }
}

TEST(Pool2d, PaddingCountsOnlyWhenAsked) {
  // One 2x2 window at the corner of a padded 3x3 input: torch divides by 4 including
  // padding, by 1 excluding it.
  Tensor x = Tensor::full({1, 1, 3, 3}, 2.0f);
  Pool2dOptions o{.kernel = {2, 2}, .stride = {2, 2}, .padding = {1, 1}};
  EXPECT_FLOAT_EQ(ops::avg_pool2d(x, o).item(0), 0.5f);
  o.count_include_pad = false;
  EXPECT_FLOAT_EQ(ops::avg_pool2d(x, o).item(0), 2.0f);
  // Padding never wins a max, even over negative values.
  Tensor neg = Tensor::full({1, 1, 3, 3}, -3.0f);
  EXPECT_FLOAT_EQ(ops::max_pool2d(neg, o).item(0), -3.0f);
}

TEST(Pool2d, BackwardMatchesLoops) {
  std::mt19937 rng(2);
  for (Kind kind : {Kind::max, Kind::avg}) {
    for (const Case& c : cases()) {
      Tensor x = distinct_tensor(c.x, rng);
      x.set_requires_grad(true);
      Tensor y = run(kind, x, c.options);
      Tensor gy = random_tensor(y.shape(), rng);
      weighted_sum(y, gy).backward();
      Tensor ref_grad;
      reference_pool(kind, x, c.options, gy, &ref_grad);
      std::string what = std::string(kind == Kind::max ? "max " : "avg ") + c.name;
      expect_close(x.grad(), ref_grad, kAtol, kRtol, what + " grad");
    }
  }
}

// Each finite difference runs the op twice per element: small inputs keep this fast.
TEST(Pool2d, FiniteDifferences) {
  std::mt19937 rng(3);
  const std::vector<Case> small{
      {"batch1_default_stride", {1, 1, 5, 4}, {.kernel = {2, 2}}},
      {"k3_s2_p1", {2, 1, 5, 5}, {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}}},
      {"rect_mixed", {1, 2, 4, 5}, {.kernel = {3, 2}, .stride = {1, 2}, .padding = {1, 0}}},
      {"k3_s2_p1_exclude_pad",
       {1, 1, 5, 6},
       {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}, .count_include_pad = false}},
  };
  for (Kind kind : {Kind::max, Kind::avg}) {
    for (const Case& c : small) {
      Tensor x = distinct_tensor(c.x, rng);  // no ties within 2 eps
      Tensor gy = random_tensor(reference_pool(kind, x, c.options, {}, nullptr).shape(), rng);
      SCOPED_TRACE(c.name);
      testing::check_gradients(
          [&](const std::vector<Tensor>& in) {
            return weighted_sum(run(kind, in[0], c.options), gy);
          },
          {x});
    }
  }
}

TEST(GlobalAvgPool2d, MatchesLoopsAndGradients) {
  std::mt19937 rng(4);
  Tensor x = random_tensor({2, 3, 5, 7}, rng);
  Tensor y = ops::global_avg_pool2d(x);
  ASSERT_EQ(y.shape(), (Shape{2, 3}));
  for (std::int64_t plane = 0; plane < 6; ++plane) {
    double sum = 0;
    for (std::int64_t i = 0; i < 35; ++i) sum += x.item(plane * 35 + i);
    EXPECT_NEAR(y.item(plane), sum / 35, 1e-6) << "plane " << plane;
  }
  Tensor gy = random_tensor({2, 1}, rng);
  testing::check_gradients(
      [&](const std::vector<Tensor>& in) {
        return weighted_sum(ops::global_avg_pool2d(in[0]), gy);
      },
      {random_tensor({2, 1, 3, 4}, rng)});
}

TEST(Pool2d, RejectsBadArguments) {
  using testing::expect_shape_error;
  Tensor x = Tensor::zeros({1, 2, 5, 5});
  expect_shape_error([&] { ops::max_pool2d(x.view({2, 5, 5}), {}); }, "[N, C, H, W]");
  expect_shape_error(
      [&] {
        ops::avg_pool2d(x, {.kernel = {2, 2}, .padding = {2, 0}});
      },
      "padding <= kernel / 2");
  expect_shape_error([&] { ops::max_pool2d(x, {.kernel = {0, 2}}); }, "kernel >= 1");
  expect_shape_error(
      [&] {
        ops::max_pool2d(x, {.kernel = {2, 2}, .stride = {-1, 1}});
      },
      "stride >= 1");
  expect_shape_error([&] { ops::max_pool2d(x, {.kernel = {6, 2}}); }, "larger than input");
  expect_shape_error([&] { ops::global_avg_pool2d(Tensor::zeros({2, 3})); }, "[N, C, H, W]");
  expect_shape_error([&] { ops::avg_pool2d(Tensor::zeros({1, 1, 4, 4}, DType::i32), {}); }, "f32");
}

}  // namespace
}  // namespace recur
