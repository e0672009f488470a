// The attention decoders' output subset (recur/output_subset.h): a step over a subset of
// the vocabulary gives the full step's values at those ids, renormalised over them (the
// sliced projection computes the same logits), through reorders, with tied embeddings or
// not; greedy and beam search over every id equal search without a subset.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "decoder_test_util.h"
#include "recur/ops/tape.h"
#include "recur/search/search.h"

namespace recur::decoders {
namespace {

using namespace testing;

// Stated tolerance: the sliced projection runs the same dot products in another matmul
// shape, so its logits may differ from the full one's by float rounding only.
constexpr float kTolerance = 2e-5f;

AttentionDecoderSettings settings(bool tied) {
  AttentionDecoderSettings s = settings_for({ops::RnnCell::gru, AttentionKind::general, 1});
  s.tie_embeddings = tied;
  s.embedding_size = tied ? kHidden : 4;
  return s;
}

// Full log-probs [B, V] restricted to `ids` and renormalised over them, [B, ids].
std::vector<float> restricted(const Tensor& full, const std::vector<std::int64_t>& ids, std::int64_t b) {
  double z = 0;
  for (std::int64_t id : ids) z += std::exp(static_cast<double>(full.item(b * kVocab + id)));
  std::vector<float> out;
  for (std::int64_t id : ids) out.push_back(full.item(b * kVocab + id) - static_cast<float>(std::log(z)));
  return out;
}

class OutputSubsetTest : public ::testing::TestWithParam<bool> {};

TEST_P(OutputSubsetTest, StepOverASubsetEqualsTheFullStepRestricted) {
  AttentionDecoder dec(settings(GetParam()), sizes());
  dec.eval();
  ASSERT_TRUE(search::supports_output_subset(dec));
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(3);
  const Memory m = random_memory({5, 3, 4}, 5, rng);
  const std::vector<std::int64_t> ids{0, 2, 3, 7, 8, 12};
  auto full = dec.init(m);
  auto part = dec.init(m);
  dec.restrict_output(*part, ids);
  std::vector<std::int64_t> prev{1, 1, 1};
  for (int t = 0; t < 4; ++t) {
    const StepOutput f = dec.step(*full, prev);
    const StepOutput p = dec.step(*part, prev);
    const auto rows = static_cast<std::int64_t>(prev.size());
    ASSERT_EQ(p.log_probs.shape(), (Shape{rows, static_cast<std::int64_t>(ids.size())}));
    for (std::int64_t b = 0; b < rows; ++b) {
      const std::vector<float> want = restricted(f.log_probs, ids, b);
      for (std::size_t j = 0; j < ids.size(); ++j) {
        ASSERT_NEAR(p.log_probs.item(b * static_cast<std::int64_t>(ids.size()) + static_cast<std::int64_t>(j)),
                    want[j], kTolerance)
            << "step " << t << " row " << b << " id " << ids[j];
      }
      for (std::int64_t s = 0; s < p.attention.dim(1); ++s) {
        ASSERT_EQ(p.attention.item(b * p.attention.dim(1) + s), f.attention.item(b * f.attention.dim(1) + s));
      }
    }
    // Beam-like reorders (a row repeated, one dropped) keep the restriction.
    const std::vector<std::int64_t> index =
        t % 2 == 0 ? std::vector<std::int64_t>{0, 0, 1} : std::vector<std::int64_t>{2, 1};
    dec.reorder(*full, index);
    dec.reorder(*part, index);
    prev.assign(index.size(), 0);
    for (std::size_t i = 0; i < index.size(); ++i) prev[i] = 3 + static_cast<std::int64_t>(i) + t;
  }
}

TEST_P(OutputSubsetTest, SearchOverEveryIdEqualsSearchOverTheVocabulary) {
  AttentionDecoder dec(settings(GetParam()), sizes());
  dec.eval();
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(4);
  const Memory m = random_memory({5, 3, 4, 2}, 5, rng);
  std::vector<search::Row> rows;
  for (std::size_t i = 0; i < 4; ++i) rows.push_back({4, i, {}});
  std::vector<std::int64_t> all(kVocab);
  std::iota(all.begin(), all.end(), 0);
  for (std::int64_t beam : {1, 4}) {
    search::Options o;
    o.beam_size = beam;
    o.eos_id = 2;
    o.bos_id = 1;
    const auto with = search::decode(dec, m, rows, o, all);
    const auto without = search::decode(dec, m, rows, o);
    ASSERT_EQ(with.size(), without.size());
    for (std::size_t r = 0; r < with.size(); ++r) {
      EXPECT_EQ(with[r].front().ids, without[r].front().ids) << "beam " << beam << " row " << r;
      EXPECT_NEAR(with[r].front().score, without[r].front().score, 1e-4f) << "beam " << beam << " row " << r;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Projection, OutputSubsetTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "tied" : "own"; });

TEST(OutputSubset, BadIdsAndCopyingDecodersAreRefused) {
  AttentionDecoder dec(settings(false), sizes());
  std::mt19937 rng(5);
  const Memory m = random_memory({2}, 2, rng);
  auto state = dec.init(m);
  EXPECT_THROW(dec.restrict_output(*state, {3, 1}), ShapeError);
  EXPECT_THROW(dec.restrict_output(*state, {1, kVocab}), ShapeError);
  EXPECT_THROW(dec.restrict_output(*state, {}), ShapeError);

  AttentionDecoderSettings copying = settings(false);
  copying.copy = true;
  AttentionDecoder copy(copying, sizes());
  EXPECT_FALSE(copy.output_subset_supported());
  EXPECT_FALSE(search::supports_output_subset(copy));
}

}  // namespace
}  // namespace recur::decoders
