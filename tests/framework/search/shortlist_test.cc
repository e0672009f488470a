// The vocabulary shortlist: its table learned from a tiny corpus with known
// co-occurrences, and the ids a batch may produce.
#include "recur/search/shortlist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "recur/core/error.h"
#include "recur/search/shortlist_learning.h"

namespace recur::search {
namespace {

std::vector<std::int64_t> ids_of(std::span<const std::int32_t> s) { return {s.begin(), s.end()}; }

// Source pieces 1..4, target pieces 1..6 (0 is never used). Source 1 always comes with
// target 5 (4 pairs out of 4), source 2 with target 6 (3 of 3); target 1 is in every pair
// (frequent, but a poor translation of anything: its Dice with source 1 is 8/12). A
// candidate's Dice is 2 c(s, t) / (c(s) + c(t)).
ShortlistLearning learning(bool joint = false) {
  ShortlistLearning l;
  l.source_vocab = 5;
  l.target_vocab = 7;
  l.top_k = 3;
  l.joint = joint;
  l.score = ShortlistScore::dice;
  l.min_score = 0;
  return l;
}
const std::vector<std::vector<std::int64_t>> kSource{{1, 3}, {1, 1}, {1, 2}, {1, 4}, {2, 3}, {2}, {4}, {3}};
const std::vector<std::vector<std::int64_t>> kTarget{{5, 1, 3}, {5, 1},    {5, 6, 1}, {1, 5, 4},
                                                     {6, 1},    {6, 1, 2}, {4, 1},    {3, 1}};

TEST(ShortlistLearning, RanksTargetsByDice) {
  const Shortlist t = learn_shortlist(kSource, kTarget, learning());
  EXPECT_EQ(t.source_vocab(), 5);
  EXPECT_EQ(t.target_vocab(), 7);
  // Source 1 (4 pairs): 5 (dice 2*4/8 = 1), 1 (8/12), then 3 and 4 tie at 2/6: the lower id.
  EXPECT_EQ(ids_of(t.candidates(1)), (std::vector<std::int64_t>{5, 1, 3}));
  // Source 2 (3 pairs): 6 (2*3/6 = 1), 1 (6/11), then 2 (2/4) before 5 (2/7).
  EXPECT_EQ(ids_of(t.candidates(2)), (std::vector<std::int64_t>{6, 1, 2}));
  // Source 3 (3 pairs): target 3 (2*2/5), then 1 (6/11), then 6 (2/6) before 5 (2/7).
  EXPECT_EQ(ids_of(t.candidates(3)), (std::vector<std::int64_t>{3, 1, 6}));
  EXPECT_TRUE(t.candidates(0).empty());  // never seen
  EXPECT_EQ(t.max_candidates(), 3);
  EXPECT_EQ(t.learned_top_k(), 3);
  // Target 1 in 8 pairs, 5 and 6 in 4 and 3, 3 and 4 in 2, 2 in 1; 0 never.
  EXPECT_EQ(t.by_frequency(), (std::vector<std::int32_t>{1, 5, 6, 3, 4, 2, 0}));
}

// Log-likelihood ratios: source 1 and target 5 always together (4 of 8 pairs): 16 ln 2 =
// 11.09; source 2 and target 6 (3 of 8): 2 (3 ln 8/3 + 5 ln 8/5) = 10.59; source 2 and
// target 2 (once): 2.21; target 1 (in every pair) is independent of anything: 0; target 6
// with source 1 is together less than chance: negative.
TEST(ShortlistLearning, LogLikelihoodRatiosDropChanceCoOccurrences) {
  ShortlistLearning l = learning();
  l.score = ShortlistScore::llr;
  l.min_score = 1;
  const Shortlist t = learn_shortlist(kSource, kTarget, l);
  EXPECT_EQ(ids_of(t.candidates(1)), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(ids_of(t.candidates(2)), (std::vector<std::int64_t>{6, 2}));
  l.min_score = 10.7;
  EXPECT_EQ(ids_of(learn_shortlist(kSource, kTarget, l).candidates(2)), (std::vector<std::int64_t>{}));
  EXPECT_EQ(ids_of(learn_shortlist(kSource, kTarget, l).candidates(1)), (std::vector<std::int64_t>{5}));
  l.min_score = 0;  // the independent target 1 scores 0, then ties by co-occurrences
  EXPECT_EQ(ids_of(learn_shortlist(kSource, kTarget, l).candidates(1)), (std::vector<std::int64_t>{5, 1, 3}));
}

TEST(ShortlistLearning, AJointVocabularyProposesTheSourcePieceItself) {
  const Shortlist t = learn_shortlist(kSource, kTarget, learning(true));
  // Source 2 is target 2 (seen once on the target side): first, then the two best others.
  EXPECT_EQ(ids_of(t.candidates(2)), (std::vector<std::int64_t>{2, 6, 1}));
  EXPECT_EQ(ids_of(t.candidates(1)), (std::vector<std::int64_t>{1, 5, 3}));
}

TEST(ShortlistLearning, RefusesIdsOutsideTheVocabulary) {
  try {
    learn_shortlist({{1}, {9}}, {{1}, {2}}, learning());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pair 2: source id 9"), std::string::npos) << e.what();
  }
  EXPECT_THROW(learn_shortlist({{1}}, {{1}, {2}}, learning()), Error);
}

// A table over V = 2.5 granules of target ids: source 1 proposes V - 50 and V - 40, source
// 2 proposes V - 30; frequency order 0, 1, ..., V - 1.
constexpr std::int64_t kGranule = kShortlistGranule;
constexpr std::int64_t kWide = 2 * kGranule + kGranule / 2;
constexpr std::int32_t kFirst = kWide - 50, kSecond = kWide - 40, kThird = kWide - 30;

Shortlist wide_table() {
  std::vector<std::int32_t> by_frequency(kWide);
  std::iota(by_frequency.begin(), by_frequency.end(), 0);
  return Shortlist(kWide, {0, 0, 2, 3}, {kFirst, kSecond, kThird}, by_frequency);
}

TEST(Shortlist, ABatchGetsItsCandidatesTheFrequentIdsAndTheAlwaysIdsPaddedToTheGranule) {
  const Shortlist t = wide_table();
  const std::vector<std::int64_t> source{1, 1, 7, -1, 0};  // 7 and -1: outside the table
  const std::vector<std::int64_t> always{2, 3, 100000};     // 100000: outside the vocabulary
  const auto ids = t.output_ids(source, {1, 5}, always);
  // kFirst (the best of source 1), 0..4 (frequent), 2 and 3 (always): 6 ids, padded with
  // the next most frequent, 5, 6, ..., to one granule.
  std::vector<std::int64_t> want(kGranule - 1);
  std::iota(want.begin(), want.end(), 0);
  want.push_back(kFirst);
  EXPECT_EQ(ids, want);
}

TEST(Shortlist, TheWholeVocabularyWhenTheUnionIsWiderThanItsLastGranule) {
  const Shortlist t = wide_table();
  // 2 granules + 1 ids round up to 3 granules > the vocabulary.
  const auto ids =
      t.output_ids(std::vector<std::int64_t>{1, 2}, {2, 2 * kGranule - 2}, std::vector<std::int64_t>{});
  EXPECT_EQ(static_cast<std::int64_t>(ids.size()), kWide);
}

TEST(Shortlist, TopKTakesTheBestCandidatesOnly) {
  const Shortlist t = wide_table();
  auto has = [](const std::vector<std::int64_t>& ids, std::int64_t id) {
    return std::binary_search(ids.begin(), ids.end(), id);
  };
  const auto one = t.output_ids(std::vector<std::int64_t>{1}, {1, 0}, std::vector<std::int64_t>{});
  const auto two = t.output_ids(std::vector<std::int64_t>{1}, {2, 0}, std::vector<std::int64_t>{});
  EXPECT_TRUE(has(one, kFirst));
  EXPECT_FALSE(has(one, kSecond));
  EXPECT_TRUE(has(two, kFirst) && has(two, kSecond));
  EXPECT_FALSE(has(two, kThird));
  EXPECT_EQ(static_cast<std::int64_t>(one.size()), kGranule);
  EXPECT_EQ(static_cast<std::int64_t>(two.size()), kGranule);
}

TEST(Shortlist, RefusesTablesThatDoNotFit) {
  EXPECT_THROW(Shortlist(5, {0, 2}, {1}, {}), Error);        // offsets end past the targets
  EXPECT_THROW(Shortlist(5, {0, 2, 1}, {1, 2}, {}), Error);  // decreasing offsets
  EXPECT_THROW(Shortlist(5, {0, 1}, {5}, {}), Error);        // target id out of range
  EXPECT_THROW(Shortlist(5, {0, 1}, {1}, {2, 2}), Error);    // frequency order repeats an id
  EXPECT_THROW(Shortlist(5, {}, {}, {}), Error);             // no source id
  EXPECT_THROW(Shortlist(5, {0, 2}, {1, 2}, {}, 1), Error);  // a list longer than its top_k
  EXPECT_NO_THROW(Shortlist(5, {0, 1}, {1}, {2, 3}));
  EXPECT_EQ(Shortlist(5, {0, 1}, {1}, {2, 3}, 4).learned_top_k(), 4);
}

TEST(Shortlist, OptionsAreChecked) {
  const Shortlist t = wide_table();
  EXPECT_FALSE(check(ShortlistOptions{2, 0}, &t));
  auto p = check(ShortlistOptions{3, 0}, &t);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->key, "top_k");
  EXPECT_EQ(check(ShortlistOptions{-1, 0})->key, "top_k");
  EXPECT_EQ(check(ShortlistOptions{1, -1})->key, "frequent");
}

}  // namespace
}  // namespace recur::search
