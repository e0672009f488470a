// Training of small recurrent layers with several compute threads (framework/src/ops/rnn.cc):
// the rows are cut into one part per thread, each a pass of its own. Which passes are cut,
// and, for every cell, bidirectional two-layer layers over varied lengths with initial
// states: outputs, final states and every gradient as on one thread, where nothing is cut.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "recur/ops/threads.h"
#include "rnn_kernels.h"
#include "rnn_test_util.h"

namespace recur {
namespace {

using ops::detail::training_row_parts;
using testing::expect_close;
using testing::random_tensor;

TEST(RnnRowParts, SmallLayersAreCutIntoOnePartPerThread) {
  ops::ScopedNumThreads threads(2);
  EXPECT_EQ(training_row_parts({ops::RnnCell::lstm, 3, 32}, 32), 2);   // a forecaster
  EXPECT_EQ(training_row_parts({ops::RnnCell::gru, 64, 32}, 37), 2);
  EXPECT_EQ(training_row_parts({ops::RnnCell::lstm, 3, 32}, 15), 1);   // under 8 rows a part
  EXPECT_EQ(training_row_parts({ops::RnnCell::lstm, 256, 256}, 32), 1);  // oneDNN threads it itself
  ops::ScopedNumThreads one(1);
  EXPECT_EQ(training_row_parts({ops::RnnCell::lstm, 3, 32}, 32), 1);
}

struct Pass {
  ops::RnnResult result;
  std::vector<Tensor> grads;  // input, h0, (c0), then every parameter
};

class RnnRowParts : public ::testing::TestWithParam<ops::RnnCell> {};

TEST_P(RnnRowParts, TrainingOnTwoThreadsMatchesOneThread) {
  const ops::RnnCell cell = GetParam();
  const bool lstm = cell == ops::RnnCell::lstm;
  const std::int64_t batch = 37, steps = 9, input = 5, hidden = 12;
  std::mt19937 rng(3);
  std::vector<std::int64_t> lengths(batch);
  std::uniform_int_distribution<std::int64_t> length(1, steps);
  for (auto& l : lengths) l = length(rng);
  lengths[5] = steps;
  const auto params = testing::random_params(cell, input, hidden, 2, true, rng);
  const Tensor x = random_tensor({batch, steps, input}, rng), h0 = random_tensor({4, batch, hidden}, rng),
               c0 = random_tensor({4, batch, hidden}, rng);
  const Tensor r = random_tensor({batch, steps, 2 * hidden}, rng), s = random_tensor({4, batch, hidden}, rng),
               sc = random_tensor({4, batch, hidden}, rng);

  auto pass = [&](int threads) {
    ops::ScopedNumThreads scoped(threads);
    std::vector<Tensor> leaves{x.clone(), h0.clone()};
    if (lstm) leaves.push_back(c0.clone());
    std::vector<ops::RnnParams> p;
    for (const ops::RnnParams& q : params) p.push_back({q.w_ih.clone(), q.w_hh.clone(), q.bias.clone()});
    for (const ops::RnnParams& q : p) leaves.insert(leaves.end(), {q.w_ih, q.w_hh, q.bias});
    for (Tensor& t : leaves) t.set_requires_grad(true);
    Pass out;
    out.result = ops::rnn(cell, leaves[0], lengths, p, true, leaves[1], lstm ? leaves[2] : Tensor());
    std::vector<Tensor> xs{out.result.output, out.result.h_n}, ws{r, s};
    if (lstm) xs.push_back(out.result.c_n), ws.push_back(sc);
    testing::weighted_sum(xs, ws).backward();
    for (const Tensor& t : leaves) out.grads.push_back(t.grad());
    return out;
  };
  {
    ops::ScopedNumThreads two(2);
    ASSERT_EQ(training_row_parts({cell, 2 * hidden, hidden}, batch), 2);
  }
  const Pass one = pass(1), two = pass(2);
  expect_close(two.result.output, one.result.output, 1e-6f, "output");
  expect_close(two.result.h_n, one.result.h_n, 1e-6f, "h_n");
  if (lstm) expect_close(two.result.c_n, one.result.c_n, 1e-6f, "c_n");
  ASSERT_EQ(two.grads.size(), one.grads.size());
  for (std::size_t i = 0; i < one.grads.size(); ++i) {
    expect_close(two.grads[i], one.grads[i], 1e-5f, "gradient " + std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(Cells, RnnRowParts,
                         ::testing::Values(ops::RnnCell::lstm, ops::RnnCell::gru, ops::RnnCell::tanh));

}  // namespace
}  // namespace recur
