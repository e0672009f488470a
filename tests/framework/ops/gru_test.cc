// recur::ops::gru against PyTorch fixtures, finite differences and bad arguments.
#include <gtest/gtest.h>

#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::check_against_fixture;

class GruFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(GruFixture, MatchesTorchPackedSequences) { check_against_fixture(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Torch, GruFixture,
                         ::testing::Values("gru_uni_l1", "gru_uni_l2", "gru_bi_l1",
                                           "gru_bi_l2", "gru_bi_l2_h32"));

TEST(Gru, FiniteDifferencesBidirectionalTwoLayers) {
  std::mt19937 rng(11);
  const std::vector<std::int64_t> lengths{2, 4, 3};  // three segments
  auto params = testing::random_params(ops::RnnCell::gru, 3, 2, 2, true, rng);
  std::vector<Tensor> inputs{testing::random_tensor({3, 4, 3}, rng),
                             testing::random_tensor({4, 3, 2}, rng)};
  for (const auto& p : params) inputs.insert(inputs.end(), {p.w_ih, p.w_hh, p.bias});
  Tensor r = testing::random_tensor({3, 4, 4}, rng), s = testing::random_tensor({4, 3, 2}, rng);
  testing::check_gradients(
      [&](const std::vector<Tensor>& x) {
        std::vector<ops::RnnParams> p;
        for (std::size_t i = 2; i < x.size(); i += 3) p.push_back({x[i], x[i + 1], x[i + 2]});
        ops::RnnResult out = ops::gru(x[0], lengths, p, true, x[1]);
        EXPECT_FALSE(out.c_n.defined());
        return testing::weighted_sum({out.output, out.h_n}, {r, s});
      },
      inputs);
}

TEST(Gru, InferenceModeMatchesTrainingMode) {
  testing::RnnCase c("gru_bi_l2");
  c.h0.set_requires_grad(true);
  ops::RnnResult trained = c.run();
  autograd::NoGradGuard no_grad;
  ops::RnnResult inferred = c.run();
  testing::expect_close(inferred.output, trained.output, 1e-6f, "output");
  testing::expect_close(inferred.h_n, trained.h_n, 1e-6f, "h_n");
}

TEST(Gru, RejectsCellStateAndLstmShapedWeights) {
  testing::RnnCase c("gru_uni_l1");
  EXPECT_THROW(ops::rnn(ops::RnnCell::gru, c.input, c.lengths, c.params, false, c.h0, c.h0),
               ShapeError);
  testing::RnnCase l("lstm_uni_l1");
  EXPECT_THROW(ops::gru(l.input, l.lengths, l.params, false), ShapeError);
}

}  // namespace
}  // namespace recur
