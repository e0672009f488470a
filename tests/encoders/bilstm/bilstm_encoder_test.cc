// The bilstm encoder against its definition (docs/text-models.md): shapes, masks,
// padding that never reaches real positions, the summary's two halves, parameter names
// and initialisation.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "bilstm_encoder.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur::encoders {
namespace {

constexpr std::int64_t kVocab = 11, kPad = 0;

BiLstmSettings small_settings() {
  BiLstmSettings s;
  s.embedding_size = 6;
  s.hidden_size = 5;
  s.layers = 2;
  s.dropout = 0.3f;
  s.seed = 7;
  return s;
}

// Ids [B, S] with random real tokens and `fill` after each row's length.
Tensor make_ids(const std::vector<std::int64_t>& lengths, std::int64_t steps, std::int64_t fill,
                std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> token(4, kVocab - 1);
  std::vector<std::int64_t> ids;
  for (std::int64_t len : lengths) {
    for (std::int64_t t = 0; t < steps; ++t) ids.push_back(t < len ? token(rng) : fill);
  }
  return Tensor::from<std::int64_t>({static_cast<std::int64_t>(lengths.size()), steps}, ids);
}

TEST(BiLstmEncoder, ShapesMaskAndZeroPadding) {
  BiLstmEncoder enc(small_settings(), kVocab, kPad);
  enc.eval();
  std::mt19937 rng(1);
  const std::vector<std::int64_t> lengths{5, 3, 1};
  Memory m = enc.encode({make_ids(lengths, 5, kPad, rng), lengths});
  EXPECT_EQ(enc.memory_size(), 10);
  EXPECT_EQ(enc.summary_size(), 10);
  ASSERT_EQ(m.states.shape(), (Shape{3, 5, 10}));
  ASSERT_EQ(m.mask.shape(), (Shape{3, 5}));
  ASSERT_EQ(m.summary.shape(), (Shape{3, 10}));
  for (std::int64_t b = 0; b < 3; ++b) {
    for (std::int64_t t = 0; t < 5; ++t) {
      const bool real = t < lengths[static_cast<std::size_t>(b)];
      EXPECT_EQ(m.mask.item(b * 5 + t), real ? 1.0f : 0.0f);
      double norm = 0;
      for (std::int64_t k = 0; k < 10; ++k) norm += std::abs(m.states.item((b * 5 + t) * 10 + k));
      if (real) {
        EXPECT_GT(norm, 0.0) << "row " << b << " step " << t;
      } else {
        EXPECT_EQ(norm, 0.0) << "row " << b << " step " << t;
      }
    }
  }
}

TEST(BiLstmEncoder, SummaryIsForwardLastAndBackwardFirst) {
  BiLstmEncoder enc(small_settings(), kVocab, kPad);
  enc.eval();
  std::mt19937 rng(2);
  const std::vector<std::int64_t> lengths{4, 6, 2};
  Memory m = enc.encode({make_ids(lengths, 6, kPad, rng), lengths});
  const std::int64_t h = 5;
  for (std::int64_t b = 0; b < 3; ++b) {
    const std::int64_t last = lengths[static_cast<std::size_t>(b)] - 1;
    for (std::int64_t k = 0; k < h; ++k) {
      EXPECT_EQ(m.summary.item(b * 2 * h + k), m.states.item((b * 6 + last) * 2 * h + k));
      EXPECT_EQ(m.summary.item(b * 2 * h + h + k), m.states.item((b * 6 + 0) * 2 * h + h + k));
    }
  }
}

TEST(BiLstmEncoder, OneDirectionGivesHAndTheLastRealState) {
  BiLstmSettings settings = small_settings();
  settings.bidirectional = false;
  BiLstmEncoder enc(settings, kVocab, kPad);
  enc.eval();
  std::mt19937 rng(4);
  const std::vector<std::int64_t> lengths{4, 6, 2};
  Memory m = enc.encode({make_ids(lengths, 6, kPad, rng), lengths});
  const std::int64_t h = 5;
  EXPECT_EQ(enc.memory_size(), h);
  EXPECT_EQ(enc.summary_size(), h);
  ASSERT_EQ(m.states.shape(), (Shape{3, 6, h}));
  ASSERT_EQ(m.summary.shape(), (Shape{3, h}));
  for (std::int64_t b = 0; b < 3; ++b) {
    const std::int64_t last = lengths[static_cast<std::size_t>(b)] - 1;
    for (std::int64_t k = 0; k < h; ++k) EXPECT_EQ(m.summary.item(b * h + k), m.states.item((b * 6 + last) * h + k));
  }
}

// Each row encoded in a padded batch equals the row encoded alone, whatever the
// padding ids are.
TEST(BiLstmEncoder, PaddingNeverChangesRealPositions) {
  BiLstmEncoder enc(small_settings(), kVocab, kPad);
  enc.eval();
  std::mt19937 rng(3);
  const std::vector<std::int64_t> lengths{3, 7, 1, 5};
  Tensor ids = make_ids(lengths, 7, kPad, rng);
  Tensor junk = ids.clone();
  for (std::int64_t b = 0; b < 4; ++b) {
    for (std::int64_t t = lengths[static_cast<std::size_t>(b)]; t < 7; ++t) {
      junk.data<std::int64_t>()[b * 7 + t] = 5 + t % 3;
    }
  }
  Memory padded = enc.encode({ids, lengths});
  Memory junked = enc.encode({junk, lengths});
  for (std::int64_t i = 0; i < padded.states.numel(); ++i) {
    ASSERT_EQ(padded.states.item(i), junked.states.item(i)) << i;
  }
  for (std::int64_t b = 0; b < 4; ++b) {
    const std::int64_t len = lengths[static_cast<std::size_t>(b)];
    Tensor row = Tensor::from<std::int64_t>(
        {1, len}, std::span<const std::int64_t>(ids.data<std::int64_t>() + b * 7, len));
    Memory alone = enc.encode({row, {len}});
    for (std::int64_t t = 0; t < len; ++t) {
      for (std::int64_t k = 0; k < 10; ++k) {
        ASSERT_NEAR(alone.states.item(t * 10 + k), padded.states.item((b * 7 + t) * 10 + k), 1e-6f)
            << "row " << b << " step " << t;
      }
    }
    for (std::int64_t k = 0; k < 10; ++k) {
      ASSERT_NEAR(alone.summary.item(k), padded.summary.item(b * 10 + k), 1e-6f) << "row " << b;
    }
  }
}

TEST(BiLstmEncoder, ParameterNamesAndShapesFollowTheSpec) {
  BiLstmEncoder enc(small_settings(), kVocab, kPad);
  std::map<std::string, Shape> got;
  for (const auto& [name, t] : enc.named_parameters()) got[name] = t.shape();
  std::map<std::string, Shape> want{{"embedding.weight", {kVocab, 6}}};
  for (const char* dir : {"fwd", "bwd"}) {
    const std::string l0 = std::string("rnn.l0.") + dir + ".", l1 = std::string("rnn.l1.") + dir + ".";
    want[l0 + "w_ih"] = {6, 20};
    want[l0 + "w_hh"] = {5, 20};
    want[l0 + "bias"] = {20};
    want[l1 + "w_ih"] = {10, 20};
    want[l1 + "w_hh"] = {5, 20};
    want[l1 + "bias"] = {20};
  }
  EXPECT_EQ(got, want);
}

// `cell: gru` and `cell: rnn`: the same names, the cell's gate blocks; both run.
TEST(BiLstmEncoder, OtherCellsKeepTheNamesAndChangeTheGates) {
  std::mt19937 rng(5);
  for (auto [cell, gates] : {std::pair{ops::RnnCell::gru, 3}, std::pair{ops::RnnCell::tanh, 1}}) {
    BiLstmSettings s = small_settings();
    s.cell = cell;
    BiLstmEncoder enc(s, kVocab, kPad);
    std::map<std::string, Shape> got;
    for (const auto& [name, t] : enc.named_parameters()) got[name] = t.shape();
    EXPECT_EQ(got["rnn.l1.bwd.w_ih"], (Shape{10, gates * 5}));
    EXPECT_EQ(got["rnn.l0.fwd.w_hh"], (Shape{5, gates * 5}));
    EXPECT_EQ(got["rnn.l0.fwd.bias"], (Shape{(gates == 1 ? 1 : 4) * 5}));
    enc.eval();
    Memory m = enc.encode({make_ids({3, 1}, 3, kPad, rng), {3, 1}});
    EXPECT_EQ(m.states.shape(), (Shape{2, 3, 10}));
    EXPECT_EQ(m.summary.shape(), (Shape{2, 10}));
  }
}

// docs/text-models.md: embeddings U(±1/sqrt(E)) with a zero padding row, w_hh
// orthogonal per gate block, biases zero but the forget gate (1).
TEST(BiLstmEncoder, InitialisationFollowsTheSpec) {
  BiLstmSettings s = small_settings();
  s.hidden_size = 8;
  BiLstmEncoder enc(s, kVocab, kPad);
  const float bound = 1.0f / std::sqrt(6.0f);
  for (const auto& [name, t] : enc.named_parameters()) {
    if (name == "embedding.weight") {
      for (std::int64_t k = 0; k < 6; ++k) EXPECT_EQ(t.item(kPad * 6 + k), 0.0f);
      for (std::int64_t i = 6; i < t.numel(); ++i) ASSERT_LE(std::abs(t.item(i)), bound);
    } else if (name.ends_with("bias")) {
      for (std::int64_t i = 0; i < t.numel(); ++i) EXPECT_EQ(t.item(i), i >= 8 && i < 16 ? 1.0f : 0.0f);
    } else if (name.ends_with("w_hh")) {
      for (std::int64_t g = 0; g < 4; ++g) {  // block g: columns [8g, 8g + 8)
        for (std::int64_t i = 0; i < 8; ++i) {
          for (std::int64_t j = 0; j < 8; ++j) {
            double dot = 0;
            for (std::int64_t r = 0; r < 8; ++r) dot += t.item(r * 32 + 8 * g + i) * t.item(r * 32 + 8 * g + j);
            ASSERT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-5) << name << " gate " << g;
          }
        }
      }
    } else if (name.ends_with("w_ih")) {
      const float xavier = std::sqrt(6.0f / static_cast<float>(t.dim(0) + t.dim(1)));
      for (std::int64_t i = 0; i < t.numel(); ++i) ASSERT_LE(std::abs(t.item(i)), xavier) << name;
    }
  }
  // The same seed gives the same model, another seed another one.
  BiLstmEncoder same(s, kVocab, kPad);
  s.seed = 8;
  BiLstmEncoder other(s, kVocab, kPad);
  EXPECT_EQ(enc.named_parameters()[1].second.to_vector(), same.named_parameters()[1].second.to_vector());
  EXPECT_NE(enc.named_parameters()[1].second.to_vector(), other.named_parameters()[1].second.to_vector());
}

