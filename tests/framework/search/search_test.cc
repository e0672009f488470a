#include "recur/search/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "framework/search/toy_decoder.h"
#include "recur/core/steady_shapes.h"
#include "recur/ops/threads.h"

namespace recur::search {
namespace {

using testing::hashed_logit;
using testing::toy_memory;
using testing::ToyDecoder;

constexpr std::int64_t kEos = 2;
constexpr std::int64_t kA = 3;
constexpr std::int64_t kB = 4;

std::vector<Row> rows_of(std::size_t n, std::int64_t source_length = 10) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < n; ++i) rows.push_back({source_length, i, {}});
  return rows;
}

// Step 0: A 0.6, B 0.4. After A: eos 0.35, A 0.33, B 0.32. After B: eos 0.9, A 0.1.
// Greedy takes A then eos (p = 0.21); a beam of 2 finds B eos (p = 0.36).
float trap_logit(float, std::int64_t, std::int64_t prev, std::int64_t v) {
  auto lg = [](double p) { return static_cast<float>(std::log(p)); };
  const float tiny = lg(1e-9);
  if (prev == 1) return v == kA ? lg(0.6) : v == kB ? lg(0.4) : tiny;
  if (prev == kA) return v == kEos ? lg(0.35) : v == kA ? lg(0.33) : v == kB ? lg(0.32) : tiny;
  return v == kEos ? lg(0.9) : v == kA ? lg(0.1) : tiny;
}

TEST(Search, GreedyFollowsArgmaxAndStopsAtEos) {
  ToyDecoder dec(6, [](float, std::int64_t step, std::int64_t, std::int64_t v) {
    std::int64_t want = step < 3 ? step + 3 : kEos;
    return v == want ? 5.0f : 0.0f;
  });
  Options o;
  o.beam_size = 1;
  auto out = decode(dec, toy_memory({0.5f}), rows_of(1), o);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0][0].ids, (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_LT(out[0][0].log_prob, 0.0f);
}

TEST(Search, BeamFindsWhatGreedyMisses) {
  Options o;
  o.length_penalty = 0;
  o.beam_size = 1;
  ToyDecoder g(6, trap_logit);
  auto greedy = decode(g, toy_memory({0}), rows_of(1), o);
  EXPECT_EQ(greedy[0][0].ids, (std::vector<std::int64_t>{kA}));
  EXPECT_NEAR(greedy[0][0].log_prob, std::log(0.21), 1e-4);

  o.beam_size = 2;
  ToyDecoder b(6, trap_logit);
  auto beam = decode(b, toy_memory({0}), rows_of(1), o);
  EXPECT_EQ(beam[0][0].ids, (std::vector<std::int64_t>{kB}));
  EXPECT_NEAR(beam[0][0].log_prob, std::log(0.36), 1e-4);
}

TEST(Search, NBestIsSortedAndScoredWithLengthPenalty) {
  Options o;
  o.beam_size = 5;
  o.n_best = 3;
  o.length_penalty = 0.6f;
  ToyDecoder dec(12, hashed_logit);
  auto out = decode(dec, toy_memory({0.3f}), rows_of(1, 6), o);
  ASSERT_EQ(out[0].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& h = out[0][i];
    EXPECT_FLOAT_EQ(h.score, h.log_prob / length_penalty(static_cast<std::int64_t>(h.ids.size()) + 1, 0.6f));
    if (i) {
      EXPECT_GE(out[0][i - 1].score, h.score);
    }
  }
  EXPECT_NE(out[0][0].ids, out[0][1].ids);
}

TEST(Search, BatchInvariance) {
  const std::vector<float> features{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
  for (std::int64_t beam : {1, 4}) {
    Options o;
    o.beam_size = beam;
    o.n_best = beam;
    std::vector<Row> rows;
    for (std::size_t i = 0; i < features.size(); ++i) rows.push_back({static_cast<std::int64_t>(i % 4 + 2), i, {}});
    ToyDecoder all(20, hashed_logit);
    auto together = decode(all, toy_memory(features), rows, o);
    for (std::size_t i = 0; i < features.size(); ++i) {
      ToyDecoder one(20, hashed_logit);
      auto alone = decode(one, toy_memory({features[i]}), {rows[i]}, o);
      ASSERT_EQ(alone[0].size(), together[i].size()) << "row " << i << " beam " << beam;
      for (std::size_t k = 0; k < alone[0].size(); ++k) {
        EXPECT_EQ(alone[0][k].ids, together[i][k].ids) << "row " << i << " beam " << beam;
        EXPECT_EQ(alone[0][k].score, together[i][k].score);
      }
    }
  }
}

// Records the rows of every step's batch.
class RecordingDecoder : public ToyDecoder {
 public:
  using ToyDecoder::ToyDecoder;
  StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev) override {
    rows.push_back(state.batch_size());
    threads.push_back(ops::num_threads());
    return ToyDecoder::step(state, prev);
  }
  std::vector<std::int64_t> rows;
  std::vector<int> threads;  // compute threads during each step
};

