// The attention decoders against their definition (docs/text-models.md): step() token by
// token reproduces forward() for every cell and attention type, reorder() keeps the
// selected rows, attention ignores padding, parameter names follow the spec.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "decoder_test_util.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::decoders {
namespace {

using namespace testing;

class DecoderConfigTest : public ::testing::TestWithParam<Config> {};

// Column t of ids [B, T] as a vector.
std::vector<std::int64_t> column(const Tensor& ids, std::int64_t t) {
  std::vector<std::int64_t> col;
  for (std::int64_t b = 0; b < ids.dim(0); ++b) col.push_back(ids.data<std::int64_t>()[b * ids.dim(1) + t]);
  return col;
}

TEST_P(DecoderConfigTest, StepReproducesForward) {
  AttentionDecoder dec(settings_for(GetParam()), sizes());
  dec.eval();
  std::mt19937 rng(1);
  const std::vector<std::int64_t> lengths{5, 2, 4};
  Memory m = random_memory(lengths, 5, rng);
  Tensor tgt = random_ids(3, 6, rng);
  Tensor logits = dec.forward(m, tgt);
  ASSERT_EQ(logits.shape(), (Shape{3, 6, kVocab}));
  Tensor want = ops::log_softmax(logits, -1);

  autograd::NoGradGuard no_grad;
  auto state = dec.init(m);
  EXPECT_EQ(state->batch_size(), 3);
  for (std::int64_t t = 0; t < 6; ++t) {
    StepOutput out = dec.step(*state, column(tgt, t));
    ASSERT_EQ(out.log_probs.shape(), (Shape{3, kVocab}));
    ASSERT_EQ(out.attention.shape(), (Shape{3, 5}));
    EXPECT_FALSE(out.log_probs.grad_fn());
    for (std::int64_t b = 0; b < 3; ++b) {
      for (std::int64_t v = 0; v < kVocab; ++v) {
        ASSERT_NEAR(out.log_probs.item(b * kVocab + v), want.item((b * 6 + t) * kVocab + v), 1e-5f)
            << "row " << b << " step " << t << " token " << v;
      }
      // Attention: a distribution over the real positions only.
      double sum = 0;
      for (std::int64_t s = 0; s < 5; ++s) {
        const float a = out.attention.item(b * 5 + s);
        if (s >= lengths[static_cast<std::size_t>(b)]) {
          EXPECT_EQ(a, 0.0f);
        } else {
          EXPECT_GT(a, 0.0f);
        }
        sum += a;
      }
      EXPECT_NEAR(sum, 1.0, 1e-6);
    }
  }
}

// Reordered rows step exactly like the rows they were taken from, whether the batch
// grows (a row repeated) or shrinks.
TEST_P(DecoderConfigTest, ReorderKeepsTheSelectedRows) {
  AttentionDecoder dec(settings_for(GetParam()), sizes());
  dec.eval();
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(2);
  Memory m = random_memory({4, 3, 1}, 4, rng);
  Tensor tgt = random_ids(3, 4, rng);
  auto copy = dec.init(m);
  dec.step(*copy, column(tgt, 0));
  dec.step(*copy, column(tgt, 1));

  // Rows out of source order (each row gets a copy of its memory), then beam-shaped rows
  // (the rows of a source together: attention on the memory rows' grid).
  for (const std::vector<std::int64_t>& index :
       {std::vector<std::int64_t>{2, 0, 0, 1}, std::vector<std::int64_t>{0, 0, 1, 2, 2, 2}}) {
    auto state = dec.init(m);
    dec.step(*state, column(tgt, 0));
    dec.step(*state, column(tgt, 1));
    dec.reorder(*state, index);
    EXPECT_EQ(state->batch_size(), static_cast<std::int64_t>(index.size()));
    std::vector<std::int64_t> prev{5, 6, 7, 8, 9, 10};
    prev.resize(index.size());
    StepOutput grown = dec.step(*state, prev);
    for (std::size_t r = 0; r < index.size(); ++r) {
      // The original state stepped with the same token in row index[r].
      auto probe = dec.init(m);
      dec.step(*probe, column(tgt, 0));
      dec.step(*probe, column(tgt, 1));
      std::vector<std::int64_t> ids = column(tgt, 2);
      ids[static_cast<std::size_t>(index[r])] = prev[r];
      StepOutput ref = dec.step(*probe, ids);
      const auto row = index[r];
      for (std::int64_t v = 0; v < kVocab; ++v) {
        ASSERT_NEAR(grown.log_probs.item(static_cast<std::int64_t>(r) * kVocab + v),
                    ref.log_probs.item(row * kVocab + v), 1e-6f) << "row " << r;
      }
      for (std::int64_t s = 0; s < 4; ++s) {
        ASSERT_NEAR(grown.attention.item(static_cast<std::int64_t>(r) * 4 + s), ref.attention.item(row * 4 + s), 1e-6f);
      }
    }
  }

  // The identity, then shrink to one row, twice.
  dec.reorder(*copy, {0, 1, 2});
  EXPECT_EQ(copy->batch_size(), 3);
  dec.reorder(*copy, {1});
  dec.reorder(*copy, {0});
  EXPECT_EQ(copy->batch_size(), 1);
  StepOutput one = dec.step(*copy, {9});
  auto probe = dec.init(m);
  dec.step(*probe, column(tgt, 0));
  dec.step(*probe, column(tgt, 1));
  StepOutput ref = dec.step(*probe, {9, 9, 9});
  for (std::int64_t v = 0; v < kVocab; ++v) {
    ASSERT_NEAR(one.log_probs.item(v), ref.log_probs.item(kVocab + v), 1e-6f);
  }
}

// Values at padded memory positions never matter.
TEST_P(DecoderConfigTest, PaddedMemoryIsIgnored) {
  AttentionDecoder dec(settings_for(GetParam()), sizes());
  dec.eval();
  std::mt19937 rng(3);
  const std::vector<std::int64_t> lengths{2, 5};
  Memory m = random_memory(lengths, 5, rng);
  Tensor tgt = random_ids(2, 3, rng);
  Memory junk = m;
  junk.states = m.states.clone();
  for (std::int64_t t = 2; t < 5; ++t) {
    for (std::int64_t k = 0; k < kMemory; ++k) junk.states.data<float>()[t * kMemory + k] = 3.0f + static_cast<float>(k);
  }
  EXPECT_EQ(dec.forward(m, tgt).to_vector(), dec.forward(junk, tgt).to_vector());
}

TEST_P(DecoderConfigTest, GradientsReachEveryParameter) {
  AttentionDecoderSettings s = settings_for(GetParam());
  s.weight_drop = 0.3f;
  AttentionDecoder dec(s, sizes());
  std::mt19937 rng(4);
  Memory m = random_memory({3, 2}, 3, rng);
  m.states.set_requires_grad(true);
  m.summary.set_requires_grad(true);
  Tensor logits = dec.forward(m, random_ids(2, 4, rng));
  ops::sum(ops::log_softmax(logits, -1)).backward();
  for (const auto& [name, t] : dec.named_parameters()) {
    ASSERT_TRUE(t.grad().defined()) << name;
    double norm = 0;
    for (float g : t.grad().to_vector()) norm += std::abs(g);
    EXPECT_GT(norm, 0.0) << name;
  }
  EXPECT_TRUE(m.states.grad().defined());
  EXPECT_TRUE(m.summary.grad().defined());
}

INSTANTIATE_TEST_SUITE_P(AllCellsAndAttentions, DecoderConfigTest, ::testing::ValuesIn(all_configs()),
                         [](const auto& info) { return config_name(info.param); });

std::map<std::string, Shape> parameter_shapes(const AttentionDecoder& dec) {
  std::map<std::string, Shape> got;
  for (const auto& [name, t] : dec.named_parameters()) got[name] = t.shape();
  return got;
}

// A decoder built for loading (BuildContext::initialise false) skips the random
// initialisation: every parameter stays zero until the weights are loaded.
TEST(AttentionDecoder, SkipsInitialisationWhenWeightsFollow) {
  for (bool initialise : {true, false}) {
    AttentionDecoder dec(settings_for({ops::RnnCell::lstm, AttentionKind::mlp, 2}), sizes(), initialise);
    double norm = 0;
    for (const auto& [name, t] : dec.named_parameters()) {
      for (float v : t.to_vector()) norm += std::abs(v);
    }
    if (initialise) {
      EXPECT_GT(norm, 0.0);
    } else {
      EXPECT_EQ(norm, 0.0);
    }
  }
}

TEST(AttentionDecoder, ParameterNamesAndShapesFollowTheSpec) {
  AttentionDecoderSettings s = settings_for({ops::RnnCell::lstm, AttentionKind::mlp, 2});
  std::map<std::string, Shape> want{
      {"embedding.weight", {kVocab, 4}},     {"bridge.weight", {2 * kHidden, kSummary}},
      {"bridge.bias", {2 * kHidden}},        {"rnn.l0.w_ih", {4, 4 * kHidden}},
      {"rnn.l0.w_hh", {kHidden, 4 * kHidden}}, {"rnn.l0.bias", {4 * kHidden}},
      {"rnn.l1.w_ih", {kHidden, 4 * kHidden}}, {"rnn.l1.w_hh", {kHidden, 4 * kHidden}},
      {"rnn.l1.bias", {4 * kHidden}},        {"attention.w_key", {7, kMemory}},
      {"attention.w_query", {7, kHidden}},   {"attention.b_query", {7}},
      {"attention.v", {7}},                  {"output.weight", {kHidden, kMemory + kHidden}},
      {"output.bias", {kHidden}},            {"projection.weight", {kVocab, kHidden}},
      {"projection.bias", {kVocab}}};
  EXPECT_EQ(parameter_shapes(AttentionDecoder(s, sizes())), want);

  // GRU, general attention, one layer, tied projection.
  s = settings_for({ops::RnnCell::gru, AttentionKind::general, 1});
  s.embedding_size = kHidden;
  s.tie_embeddings = true;
  AttentionDecoder tied(s, sizes());
  want = {{"embedding.weight", {kVocab, kHidden}}, {"bridge.weight", {kHidden, kSummary}},
          {"bridge.bias", {kHidden}},              {"rnn.l0.w_ih", {kHidden, 3 * kHidden}},
          {"rnn.l0.w_hh", {kHidden, 3 * kHidden}}, {"rnn.l0.bias", {4 * kHidden}},
          {"attention.w_key", {kHidden, kMemory}}, {"output.weight", {kHidden, kMemory + kHidden}},
          {"output.bias", {kHidden}},              {"projection.bias", {kVocab}}};
  EXPECT_EQ(parameter_shapes(tied), want);
  EXPECT_EQ(tied.vocab_size(), kVocab);

  // dot attention has no parameters.
  s = settings_for({ops::RnnCell::gru, AttentionKind::dot, 1});
  for (const auto& [name, shape] : parameter_shapes(AttentionDecoder(s, sizes()))) {
    EXPECT_FALSE(name.starts_with("attention.")) << name;
  }
}

// Tied: the projection is the embedding table, so its gradient collects both uses.
TEST(AttentionDecoder, TiedProjectionUsesTheEmbeddingTable) {
  AttentionDecoderSettings s = settings_for({ops::RnnCell::lstm, AttentionKind::general, 1});
  s.embedding_size = kHidden;
  s.tie_embeddings = true;
  s.dropout = 0.0f;
  AttentionDecoder dec(s, sizes());
  std::mt19937 rng(5);
  Memory m = random_memory({2}, 2, rng);
  Tensor tgt = random_ids(1, 2, rng);
  Tensor table = dec.named_parameters()[0].second;
  Tensor before = dec.forward(m, tgt);
  table.data<float>()[kVocab * kHidden - 1] += 1.0f;  // last row: a token not fed in
  Tensor after = dec.forward(m, tgt);
  EXPECT_NE(before.item(kVocab - 1), after.item(kVocab - 1));
  EXPECT_EQ(before.item(0), after.item(0));
}

TEST(AttentionDecoder, DropoutOnlyInTraining) {
  AttentionDecoder dec(settings_for({ops::RnnCell::gru, AttentionKind::mlp, 2}), sizes());
  std::mt19937 rng(6);
  Memory m = random_memory({3, 3}, 3, rng);
  Tensor tgt = random_ids(2, 3, rng);
  dec.eval();
  auto a = dec.forward(m, tgt).to_vector();
  EXPECT_EQ(a, dec.forward(m, tgt).to_vector());
  dec.train();
  EXPECT_NE(a, dec.forward(m, tgt).to_vector());
}

TEST(AttentionDecoder, BadInputsAreErrors) {
  AttentionDecoder dec(settings_for({ops::RnnCell::lstm, AttentionKind::general, 1}), sizes());
  std::mt19937 rng(7);
  Memory m = random_memory({3, 3}, 3, rng);
  EXPECT_THROW(dec.forward(m, random_ids(3, 2, rng)), ShapeError);
  Memory wrong = m;
  wrong.states = Tensor::zeros({2, 3, kMemory + 1});
  EXPECT_THROW(dec.forward(wrong, random_ids(2, 2, rng)), ShapeError);
  EXPECT_THROW(dec.init(wrong), ShapeError);
  auto state = dec.init(m);
  EXPECT_THROW(dec.step(*state, {1}), ShapeError);
  EXPECT_THROW(dec.step(*state, {1, kVocab}), ShapeError);
  EXPECT_THROW(dec.reorder(*state, {0, 2}), ShapeError);
  EXPECT_THROW(dec.reorder(*state, {}), ShapeError);

  AttentionDecoderSettings s = settings_for({ops::RnnCell::lstm, AttentionKind::dot, 1});
  s.hidden_size = kMemory + 1;
  EXPECT_THROW(AttentionDecoder(s, sizes()), ShapeError);
  s = settings_for({ops::RnnCell::lstm, AttentionKind::general, 1});
  s.tie_embeddings = true;
  EXPECT_THROW(AttentionDecoder(s, sizes()), ShapeError);
}

}  // namespace
}  // namespace recur::decoders
