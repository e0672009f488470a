// recur::ops::lstm against PyTorch fixtures, finite differences and bad arguments.
#include <gtest/gtest.h>

#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::check_against_fixture;

class LstmFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(LstmFixture, MatchesTorchPackedSequences) { check_against_fixture(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Torch, LstmFixture,
                         ::testing::Values("lstm_uni_l1", "lstm_uni_l2", "lstm_bi_l1",
                                           "lstm_bi_l2", "lstm_uni_l1_h16", "lstm_bi_l2_h32"));

TEST(Lstm, FiniteDifferencesBidirectionalTwoLayers) {
  std::mt19937 rng(7);
  const std::vector<std::int64_t> lengths{3, 1, 2};  // three segments
  auto params = testing::random_params(ops::RnnCell::lstm, 2, 2, 2, true, rng);
  std::vector<Tensor> inputs{testing::random_tensor({3, 3, 2}, rng),
                             testing::random_tensor({4, 3, 2}, rng),
                             testing::random_tensor({4, 3, 2}, rng)};
  for (const auto& p : params) inputs.insert(inputs.end(), {p.w_ih, p.w_hh, p.bias});
  Tensor r = testing::random_tensor({3, 3, 4}, rng), s = testing::random_tensor({4, 3, 2}, rng),
         sc = testing::random_tensor({4, 3, 2}, rng);
  testing::check_gradients(
      [&](const std::vector<Tensor>& x) {
        std::vector<ops::RnnParams> p;
        for (std::size_t i = 3; i < x.size(); i += 3) p.push_back({x[i], x[i + 1], x[i + 2]});
        ops::RnnResult out = ops::lstm(x[0], lengths, p, true, x[1], x[2]);
        return testing::weighted_sum({out.output, out.h_n, out.c_n}, {r, s, sc});
      },
      inputs);
}

TEST(Lstm, InferenceModeMatchesTrainingMode) {
  testing::RnnCase c("lstm_bi_l2");
  c.input.set_requires_grad(true);
  ops::RnnResult trained = c.run();
  autograd::NoGradGuard no_grad;
  ops::RnnResult inferred = c.run();
  EXPECT_FALSE(inferred.output.requires_grad());
  testing::expect_close(inferred.output, trained.output, 1e-6f, "output");
  testing::expect_close(inferred.c_n, trained.c_n, 1e-6f, "c_n");
}

TEST(Lstm, WithoutInitialStatesStartsFromZeros) {
  testing::RnnCase c("lstm_uni_l2");
  ops::RnnResult given = ops::lstm(c.input, c.lengths, c.params, false,
                                   Tensor::zeros(c.h0.shape()), Tensor::zeros(c.c0.shape()));
  ops::RnnResult defaulted = ops::lstm(c.input, c.lengths, c.params, false);
  testing::expect_close(defaulted.output, given.output, 0.0f, "output");
  testing::expect_close(defaulted.h_n, given.h_n, 0.0f, "h_n");
}

TEST(Lstm, RejectsBadArguments) {
  testing::RnnCase c("lstm_uni_l1");
  EXPECT_THROW(ops::lstm(c.input, {5, 3, 1}, c.params, false), ShapeError);
  EXPECT_THROW(ops::lstm(c.input, {5, 3, 0, 4}, c.params, false), ShapeError);
  EXPECT_THROW(ops::lstm(c.input, {5, 3, 6, 4}, c.params, false), ShapeError);
  EXPECT_THROW(ops::lstm(c.input, c.lengths, c.params, true), ShapeError);  // 1 set, D = 2
  EXPECT_THROW(ops::lstm(c.input.view({4, 5, c.input.dim(2), 1}), c.lengths, c.params, false),
               ShapeError);
  auto bad = c.params;
  bad[0].bias = Tensor::zeros({3});
  EXPECT_THROW(ops::lstm(c.input, c.lengths, bad, false), ShapeError);
  EXPECT_THROW(ops::lstm(c.input, c.lengths, c.params, false, Tensor::zeros({1, 4, 7})),
               ShapeError);
}

}  // namespace
}  // namespace recur
