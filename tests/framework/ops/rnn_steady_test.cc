// Inference runs on steady shapes (framework/src/ops/rnn_plan.h): segments computed over
// padded rows and cut into power-of-two chunks. Against training mode, which runs each
// segment once over its exact rows, for every cell, on batches whose row counts and
// lengths exercise the padding (rows 9..64 round up to multiples of 8) and the chunks
// (lengths that are not powers of two), with and without initial states; and an
// inference pass that returns the final states only (ops::RnnReturns::states); and
// segments long and wide enough that the chunks are capped (rnn_kernels.cc), on oneDNN.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "recur/core/steady_shapes.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "on_onednn.h"
#include "rnn_plan.h"
#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::expect_close;
using testing::random_tensor;

TEST(SteadyPlan, BuffersHoldEveryPaddedRowOnce) {
  const std::vector<std::int64_t> lengths{7, 3, 7, 1, 5, 7, 2, 6, 4, 7, 3};
  auto plan = ops::detail::make_rnn_plan(11, 7, lengths, true);
  std::int64_t rows = 0;
  for (const auto& seg : plan.segments) {
    EXPECT_EQ(seg.padded, steady_rows(seg.rows));
    for (std::int64_t t = seg.begin; t < seg.end; ++t) {
      EXPECT_EQ(plan.step_row[static_cast<std::size_t>(t)], rows);
      rows += seg.padded;
    }
  }
  EXPECT_EQ(plan.buffer_rows, rows);
  EXPECT_EQ(plan.state_rows, 16);
  auto exact = ops::detail::make_rnn_plan(11, 7, lengths, false);
  EXPECT_EQ(exact.state_rows, 11);
  std::int64_t real = 0;
  for (std::int64_t len : lengths) real += len;
  EXPECT_EQ(exact.buffer_rows, real);  // exact plans hold real positions only
}

class SteadyShapes : public ::testing::TestWithParam<ops::RnnCell> {};

TEST_P(SteadyShapes, InferenceMatchesTrainingMode) {
  const ops::RnnCell cell = GetParam();
  const bool lstm = cell == ops::RnnCell::lstm;
  std::mt19937 rng(11);
  for (std::int64_t batch : {1, 5, 13, 37}) {
    for (bool with_states : {false, true}) {
      std::uniform_int_distribution<std::int64_t> length(1, 23);
      std::vector<std::int64_t> lengths(static_cast<std::size_t>(batch));
      for (auto& l : lengths) l = length(rng);
      lengths[0] = 23;
      const std::int64_t input = 6, hidden = 5, steps = 23;
      auto params = testing::random_params(cell, input, hidden, 2, true, rng);
      Tensor x = random_tensor({batch, steps, input}, rng);
      Tensor h0 = with_states ? random_tensor({4, batch, hidden}, rng) : Tensor();
      Tensor c0 = with_states && lstm ? random_tensor({4, batch, hidden}, rng) : Tensor();
      x.set_requires_grad(true);
      ops::RnnResult trained = ops::rnn(cell, x, lengths, params, true, h0, c0);
      // A pass that records gradients returns its output whatever it is asked.
      EXPECT_TRUE(ops::rnn(cell, x, lengths, params, true, h0, c0, ops::RnnReturns::states).output.defined());
      autograd::NoGradGuard no_grad;
      const int threads = ops::num_threads();
      for (int t : {1, 2}) {  // 2: the two directions run at once, a thread each
        ops::set_num_threads(t);
        ops::RnnResult inferred = ops::rnn(cell, x, lengths, params, true, h0, c0);
        const std::string what = "batch " + std::to_string(batch) + (with_states ? " with states" : "") +
                                 ", " + std::to_string(t) + " thread(s)";
        expect_close(inferred.output, trained.output, 1e-5f, what + " output");
        expect_close(inferred.h_n, trained.h_n, 1e-5f, what + " h_n");
        if (lstm) expect_close(inferred.c_n, trained.c_n, 1e-5f, what + " c_n");
        // States only: the same states, no output written.
        ops::RnnResult states = ops::rnn(cell, x, lengths, params, true, h0, c0, ops::RnnReturns::states);
        EXPECT_FALSE(states.output.defined()) << what;
        expect_close(states.h_n, inferred.h_n, 0.0f, what + " states-only h_n");
        if (lstm) expect_close(states.c_n, inferred.c_n, 0.0f, what + " states-only c_n");
      }
      ops::set_num_threads(threads);
    }
  }
}

// A steady call holds at most 2^17 hidden values (rows x steps x hidden), whatever its
// segment: 30 rows (32 computed) of hidden 96 run at most 32 steps a call, so their last
// 62 steps go as 32 + 16 + 8 + 4 + 2 with the state carried between calls. On oneDNN's
// primitives, which are what the cap is for.
TEST_P(SteadyShapes, CappedChunksMatchTrainingMode) {
  const ops::RnnCell cell = GetParam();
  testing::OnOneDnn on_onednn;
  std::mt19937 rng(5);
  const std::int64_t batch = 37, input = 8, hidden = 96, steps = 70;
  std::vector<std::int64_t> lengths(static_cast<std::size_t>(batch), steps);
  for (std::size_t i = 30; i < lengths.size(); ++i) lengths[i] = static_cast<std::int64_t>(i) - 28;  // 2..8
  // PyTorch's scale: a layer that is not chaotic over 70 steps.
  auto params = testing::random_params(cell, input, hidden, 1, false, rng, testing::torch_scale(hidden));
  Tensor x = random_tensor({batch, steps, input}, rng);
  x.set_requires_grad(true);
  ops::RnnResult trained = ops::rnn(cell, x, lengths, params, false, Tensor(), Tensor());
  autograd::NoGradGuard no_grad;
  ops::RnnResult inferred = ops::rnn(cell, x, lengths, params, false, Tensor(), Tensor());
  expect_close(inferred.output, trained.output, 1e-5f, "output");
  expect_close(inferred.h_n, trained.h_n, 1e-5f, "h_n");
  if (cell == ops::RnnCell::lstm) expect_close(inferred.c_n, trained.c_n, 1e-5f, "c_n");
}

INSTANTIATE_TEST_SUITE_P(Cells, SteadyShapes,
                         ::testing::Values(ops::RnnCell::lstm, ops::RnnCell::gru, ops::RnnCell::tanh));

}  // namespace
}  // namespace recur
