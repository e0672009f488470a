// The options a language model's generation uses (search/options.h): eos as an ordinary
// token (stop_at_eos false) runs every row to its length, on_token streams each chosen
// token in order, suppress_ids are never chosen; check() keeps stop_at_eos false to
// greedy search and sampling.
#include <gtest/gtest.h>

#include <map>

#include "recur/search/search.h"
#include "toy_decoder.h"

namespace recur::search {
namespace {

using testing::hashed_logit;
using testing::ToyDecoder;

// eos is by far the likeliest token at every step.
float eos_first(float f, std::int64_t step, std::int64_t prev, std::int64_t v) {
  return v == 2 ? 5.0f : hashed_logit(f, step, prev, v);
}

TEST(GenerationOptions, EosIsAnOrdinaryTokenWithoutStopAtEos) {
  for (bool sampling : {false, true}) {
    Options o;
    o.beam_size = 1;
    o.sampling = sampling;
    o.max_length_a = 0;
    o.max_length_b = 7;
    ToyDecoder stops(20, eos_first);
    auto ended = decode(stops, Memory{}, {{0, 0, {}}}, o);
    EXPECT_LT(ended[0][0].ids.size(), 7u) << "eos ends a row by default";
    o.stop_at_eos = false;
    ToyDecoder goes_on(20, eos_first);
    auto out = decode(goes_on, Memory{}, {{0, 0, {}}, {0, 1, {4}}}, o);
    for (const auto& row : out) {
      ASSERT_EQ(row[0].ids.size(), 7u);
      if (!sampling) {
        EXPECT_EQ(row[0].ids, std::vector<std::int64_t>(7, 2));
      }
    }
  }
}

TEST(GenerationOptions, OnTokenSeesEveryChosenTokenInOrder) {
  Options o;
  o.beam_size = 1;
  o.sampling = true;
  o.seed = 9;
  o.max_length_b = 12;
  std::map<std::size_t, std::vector<std::int64_t>> seen;
  o.on_token = [&](std::size_t row, std::int64_t id) { seen[row].push_back(id); };
  ToyDecoder dec(20, hashed_logit);
  auto out = decode(dec, Memory{}, {{0, 0, {5, 6}}, {0, 1, {}}, {0, 2, {7}}}, o);
  ASSERT_EQ(seen.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r) {
    std::vector<std::int64_t> want = out[r][0].ids;
    if (want.size() < 12) want.push_back(2);  // the eos that ended the row is chosen too
    EXPECT_EQ(seen[r], want) << "row " << r;  // never the prompt
  }
}

TEST(GenerationOptions, SuppressedIdsAreNeverChosen) {
  // Token 4 is the likeliest everywhere; suppressed, the next best is taken.
  auto four = [](float f, std::int64_t step, std::int64_t prev, std::int64_t v) {
    return v == 4 ? 6.0f : hashed_logit(f, step, prev, v);
  };
  for (std::int64_t beam : {1, 3}) {
    for (bool sampling : {false, true}) {
      if (sampling && beam > 1) continue;
      Options o;
      o.beam_size = beam;
      o.sampling = sampling;
      o.max_length_b = 20;
      o.suppress_ids = {0, 4, 99};  // an id outside the vocabulary is ignored
      ToyDecoder dec(20, four);
      auto out = decode(dec, Memory{}, {{0, 0, {}}, {0, 1, {}}}, o);
      for (const auto& row : out) {
        for (std::int64_t id : row[0].ids) {
          EXPECT_NE(id, 4);
          EXPECT_NE(id, 0);
        }
        EXPECT_FALSE(row[0].ids.empty() && row[0].log_prob == 0.0f);
      }
    }
  }
}

TEST(GenerationOptions, WithoutStopAtEosOnlyGreedyOrSampling) {
  Options o;
  o.stop_at_eos = false;
  o.beam_size = 4;
  o.n_best = 1;
  auto problem = check(o);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->key, "beam_size");
  o.beam_size = 1;
  EXPECT_FALSE(check(o).has_value());
}

}  // namespace
}  // namespace recur::search
