// Sampling as a strategy of its own: seeded per (seed, row key), the same for any batch;
// top_k 1 and a tiny top_p are greedy; the first token's frequencies follow
// softmax(logits / T), cut to the top-k and to the nucleus.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "framework/search/toy_decoder.h"
#include "recur/search/search.h"

namespace recur::search {
namespace {

using testing::hashed_logit;
using testing::toy_memory;
using testing::ToyDecoder;

Options sampling(std::uint64_t seed = 42) {
  Options o;
  o.beam_size = 1;
  o.sampling = true;
  o.seed = seed;
  return o;
}

std::vector<Row> keyed_rows(const std::vector<std::uint64_t>& keys) {
  std::vector<Row> rows;
  for (std::uint64_t k : keys) rows.push_back({10, k, {}});
  return rows;
}

std::vector<std::vector<std::int64_t>> ids_of(const std::vector<std::vector<Hypothesis>>& out) {
  std::vector<std::vector<std::int64_t>> ids;
  for (const auto& h : out) ids.push_back(h.at(0).ids);
  return ids;
}

TEST(Sampling, AFixedSeedGivesTheSameOutputTwiceAndInAnyBatch) {
  const std::vector<float> features{0.1f, 0.2f, 0.3f, 0.4f};
  const Options o = sampling();
  ToyDecoder d1(20, hashed_logit), d2(20, hashed_logit);
  auto a = ids_of(decode(d1, toy_memory(features), keyed_rows({0, 1, 2, 3}), o));
  auto b = ids_of(decode(d2, toy_memory(features), keyed_rows({0, 1, 2, 3}), o));
  EXPECT_EQ(a, b);

  // Row keys, not positions, seed the draws: alone, or in another order and company.
  for (std::size_t i = 0; i < features.size(); ++i) {
    ToyDecoder one(20, hashed_logit);
    EXPECT_EQ(ids_of(decode(one, toy_memory({features[i]}), keyed_rows({i}), o))[0], a[i]) << i;
  }
  ToyDecoder d3(20, hashed_logit);
  auto c = ids_of(decode(d3, toy_memory({0.4f, 0.9f, 0.2f}), keyed_rows({3, 7, 1}), o));
  EXPECT_EQ(c[0], a[3]);
  EXPECT_EQ(c[2], a[1]);

  ToyDecoder d4(20, hashed_logit);
  auto other_seed = ids_of(decode(d4, toy_memory(features), keyed_rows({0, 1, 2, 3}), sampling(43)));
  EXPECT_NE(other_seed, a);
}

TEST(Sampling, TopKOneAndATinyTopPAreGreedy) {
  const std::vector<float> features{0.1f, 0.2f, 0.5f};
  Options greedy;
  greedy.beam_size = 1;
  ToyDecoder g(20, hashed_logit);
  auto want = ids_of(decode(g, toy_memory(features), keyed_rows({0, 1, 2}), greedy));

  Options top1 = sampling();
  top1.top_k = 1;
  top1.temperature = 3.0f;
  ToyDecoder d1(20, hashed_logit);
  EXPECT_EQ(ids_of(decode(d1, toy_memory(features), keyed_rows({0, 1, 2}), top1)), want);

  Options nucleus = sampling();
  nucleus.top_p = 1e-6f;
  ToyDecoder d2(20, hashed_logit);
  EXPECT_EQ(ids_of(decode(d2, toy_memory(features), keyed_rows({0, 1, 2}), nucleus)), want);
}

// A decoder whose first step has fixed logits; every row stops after one token.
constexpr std::int64_t kVocab = 6, kEos = 2;
const std::vector<float> kLogits{-1.0f, 0.5f, 0.2f, 1.0f, -0.3f, 0.7f};

// Empirical frequency of each first token over `n` rows (eos counts as token 2).
std::vector<double> first_token_frequencies(const Options& o, std::int64_t n) {
  ToyDecoder dec(kVocab, [](float, std::int64_t, std::int64_t, std::int64_t v) {
    return kLogits[static_cast<std::size_t>(v)];
  });
  std::vector<std::uint64_t> keys(static_cast<std::size_t>(n));
  std::iota(keys.begin(), keys.end(), 0);
  Options one = o;
  one.max_length_a = 0;
  one.max_length_b = 1;
  auto out = decode(dec, toy_memory(std::vector<float>(keys.size(), 0.0f)), keyed_rows(keys), one);
  std::vector<double> freq(kVocab, 0.0);
  for (const auto& h : out) freq[static_cast<std::size_t>(h[0].ids.empty() ? kEos : h[0].ids[0])] += 1.0 / static_cast<double>(n);
  return freq;
}

// softmax(logits / T) over the tokens `allowed`, 0 elsewhere.
std::vector<double> expected(float t, const std::vector<std::int64_t>& allowed) {
  std::vector<double> p(kVocab, 0.0);
  double z = 0;
  for (std::int64_t v : allowed) z += std::exp(kLogits[static_cast<std::size_t>(v)] / t);
  for (std::int64_t v : allowed) p[static_cast<std::size_t>(v)] = std::exp(kLogits[static_cast<std::size_t>(v)] / t) / z;
  return p;
}

TEST(Sampling, FirstTokenFrequenciesFollowTheTemperedCutDistribution) {
  constexpr std::int64_t kRows = 20000;  // standard error <= 0.0036 per token
  constexpr double kTolerance = 0.015;
  // Tokens by logit: 3 (1.0), 5 (0.7), 1 (0.5), 2 (0.2), 4 (-0.3), 0 (-1.0).
  struct Case {
    const char* what;
    float temperature;
    std::int64_t top_k;
    float top_p;
    std::vector<std::int64_t> allowed;
  };
  const std::vector<Case> cases{
      {"whole vocabulary, T = 0.7", 0.7f, 0, 1.0f, {0, 1, 2, 3, 4, 5}},
      {"whole vocabulary, T = 2", 2.0f, 0, 1.0f, {0, 1, 2, 3, 4, 5}},
      {"top_k 3", 1.0f, 3, 1.0f, {3, 5, 1}},
      // At T = 1 the sorted probabilities are .31 .23 .19 .14 .09 .04: p = 0.6 keeps three.
      {"top_p 0.6", 1.0f, 0, 0.6f, {3, 5, 1}},
      {"top_k 4 and top_p 0.5 at T = 0.5", 0.5f, 4, 0.5f, {3, 5}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Options o = sampling(5);
    o.temperature = c.temperature;
    o.top_k = c.top_k;
    o.top_p = c.top_p;
    std::vector<double> got = first_token_frequencies(o, kRows);
    std::vector<double> want = expected(c.temperature, c.allowed);
    for (std::int64_t v = 0; v < kVocab; ++v) {
      EXPECT_NEAR(got[static_cast<std::size_t>(v)], want[static_cast<std::size_t>(v)], kTolerance) << "token " << v;
    }
  }
}

}  // namespace
}  // namespace recur::search
