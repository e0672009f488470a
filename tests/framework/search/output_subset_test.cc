// Search over a decoder's output subset (recur/output_subset.h, search::decode with output
// ids): the chosen columns map back to their ids, and decoding over a subset is decoding
// over the whole vocabulary with every other id impossible.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "framework/search/toy_decoder.h"
#include "recur/search/search.h"

namespace recur::search {
namespace {

using testing::hashed_logit;
using testing::toy_memory;
using testing::ToyDecoder;
using testing::ToySubsetDecoder;

constexpr std::int64_t kVocab = 20;
constexpr std::int64_t kEos = 2;

std::vector<Row> rows_of(std::size_t n) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < n; ++i) rows.push_back({6, i, {}});
  return rows;
}

Options options(std::int64_t beam, bool sampling = false) {
  Options o;
  o.beam_size = beam;
  o.n_best = 1;
  o.sampling = sampling;
  o.eos_id = kEos;
  o.bos_id = 1;
  return o;
}

void expect_same(const std::vector<std::vector<Hypothesis>>& a, const std::vector<std::vector<Hypothesis>>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t r = 0; r < a.size(); ++r) {
    ASSERT_EQ(a[r].size(), b[r].size()) << "row " << r;
    for (std::size_t k = 0; k < a[r].size(); ++k) {
      EXPECT_EQ(a[r][k].ids, b[r][k].ids) << "row " << r << " hypothesis " << k;
      EXPECT_NEAR(a[r][k].score, b[r][k].score, 1e-4f) << "row " << r << " hypothesis " << k;
    }
  }
}

const std::vector<float> kFeatures{0.1f, 0.7f, 0.3f, 0.9f};

TEST(OutputSubset, EveryIdDecodesAsTheWholeVocabulary) {
  ToySubsetDecoder dec(kVocab, hashed_logit);
  std::vector<std::int64_t> all(kVocab);
  std::iota(all.begin(), all.end(), 0);
  const Memory m = toy_memory(kFeatures);
  for (const Options& o : {options(1), options(4), options(1, true)}) {
    expect_same(decode(dec, m, rows_of(4), o, all), decode(dec, m, rows_of(4), o));
  }
}

// Greedy, beam and sampling over the subset S choose what the whole vocabulary chooses
// when every id outside S has a log-prob of -1e9 (nothing outside S can be picked and the
// log-softmax over S is the full one), with banned n-grams and suppressed ids mapped to
// their columns.
TEST(OutputSubset, SubsetDecodesAsTheVocabularyWithEveryOtherIdImpossible) {
  const std::vector<std::int64_t> subset{2, 3, 5, 8, 11, 13, 17};
  ToySubsetDecoder restricted(kVocab, hashed_logit);
  ToyDecoder masked(kVocab, [&](float f, std::int64_t step, std::int64_t prev, std::int64_t v) {
    return std::binary_search(subset.begin(), subset.end(), v) ? hashed_logit(f, step, prev, v) : -1e9f;
  });
  const Memory m = toy_memory(kFeatures);
  for (Options o : {options(1), options(3), options(1, true)}) {
    o.no_repeat_ngram = 2;
    o.suppress_ids = {5, 19};  // 19 is not in the subset: nothing to ban
    const auto got = decode(restricted, m, rows_of(4), o, subset);
    expect_same(got, decode(masked, m, rows_of(4), o));
    for (const auto& row : got) {
      for (std::int64_t id : row.front().ids) {
        EXPECT_TRUE(std::binary_search(subset.begin(), subset.end(), id)) << id;
        EXPECT_NE(id, 5);
      }
    }
  }
}

TEST(OutputSubset, ADecoderWithoutItScoresTheWholeVocabulary) {
  ToyDecoder dec(kVocab, hashed_logit);
  const Memory m = toy_memory(kFeatures);
  auto got = decode(dec, m, rows_of(4), options(3), {2, 3});
  expect_same(got, decode(dec, m, rows_of(4), options(3)));
  EXPECT_FALSE(supports_output_subset(dec));
  EXPECT_TRUE(supports_output_subset(ToySubsetDecoder(kVocab, hashed_logit)));
}

TEST(OutputSubset, IdsMustBeSortedUniqueAndInRange) {
  ToySubsetDecoder dec(kVocab, hashed_logit);
  const Memory m = toy_memory(kFeatures);
  EXPECT_THROW(decode(dec, m, rows_of(4), options(1), {3, 2}), ShapeError);
  EXPECT_THROW(decode(dec, m, rows_of(4), options(1), {2, 2}), ShapeError);
  EXPECT_THROW(decode(dec, m, rows_of(4), options(1), {2, kVocab}), ShapeError);
  EXPECT_THROW(decode(dec, m, rows_of(4), options(1), {-1, 2}), ShapeError);
}

}  // namespace
}  // namespace recur::search
