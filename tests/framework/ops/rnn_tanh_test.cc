// recur::ops::rnn_tanh (the vanilla tanh RNN) against PyTorch nn.RNN fixtures, finite
// differences and bad arguments.
#include <gtest/gtest.h>

#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::check_against_fixture;

class RnnTanhFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(RnnTanhFixture, MatchesTorchPackedSequences) { check_against_fixture(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Torch, RnnTanhFixture,
                         ::testing::Values("rnn_uni_l1", "rnn_uni_l2", "rnn_bi_l1",
                                           "rnn_bi_l2"));

TEST(RnnTanh, FiniteDifferencesBidirectionalTwoLayers) {
  std::mt19937 rng(13);
  testing::check_rnn_finite_differences(ops::RnnCell::tanh, 3, 2, {2, 4, 1}, rng);
}

TEST(RnnTanh, InferenceModeMatchesTrainingMode) {
  testing::RnnCase c("rnn_bi_l2");
  c.input.set_requires_grad(true);
  ops::RnnResult trained = c.run();
  autograd::NoGradGuard no_grad;
  ops::RnnResult inferred = c.run();
  EXPECT_FALSE(inferred.output.requires_grad());
  testing::expect_close(inferred.output, trained.output, 1e-6f, "output");
  testing::expect_close(inferred.h_n, trained.h_n, 1e-6f, "h_n");
  // A second inference call reuses the weights kept in oneDNN's layout.
  testing::expect_close(c.run().output, inferred.output, 0.0f, "output again");
}

TEST(RnnTanh, WithoutInitialStateStartsFromZeros) {
  testing::RnnCase c("rnn_uni_l2");
  ops::RnnResult given =
      ops::rnn_tanh(c.input, c.lengths, c.params, false, Tensor::zeros(c.h0.shape()));
  ops::RnnResult defaulted = ops::rnn_tanh(c.input, c.lengths, c.params, false);
  testing::expect_close(defaulted.output, given.output, 0.0f, "output");
  testing::expect_close(defaulted.h_n, given.h_n, 0.0f, "h_n");
}

TEST(RnnTanh, OneGateAndOneBias) {
  EXPECT_EQ(ops::rnn_gates(ops::RnnCell::tanh), 1);
  EXPECT_EQ(ops::rnn_bias_gates(ops::RnnCell::tanh), 1);
}

TEST(RnnTanh, RejectsCellStateAndOtherCellsWeights) {
  testing::RnnCase c("rnn_uni_l1");
  EXPECT_THROW(ops::rnn(ops::RnnCell::tanh, c.input, c.lengths, c.params, false, c.h0, c.h0),
               ShapeError);
  EXPECT_THROW(ops::rnn_tanh(c.input, {5, 3, 0, 4}, c.params, false), ShapeError);
  auto bad = c.params;
  bad[0].bias = Tensor::zeros({4 * c.h0.dim(2)});  // a GRU-sized bias
  EXPECT_THROW(ops::rnn_tanh(c.input, c.lengths, bad, false), ShapeError);
  testing::RnnCase g("gru_uni_l1");
  EXPECT_THROW(ops::rnn_tanh(g.input, g.lengths, g.params, false), ShapeError);
}

}  // namespace
}  // namespace recur