TEST(Search, GreedyBatchesShrinkThroughSteadySizes) {
  // Row i stops after i + 1 tokens (its maximum length): 20 rows, one fewer every step.
  RecordingDecoder dec(6, [](float, std::int64_t, std::int64_t, std::int64_t v) { return v == kEos ? -20.0f : 0.0f; });
  Options o;
  o.beam_size = 1;
  o.max_length_a = 1.0f;
  o.max_length_b = 0;
  std::vector<Row> rows;
  std::vector<float> features;
  for (std::size_t i = 0; i < 20; ++i) {
    rows.push_back({static_cast<std::int64_t>(i) + 1, i, {}});
    features.push_back(0.05f * static_cast<float>(i));
  }
  auto out = decode(dec, toy_memory(features), rows, o);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(out[i][0].ids.size(), i + 1);
  // Steps: the batch's 20 rows (the first batch is never padded) until the running ones
  // (20 - t at step t) fit a smaller steady size, then steady sizes.
  ASSERT_EQ(dec.rows.size(), 20u);
  EXPECT_EQ(dec.rows[0], 20);
  for (std::size_t t = 1; t < dec.rows.size(); ++t) {
    const std::int64_t running = 20 - static_cast<std::int64_t>(t);
    EXPECT_LE(dec.rows[t], dec.rows[t - 1]) << "step " << t;
    EXPECT_GE(dec.rows[t], running) << "step " << t;
    if (dec.rows[t] < 20) EXPECT_EQ(steady_rows(dec.rows[t]), dec.rows[t]) << "step " << t;
    if (steady_rows(running) < dec.rows[t - 1]) EXPECT_EQ(dec.rows[t], steady_rows(running)) << "step " << t;
  }
  EXPECT_EQ(dec.rows[4], 16);  // 16 running
  EXPECT_EQ(dec.rows[5], 16);  // 15 running: the finished row stays
  EXPECT_EQ(dec.rows[12], 8);  // 8 running
  EXPECT_EQ(dec.rows[19], 1);
}

TEST(Search, BeamBatchesHaveSteadySizes) {
  for (std::int64_t k : {3, 5}) {
    RecordingDecoder dec(20, hashed_logit);
    Options o;
    o.beam_size = k;
    std::vector<Row> rows;
    std::vector<float> features;
    for (std::size_t i = 0; i < 11; ++i) {
      rows.push_back({static_cast<std::int64_t>(i % 5) + 2, i, {}});
      features.push_back(0.07f * static_cast<float>(i));
    }
    decode(dec, toy_memory(features), rows, o);
    ASSERT_GT(dec.rows.size(), 2u);
    EXPECT_EQ(dec.rows[0], 11);  // one hypothesis per source
    for (std::size_t t = 1; t < dec.rows.size(); ++t) {
      EXPECT_EQ(steady_rows(dec.rows[t]), dec.rows[t]) << "beam " << k << " step " << t;
    }
  }
}

TEST(Search, FewHypothesesRunOnOneComputeThread) {
  const int threads = ops::num_threads();
  ops::set_num_threads(2);
  for (std::size_t sources : {1u, 2u, 9u}) {
    for (std::int64_t beam : {1, 4}) {
      RecordingDecoder dec(20, hashed_logit);
      Options o;
      o.beam_size = beam;
      std::vector<float> features(sources, 0.5f);
      decode(dec, toy_memory(features), rows_of(sources, 4), o);
      const int want = static_cast<std::int64_t>(sources) * beam <= 8 ? 1 : 2;
      for (int t : dec.threads) EXPECT_EQ(t, want) << sources << " sources, beam " << beam;
      EXPECT_EQ(ops::num_threads(), 2);  // restored
    }
  }
  ops::set_num_threads(threads);
}

TEST(Search, MaximumLengthIsASourceFunction) {
  ToyDecoder dec(6, [](float, std::int64_t, std::int64_t, std::int64_t v) { return v == kEos ? -20.0f : 0.0f; });
  for (std::int64_t beam : {1, 3}) {
    Options o;
    o.beam_size = beam;
    o.max_length_a = 2.0f;
    o.max_length_b = 1;
    auto out = decode(dec, toy_memory({0.1f, 0.2f}), {{1, 0, {}}, {3, 1, {}}}, o);
    EXPECT_EQ(out[0][0].ids.size(), 3u);
    EXPECT_EQ(out[1][0].ids.size(), 7u);
  }
}

