// Shared helpers of the recurrent-op tests: a recorded test loss, tolerance checks and
// the PyTorch reference fixtures (scripts/fixtures/make_rnn_fixtures.py).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "fixture_reader.h"
#include "gradcheck.h"
#include "recur/ops/rnn.h"
#include "recur/ops/tape.h"

namespace recur::testing {

// sum_i <xs[i], ws[i]>, recorded on the tape: the scalar loss of these tests.
inline Tensor weighted_sum(const std::vector<Tensor>& xs, const std::vector<Tensor>& ws) {
  double acc = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const float* x = xs[i].data<float>();
    const float* w = ws[i].data<float>();
    for (std::int64_t k = 0; k < xs[i].numel(); ++k) acc += double(x[k]) * w[k];
  }
  Tensor loss = Tensor::scalar(static_cast<float>(acc));
  autograd::record("weighted_sum", xs, {&loss}, [ws](const std::vector<Tensor>& g) {
    std::vector<Tensor> out;
    for (const Tensor& w : ws) {
      Tensor t = w.clone();
      for (std::int64_t k = 0; k < t.numel(); ++k) t.data<float>()[k] *= g[0].item();
      out.push_back(t);
    }
    return out;
  });
  return loss;
}

// max |actual - expected| <= tol * max(1, max |expected|).
inline void expect_close(const Tensor& actual, const Tensor& expected, float tol,
                         const std::string& what) {
  ASSERT_TRUE(actual.defined()) << what << " is undefined";
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  float scale = 1.0f, worst = 0.0f;
  std::int64_t at = 0;
  for (std::int64_t i = 0; i < expected.numel(); ++i) {
    scale = std::max(scale, std::abs(expected.item(i)));
    float diff = std::abs(actual.item(i) - expected.item(i));
    if (diff > worst) worst = diff, at = i;
  }
  EXPECT_LE(worst, tol * scale) << what << " element " << at << ": " << actual.item(at)
                                << " vs " << expected.item(at);
}

// max |a[i] - b[i]| over two tensors of the same size, or a tensor and its values in
// double (a reference computed by the test).
inline float max_abs_diff(const Tensor& a, const Tensor& b) {
  float d = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i) d = std::max(d, std::abs(a.item(i) - b.item(i)));
  return d;
}
inline double max_abs_diff(const Tensor& a, const std::vector<double>& b) {
  double d = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i) d = std::max(d, std::abs(a.item(i) - b[static_cast<std::size_t>(i)]));
  return d;
}

inline std::string param_name(const char* kind, std::int64_t layer, std::int64_t dir) {
  return std::string(kind) + "_l" + std::to_string(layer) + (dir ? "_reverse" : "");
}

// One PyTorch reference case.
struct RnnCase {
  ops::RnnCell cell;
  bool bidirectional;
  std::int64_t layers;
  std::vector<std::int64_t> lengths;
  Tensor input, h0, c0;
  std::vector<ops::RnnParams> params;
  std::vector<std::string> names;  // "w_ih_l0", ... in the order of params' tensors
  FixtureFile file;

  explicit RnnCase(const std::string& name)
      : file(std::string(RECUR_TEST_DATA_DIR) + "/fixtures/rnn/" + name + ".safetensors") {
    const std::string kind = file.meta("cell");
    cell = kind == "lstm" ? ops::RnnCell::lstm
                          : kind == "gru" ? ops::RnnCell::gru : ops::RnnCell::tanh;
    bidirectional = file.meta("bidirectional") == "1";
    layers = std::stoll(file.meta("layers"));
    lengths = file.i64("lengths");
    input = file.f32("input");
    h0 = file.f32("h0");
    if (cell == ops::RnnCell::lstm) c0 = file.f32("c0");
    for (std::int64_t l = 0; l < layers; ++l) {
      for (std::int64_t d = 0; d < (bidirectional ? 2 : 1); ++d) {
        for (const char* kind : {"w_ih", "w_hh", "bias"}) names.push_back(param_name(kind, l, d));
        params.push_back({file.f32(names[names.size() - 3]), file.f32(names[names.size() - 2]),
                          file.f32(names.back())});
      }
    }
  }

  ops::RnnResult run() const {
    return ops::rnn(cell, input, lengths, params, bidirectional, h0, c0);
  }

  Tensor loss(const ops::RnnResult& r) const {
    std::vector<Tensor> xs{r.output, r.h_n}, ws{file.f32("out_weight"), file.f32("hn_weight")};
    if (cell == ops::RnnCell::lstm) {
      xs.push_back(r.c_n);
      ws.push_back(file.f32("cn_weight"));
    }
    return weighted_sum(xs, ws);
  }

  std::vector<Tensor> param_tensors() const {
    std::vector<Tensor> all;
    for (const auto& p : params) all.insert(all.end(), {p.w_ih, p.w_hh, p.bias});
    return all;
  }
};

// What check_against_fixture ran: the output and the first set's w_hh gradient, with the
// reference's values of both.
struct FixtureRun {
  Tensor output, expected_output, w_hh_grad, expected_w_hh_grad;
};