TEST(BiLstmEncoder, DropoutOnlyInTraining) {
  BiLstmSettings s = small_settings();
  s.weight_drop = 0.5f;
  BiLstmEncoder enc(s, kVocab, kPad);
  std::mt19937 rng(4);
  const std::vector<std::int64_t> lengths{4, 2};
  Tensor ids = make_ids(lengths, 4, kPad, rng);
  enc.eval();
  auto a = enc.encode({ids, lengths}).states.to_vector();
  EXPECT_EQ(a, enc.encode({ids, lengths}).states.to_vector());
  enc.train();
  auto b = enc.encode({ids, lengths}).states.to_vector();
  EXPECT_NE(a, b);
}

TEST(BiLstmEncoder, GradientsReachEveryParameterAndFrozenEmbeddingsStay) {
  BiLstmSettings s = small_settings();
  s.weight_drop = 0.25f;
  BiLstmEncoder enc(s, kVocab, kPad);
  std::mt19937 rng(5);
  const std::vector<std::int64_t> lengths{4, 2};
  Tensor ids = make_ids(lengths, 4, kPad, rng);
  auto loss_of = [&] {
    Memory m = enc.encode({ids, lengths});
    return ops::add(ops::sum(ops::tanh(m.states)), ops::sum(m.summary));
  };
  loss_of().backward();
  for (const auto& [name, t] : enc.named_parameters()) {
    ASSERT_TRUE(t.grad().defined()) << name;
    double norm = 0;
    for (float g : t.grad().to_vector()) norm += std::abs(g);
    EXPECT_GT(norm, 0.0) << name;
  }
  Tensor table = enc.embedding().weight();
  for (std::int64_t k = 0; k < 6; ++k) EXPECT_EQ(table.grad().item(kPad * 6 + k), 0.0f);

  enc.zero_grad();
  enc.freeze_embeddings(true);
  loss_of().backward();
  EXPECT_FALSE(table.grad().defined());
  EXPECT_TRUE(enc.named_parameters()[1].second.grad().defined());
}

TEST(BiLstmEncoder, BadBatchesAreShapeErrors) {
  BiLstmEncoder enc(small_settings(), kVocab, kPad);
  std::mt19937 rng(6);
  Tensor ids = make_ids({3, 2}, 3, kPad, rng);
  EXPECT_THROW(enc.encode({ids, {3}}), ShapeError);
  EXPECT_THROW(enc.encode({ids, {3, 4}}), ShapeError);
  EXPECT_THROW(enc.encode({ids, {3, 0}}), ShapeError);
  EXPECT_THROW(enc.encode({Tensor::zeros({2, 3}), {3, 2}}), ShapeError);
  Tensor bad = ids.clone();
  bad.data<std::int64_t>()[0] = kVocab;
  EXPECT_THROW(enc.encode({bad, {3, 2}}), ShapeError);
  // No lengths: every row is full.
  EXPECT_EQ(enc.encode({ids, {}}).mask.to_vector(), std::vector<float>(6, 1.0f));
}

}  // namespace
}  // namespace recur::encoders