TEST(Search, AttentionIsReturnedPerStep) {
  ToyDecoder dec(6, [](float, std::int64_t step, std::int64_t, std::int64_t v) {
    return v == (step < 2 ? kA : kEos) ? 5.0f : 0.0f;
  });
  for (std::int64_t beam : {1, 2}) {
    Options o;
    o.beam_size = beam;
    o.return_attention = true;
    auto out = decode(dec, toy_memory({0.25f}), rows_of(1), o);
    const auto& h = out[0][0];
    ASSERT_EQ(h.ids.size(), 2u);
    ASSERT_EQ(h.attention.size(), 3u);  // two tokens and eos
    for (std::size_t t = 0; t < 3; ++t) {
      EXPECT_EQ(h.attention[t][0], 0.25f);
      EXPECT_EQ(h.attention[t][1], static_cast<float>(t));
    }
  }
}

TEST(Search, RejectsBadOptions) {
  ToyDecoder dec(6, hashed_logit);
  Options o;
  o.beam_size = 2;
  o.n_best = 3;
  EXPECT_THROW(decode(dec, toy_memory({0.1f}), rows_of(1), o), Error);
  o.n_best = 1;
  o.sampling = true;
  EXPECT_THROW(decode(dec, toy_memory({0.1f}), rows_of(1), o), ConfigError);
  o = Options{};
  o.beam_size = kMaxBeamSize + 1;
  EXPECT_THROW(decode(dec, toy_memory({0.1f}), rows_of(1), o), ConfigError);
  o = Options{};
  EXPECT_THROW(decode(dec, toy_memory({0.1f, 0.2f}), rows_of(1), o), ShapeError);
}

// A prompt: the prefix is fed after bos and excluded from the hypothesis, which goes on
// exactly as decoding does after feeding the same tokens by hand. A decoder-only model:
// the memory is empty and the rows give the batch size.
TEST(Search, APrefixIsForcedThenContinuedAsByHand) {
  const std::vector<std::int64_t> prefix{5, 7, 11};
  Options o;
  o.beam_size = 1;
  o.max_length_b = 6;
  ToyDecoder dec(20, hashed_logit);
  auto out = decode(dec, Memory{}, {{0, 0, prefix}}, o);

  ToyDecoder hand(20, hashed_logit);
  auto state = hand.init(Memory{}, 1);
  hand.step(*state, {o.bos_id});
  for (std::size_t i = 0; i + 1 < prefix.size(); ++i) hand.step(*state, {prefix[i]});
  std::vector<std::int64_t> want;
  float log_prob = 0;
  std::int64_t prev = prefix.back();
  while (static_cast<std::int64_t>(want.size()) < o.max_length_b) {
    StepOutput s = hand.step(*state, {prev});
    const float* lp = s.log_probs.data<float>();
    prev = std::max_element(lp, lp + 20) - lp;
    log_prob += lp[prev];
    if (prev == o.eos_id) break;
    want.push_back(prev);
  }
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(out[0][0].ids, want);
  EXPECT_FLOAT_EQ(out[0][0].log_prob, log_prob);
}

// With logits that ignore the step, a prefix [p] continues as decoding from bos = p: for
// beam search too, and whatever else is in the batch.
TEST(Search, BeamContinuesAPrefixAsFromThatToken) {
  auto no_step = [](float f, std::int64_t, std::int64_t prev, std::int64_t v) { return hashed_logit(f, 0, prev, v); };
  for (std::int64_t beam : {1, 4}) {
    Options o;
    o.beam_size = beam;
    o.n_best = beam;
    const std::vector<float> features{0.1f, 0.2f, 0.3f};
    ToyDecoder dec(20, no_step);
    auto batch = decode(dec, toy_memory(features),
                        {{5, 0, {}}, {5, 1, {9}}, {5, 2, {4, 6, 8, 9}}}, o);
    for (std::size_t row : {1u, 2u}) {
      Options from = o;
      from.bos_id = 9;
      ToyDecoder alone(20, no_step);
      auto want = decode(alone, toy_memory({features[row]}), {{5, 0, {}}}, from);
      ASSERT_EQ(batch[row].size(), want[0].size()) << "beam " << beam << " row " << row;
      for (std::size_t k = 0; k < want[0].size(); ++k) {
        EXPECT_EQ(batch[row][k].ids, want[0][k].ids) << "beam " << beam << " row " << row;
        EXPECT_EQ(batch[row][k].score, want[0][k].score);
      }
    }
    ToyDecoder plain(20, no_step);
    auto first = decode(plain, toy_memory({0.1f}), {{5, 0, {}}}, o);
    EXPECT_EQ(batch[0][0].ids, first[0][0].ids) << "a row without prefix is unaffected";
  }
}

TEST(Search, AnEmptyMemoryTakesTheBatchFromTheRows) {
  for (std::int64_t beam : {1, 3}) {
    Options o;
    o.beam_size = beam;
    ToyDecoder dec(20, hashed_logit);
    auto out = decode(dec, Memory{}, rows_of(3), o);
    ASSERT_EQ(out.size(), 3u);
    ToyDecoder zero(20, hashed_logit);
    auto want = decode(zero, toy_memory({0, 0, 0}), rows_of(3), o);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(out[i][0].ids, want[i][0].ids);
  }
}

}  // namespace
}  // namespace recur::search
