// Variable lengths in recur::ops::lstm / gru / rnn_tanh: padding is inert in both directions and a
// sequence's result does not depend on the batch around it.
#include <gtest/gtest.h>

#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::RnnCase;

class RnnPadding : public ::testing::TestWithParam<const char*> {};

TEST_P(RnnPadding, PaddedOutputsAreExactlyZero) {
  RnnCase c(GetParam());
  Tensor out = c.run().output;
  const std::int64_t T = out.dim(1), W = out.dim(2);
  for (std::int64_t b = 0; b < out.dim(0); ++b) {
    for (std::int64_t t = c.lengths[b]; t < T; ++t) {
      for (std::int64_t j = 0; j < W; ++j) {
        ASSERT_EQ(out.item((b * T + t) * W + j), 0.0f) << "row " << b << " step " << t;
      }
    }
  }
}

// Everything a test compares: outputs, final states, and all gradients of the loss.
std::vector<Tensor> results(RnnCase& c) {
  std::vector<Tensor> leaves = c.param_tensors();
  leaves.insert(leaves.end(), {c.input, c.h0});
  for (Tensor& t : leaves) {
    t.set_requires_grad(true);
    t.zero_grad();
  }
  ops::RnnResult r = c.run();
  c.loss(r).backward();
  std::vector<Tensor> all{r.output.detach(), r.h_n.detach()};
  if (r.c_n.defined()) all.push_back(r.c_n.detach());
  for (const Tensor& t : leaves) all.push_back(t.grad());
  return all;
}

TEST_P(RnnPadding, PaddingValuesChangeNothing) {
  RnnCase c(GetParam());
  std::vector<Tensor> before = results(c);
  const std::int64_t T = c.input.dim(1), I = c.input.dim(2);
  float* x = c.input.data<float>();
  for (std::int64_t b = 0; b < c.input.dim(0); ++b) {
    for (std::int64_t t = c.lengths[b]; t < T; ++t) {
      for (std::int64_t j = 0; j < I; ++j) x[(b * T + t) * I + j] = 1e3f * float(j + 1);
    }
  }
  std::vector<Tensor> after = results(c);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    testing::expect_close(after[i], before[i], 0.0f, "result " + std::to_string(i));
  }
}

TEST_P(RnnPadding, BatchOfOneEqualsTheSameSequenceInsideTheBatch) {
  RnnCase c(GetParam());
  ops::RnnResult batch = c.run();
  const std::int64_t B = c.input.dim(0), T = c.input.dim(1), I = c.input.dim(2);
  const std::int64_t LD = c.h0.dim(0), H = c.h0.dim(2), W = batch.output.dim(2);
  for (std::int64_t b = 0; b < B; ++b) {
    const std::int64_t len = c.lengths[b];
    // The sequence alone, trimmed to its own length.
    Tensor x = Tensor::zeros({1, len, I}), h0 = Tensor::zeros({LD, 1, H}), c0;
    std::copy_n(c.input.data<float>() + b * T * I, len * I, x.data<float>());
    for (std::int64_t k = 0; k < LD; ++k) {
      std::copy_n(c.h0.data<float>() + (k * B + b) * H, H, h0.data<float>() + k * H);
    }
    if (c.c0.defined()) {
      c0 = Tensor::zeros({LD, 1, H});
      for (std::int64_t k = 0; k < LD; ++k) {
        std::copy_n(c.c0.data<float>() + (k * B + b) * H, H, c0.data<float>() + k * H);
      }
    }
    ops::RnnResult one = ops::rnn(c.cell, x, {}, c.params, c.bidirectional, h0, c0);
    for (std::int64_t i = 0; i < len * W; ++i) {
      ASSERT_NEAR(one.output.item(i), batch.output.item(b * T * W + i), 1e-6f) << "row " << b;
    }
    for (std::int64_t k = 0; k < LD; ++k) {
      for (std::int64_t j = 0; j < H; ++j) {
        ASSERT_NEAR(one.h_n.item(k * H + j), batch.h_n.item((k * B + b) * H + j), 1e-6f);
        if (c0.defined()) {
          ASSERT_NEAR(one.c_n.item(k * H + j), batch.c_n.item((k * B + b) * H + j), 1e-6f);
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cells, RnnPadding,
                         ::testing::Values("lstm_uni_l1", "lstm_bi_l2", "gru_uni_l2",
                                           "gru_bi_l1", "rnn_uni_l2", "rnn_bi_l1"));

}  // namespace
}  // namespace recur