// Forward within `forward_tol` and every gradient within `grad_tol` of the PyTorch
// reference (f32: 1e-5 and 1e-4).
inline FixtureRun check_against_fixture(const std::string& name, float forward_tol = 1e-5f,
                                        float grad_tol = 1e-4f) {
  RnnCase c(name);
  std::vector<Tensor> leaves = c.param_tensors();
  leaves.insert(leaves.end(), {c.input, c.h0});
  if (c.c0.defined()) leaves.push_back(c.c0);
  for (Tensor& t : leaves) t.set_requires_grad(true);

  ops::RnnResult r = c.run();
  expect_close(r.output, c.file.f32("output"), forward_tol, name + " output");
  expect_close(r.h_n, c.file.f32("h_n"), forward_tol, name + " h_n");
  if (c.c0.defined()) expect_close(r.c_n, c.file.f32("c_n"), forward_tol, name + " c_n");

  c.loss(r).backward();
  expect_close(c.input.grad(), c.file.f32("grad.input"), grad_tol, name + " grad input");
  expect_close(c.h0.grad(), c.file.f32("grad.h0"), grad_tol, name + " grad h0");
  if (c.c0.defined()) expect_close(c.c0.grad(), c.file.f32("grad.c0"), grad_tol, name + " grad c0");
  std::vector<Tensor> params = c.param_tensors();
  for (std::size_t i = 0; i < params.size(); ++i) {
    expect_close(params[i].grad(), c.file.f32("grad." + c.names[i]), grad_tol,
                 name + " grad " + c.names[i]);
  }
  return {r.output, c.file.f32("output"), params[1].grad(), c.file.f32("grad." + c.names[1])};
}

// PyTorch's initialisation bound for a recurrent layer's weights: 1 / sqrt(hidden).
inline float torch_scale(std::int64_t hidden) { return 1.0f / std::sqrt(static_cast<float>(hidden)); }

// Random parameters for `layers` x D sets: uniform in +-1, times `scale`.
inline std::vector<ops::RnnParams> random_params(ops::RnnCell cell, std::int64_t input,
                                                 std::int64_t hidden, std::int64_t layers,
                                                 bool bidirectional, std::mt19937& rng,
                                                 float scale = 1.0f) {
  const std::int64_t dirs = bidirectional ? 2 : 1, gh = ops::rnn_gates(cell) * hidden;
  std::vector<ops::RnnParams> params;
  for (std::int64_t l = 0; l < layers; ++l) {
    for (std::int64_t d = 0; d < dirs; ++d) {
      params.push_back({random_tensor({l == 0 ? input : dirs * hidden, gh}, rng),
                        random_tensor({hidden, gh}, rng),
                        random_tensor({ops::rnn_bias_gates(cell) * hidden}, rng)});
      if (scale == 1.0f) continue;
      for (Tensor* w : {&params.back().w_ih, &params.back().w_hh, &params.back().bias}) {
        for (std::int64_t i = 0; i < w->numel(); ++i) w->data<float>()[i] *= scale;
      }
    }
  }
  return params;
}

// Finite differences of a bidirectional two-layer `cell` over a batch with `lengths`,
// T = max length, for the input, h0 (and c0 for LSTM) and every parameter.
inline void check_rnn_finite_differences(ops::RnnCell cell, std::int64_t input,
                                         std::int64_t hidden,
                                         const std::vector<std::int64_t>& lengths,
                                         std::mt19937& rng) {
  const bool lstm = cell == ops::RnnCell::lstm;
  const auto B = static_cast<std::int64_t>(lengths.size());
  const std::int64_t T = *std::max_element(lengths.begin(), lengths.end());
  const Shape states{4, B, hidden};
  auto params = random_params(cell, input, hidden, 2, true, rng);
  std::vector<Tensor> inputs{random_tensor({B, T, input}, rng), random_tensor(states, rng),
                             lstm ? random_tensor(states, rng) : Tensor()};
  for (const auto& p : params) inputs.insert(inputs.end(), {p.w_ih, p.w_hh, p.bias});
  Tensor r = random_tensor({B, T, 2 * hidden}, rng), s = random_tensor(states, rng),
         sc = random_tensor(states, rng);
  if (!lstm) inputs.erase(inputs.begin() + 2);
  const std::size_t first = lstm ? 3 : 2;
  check_gradients(
      [&](const std::vector<Tensor>& x) {
        std::vector<ops::RnnParams> p;
        for (std::size_t i = first; i < x.size(); i += 3) {
          p.push_back({x[i], x[i + 1], x[i + 2]});
        }
        ops::RnnResult out = ops::rnn(cell, x[0], lengths, p, true, x[1], lstm ? x[2] : Tensor());
        EXPECT_EQ(out.c_n.defined(), lstm);
        if (!lstm) return weighted_sum({out.output, out.h_n}, {r, s});
        return weighted_sum({out.output, out.h_n, out.c_n}, {r, s, sc});
      },
      inputs);
}

}  // namespace recur::testing
