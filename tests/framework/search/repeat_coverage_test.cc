// The search options no_repeat_ngram (greedy, beam, sampling) and coverage_penalty
// (beam search's finished scores).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "recur/search/search.h"
#include "toy_decoder.h"

namespace recur::search {
namespace {

using testing::hashed_logit;
using testing::toy_memory;
using testing::ToyDecoder;

constexpr std::int64_t kEos = 2, kA = 3, kB = 4;

// A is always best, then B, then eos; every other token far behind.
float a_then_b(float, std::int64_t, std::int64_t, std::int64_t v) {
  return v == kA ? 5.0f : v == kB ? 4.0f : v == kEos ? 3.0f : -5.0f;
}

std::vector<Row> one_row(std::int64_t source_length = 10) { return {Row(source_length, 0)}; }

Options greedy_options(std::int64_t n) {
  Options o;
  o.beam_size = 1;
  o.no_repeat_ngram = n;
  return o;
}

bool repeats_an_ngram(const std::vector<std::int64_t>& ids, std::size_t n) {
  std::set<std::vector<std::int64_t>> seen;
  for (std::size_t i = 0; i + n <= ids.size(); ++i) {
    if (!seen.insert(std::vector<std::int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                               ids.begin() + static_cast<std::ptrdiff_t>(i + n)))
             .second) {
      return true;
    }
  }
  return false;
}

TEST(NoRepeatNgram, GreedyTakesTheBestTokenThatRepeatsNoNgram) {
  ToyDecoder dec(6, a_then_b);
  EXPECT_EQ(decode(dec, toy_memory({0}), one_row(), greedy_options(0))[0][0].ids,
            std::vector<std::int64_t>(25, kA));  // the maximum length
  EXPECT_EQ(decode(dec, toy_memory({0}), one_row(), greedy_options(1))[0][0].ids,
            (std::vector<std::int64_t>{kA, kB}));
  // A A (new), A A is taken: B; B A (new); after A, both A A and A B are taken: eos.
  auto out = decode(dec, toy_memory({0}), one_row(), greedy_options(2));
  EXPECT_EQ(out[0][0].ids, (std::vector<std::int64_t>{kA, kA, kB, kA}));
  // The log-prob sums the chosen tokens' log-probs as the decoder gave them.
  EXPECT_TRUE(std::isfinite(out[0][0].log_prob));
}

TEST(NoRepeatNgram, NoBeamHypothesisAndNoSampleRepeatsAnNgram) {
  for (std::int64_t n : {1, 2, 3}) {
    Options o;
    o.beam_size = 4;
    o.n_best = 4;
    o.no_repeat_ngram = n;
    o.max_length_cap = 30;
    ToyDecoder dec(8, hashed_logit);
    auto beams = decode(dec, toy_memory({0.25f, 0.5f}), {Row(20, 0), Row(20, 1)}, o);
    ASSERT_EQ(beams[1].size(), 4u);
    for (const auto& h : beams[1]) {
      EXPECT_FALSE(repeats_an_ngram(h.ids, static_cast<std::size_t>(n))) << "n = " << n;
    }
    Options s = greedy_options(n);
    s.sampling = true;
    s.max_length_cap = 30;
    for (std::uint64_t seed = 1; seed < 6; ++seed) {
      s.seed = seed;
      ToyDecoder sampler(8, hashed_logit);
      auto out = decode(sampler, toy_memory({0.25f}), one_row(20), s);
      EXPECT_FALSE(repeats_an_ngram(out[0][0].ids, static_cast<std::size_t>(n))) << "n = " << n;
    }
  }
}

// The toy decoder's attention row is [feature, step]: after k steps the coverage of a
// source of length 2 is [k * feature, 0 + 1 + ... + (k - 1)].
TEST(CoveragePenalty, IsAddedToFinishedScores) {
  Options o;
  o.beam_size = 3;
  o.n_best = 3;
  o.coverage_penalty = 0.5f;
  ToyDecoder dec(8, hashed_logit);
  auto out = decode(dec, toy_memory({0.25f}), one_row(2), o);
  ASSERT_FALSE(out[0].empty());
  for (std::size_t i = 0; i < out[0].size(); ++i) {
    const Hypothesis& h = out[0][i];
    const auto k = static_cast<float>(h.ids.size() + 1);  // steps, eos included
    auto term = [](float c) { return std::log(std::max(std::min(c, 1.0f), kCoverageFloor)); };
    const float want =
        h.log_prob / length_penalty(static_cast<std::int64_t>(h.ids.size()) + 1, o.length_penalty) +
        0.5f * (term(0.25f * k) + term(k * (k - 1) / 2));
    EXPECT_NEAR(h.score, want, 1e-5f) << "hypothesis " << i;
    if (i > 0) {
      EXPECT_GE(out[0][i - 1].score, h.score);
    }
  }
}

TEST(CoveragePenalty, CheckNamesTheKeys) {
  Options o;
  o.no_repeat_ngram = -1;
  EXPECT_EQ(check(o)->key, "no_repeat_ngram");
  o = Options{};
  o.coverage_penalty = -0.5f;
  EXPECT_EQ(check(o)->key, "coverage_penalty");
  EXPECT_EQ(check(o)->message, "expected a number >= 0 (0: off), got -0.5");
}

}  // namespace
}  // namespace recur::search
