// next_token_candidates: the top-k of each chosen step, by teacher forcing, agree with
// what search saw at that step (a toy decoder whose forward() replays step()).
#include "recur/search/confidence.h"

#include <gtest/gtest.h>

#include <cmath>

#include "recur/search/search.h"
#include "toy_decoder.h"

namespace recur::testing {
namespace {

// forward() feeds tgt_in column by column through step(): what every real decoder
// guarantees (forward agrees exactly with step under teacher forcing).
class ReplayDecoder : public ToyDecoder {
 public:
  using ToyDecoder::ToyDecoder;
  Tensor forward(const Memory& memory, const Tensor& tgt_in) override {
    const std::int64_t b = tgt_in.dim(0), t = tgt_in.dim(1), v = vocab_size();
    auto state = init(memory, b);
    Tensor out = Tensor::zeros({b, t, v});
    for (std::int64_t s = 0; s < t; ++s) {
      std::vector<std::int64_t> prev;
      for (std::int64_t r = 0; r < b; ++r) prev.push_back(tgt_in.data<std::int64_t>()[r * t + s]);
      const Tensor lp = step(*state, prev).log_probs;
      for (std::int64_t r = 0; r < b; ++r) {
        std::copy(lp.data<float>() + r * v, lp.data<float>() + (r + 1) * v, out.data<float>() + (r * t + s) * v);
      }
    }
    return out;
  }
};

TEST(NextTokenCandidates, GreedyChoicesAreTheTopCandidateWithTheirProbability) {
  ReplayDecoder decoder(9, &hashed_logit);
  search::Options o;
  o.beam_size = 1;
  o.max_length_a = 0;
  o.max_length_b = 6;
  const Memory memory = toy_memory({0.25f, 0.5f, 0.75f});
  const std::vector<search::Row> rows{{2, 1}, {2, 2}, {2, 3}};
  const auto results = search::decode(decoder, memory, rows, o);
  std::vector<std::vector<std::int64_t>> chosen;
  for (const auto& r : results) chosen.push_back(r.front().ids);
  const auto steps = search::next_token_candidates(decoder, memory, {{}, {}, {}}, chosen, o.bos_id, 3);
  ASSERT_EQ(steps.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r) {
    const search::Hypothesis& h = results[r].front();
    ASSERT_EQ(steps[r].size(), h.ids.size() + 1) << r;
    double log_prob = 0;
    for (std::size_t s = 0; s < h.ids.size(); ++s) {
      ASSERT_EQ(steps[r][s].size(), 3u);
      EXPECT_EQ(steps[r][s][0].id, h.ids[s]) << "row " << r << " step " << s;
      EXPECT_GE(steps[r][s][0].probability, steps[r][s][1].probability);
      EXPECT_GE(steps[r][s][1].probability, steps[r][s][2].probability);
      log_prob += std::log(steps[r][s][0].probability);
    }
    // Search's log-prob adds eos when it stopped there: the last step's top candidate.
    const bool stopped = static_cast<std::int64_t>(h.ids.size()) < o.max_length_b;
    if (stopped) {
      EXPECT_EQ(steps[r].back()[0].id, o.eos_id);
      log_prob += std::log(steps[r].back()[0].probability);
    }
    EXPECT_NEAR(log_prob, h.log_prob, 1e-4) << r;
  }
}

TEST(NextTokenCandidates, APrefixIsFedButNotReported) {
  ReplayDecoder decoder(7, &hashed_logit);
  search::Options o;
  o.beam_size = 1;
  o.max_length_a = 0;
  o.max_length_b = 4;
  o.stop_at_eos = false;
  const std::vector<std::int64_t> prompt{4, 5, 6};
  const auto results = search::decode(decoder, Memory{}, {search::Row(0, 1, prompt)}, o);
  const std::vector<std::int64_t>& ids = results[0].front().ids;
  ASSERT_EQ(ids.size(), 4u);
  const auto steps = search::next_token_candidates(decoder, Memory{}, {prompt}, {ids}, o.bos_id, 2);
  ASSERT_EQ(steps[0].size(), 5u);
  for (std::size_t s = 0; s < ids.size(); ++s) EXPECT_EQ(steps[0][s][0].id, ids[s]) << s;
}

TEST(NextTokenCandidates, RefusesMismatchedRowsAndKBelowOne) {
  ReplayDecoder decoder(5, &hashed_logit);
  EXPECT_THROW(search::next_token_candidates(decoder, Memory{}, {{}}, {{1}, {2}}, 1, 2), ShapeError);
  EXPECT_THROW(search::next_token_candidates(decoder, Memory{}, {{}}, {{1}}, 1, 0), Error);
}

}  // namespace
}  // namespace recur::testing
