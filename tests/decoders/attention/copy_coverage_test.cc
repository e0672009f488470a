// Copy attention (pointer-generator) and coverage in the attention decoders: step()
// reproduces forward() (log P, coverage carried from step to step and through
// reorder()), P is a distribution, the coverage loss and every parameter's gradient
// match finite differences, and bad source ids are errors.
#include "copy_coverage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "decoder_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/loss.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::decoders {
namespace {

using namespace testing;

struct CopyConfig {
  Config base;
  bool copy;
  bool coverage;
};

std::string copy_config_name(const CopyConfig& c) {
  return config_name(c.base) + (c.copy ? "_copy" : "") + (c.coverage ? "_coverage" : "");
}

AttentionDecoderSettings copy_settings(const CopyConfig& c) {
  AttentionDecoderSettings s = settings_for(c.base);
  s.copy = c.copy;
  s.coverage = c.coverage;
  s.coverage_loss = 0.7f;
  return s;
}

// Source ids as a task gives them: real tokens (repeats included) and pad at padding.
void add_source_ids(Memory& m, std::mt19937& rng) {
  const std::int64_t b = m.mask.dim(0), s = m.mask.dim(1);
  std::uniform_int_distribution<std::int64_t> token(3, 6);  // few ids: repeats
  m.source_ids = Tensor::zeros({b, s}, DType::i64);
  for (std::int64_t i = 0; i < b * s; ++i) {
    m.source_ids.data<std::int64_t>()[i] = m.mask.item(i) != 0.0f ? token(rng) : kPad;
  }
}

std::vector<std::int64_t> column(const Tensor& ids, std::int64_t t) {
  std::vector<std::int64_t> col;
  for (std::int64_t b = 0; b < ids.dim(0); ++b)
    col.push_back(ids.data<std::int64_t>()[b * ids.dim(1) + t]);
  return col;
}

// forward()'s output as step() returns it: log P with copy, else log_softmax(logits).
Tensor forward_log_probs(AttentionDecoder& dec, const Memory& m, const Tensor& tgt) {
  Tensor out = dec.forward(m, tgt);
  return dec.settings().copy ? out : ops::log_softmax(out, -1);
}

Memory select_rows(const Memory& m, const std::vector<std::int64_t>& index) {
  Tensor idx = Tensor::from<std::int64_t>({static_cast<std::int64_t>(index.size())}, index);
  Memory r;
  r.states = ops::index_select(m.states, idx);
  r.mask = ops::index_select(m.mask, idx);
  r.summary = ops::index_select(m.summary, idx);
  const std::int64_t s = m.source_ids.dim(1);
  r.source_ids = Tensor::zeros({idx.dim(0), s}, DType::i64);
  for (std::size_t k = 0; k < index.size(); ++k) {
    for (std::int64_t j = 0; j < s; ++j) {
      r.source_ids.data<std::int64_t>()[static_cast<std::int64_t>(k) * s + j] =
          m.source_ids.data<std::int64_t>()[index[k] * s + j];
    }
  }
  return r;
}

Tensor select_id_rows(const Tensor& ids, const std::vector<std::int64_t>& index) {
  const std::int64_t t = ids.dim(1);
  std::vector<std::int64_t> out;
  for (std::int64_t r : index) {
    for (std::int64_t j = 0; j < t; ++j) out.push_back(ids.data<std::int64_t>()[r * t + j]);
  }
  return Tensor::from<std::int64_t>({static_cast<std::int64_t>(index.size()), t}, out);
}

class CopyCoverageTest : public ::testing::TestWithParam<CopyConfig> {};

TEST_P(CopyCoverageTest, StepReproducesForward) {
  AttentionDecoder dec(copy_settings(GetParam()), sizes());
  dec.eval();
  std::mt19937 rng(1);
  Memory m = random_memory({5, 2, 4}, 5, rng);
  add_source_ids(m, rng);
  Tensor tgt = random_ids(3, 6, rng);
  Tensor want = forward_log_probs(dec, m, tgt);
  ASSERT_EQ(want.shape(), (Shape{3, 6, kVocab}));

  autograd::NoGradGuard no_grad;
  auto state = dec.init(m);
  for (std::int64_t t = 0; t < 6; ++t) {
    StepOutput out = dec.step(*state, column(tgt, t));
    ASSERT_EQ(out.log_probs.shape(), (Shape{3, kVocab}));
    for (std::int64_t b = 0; b < 3; ++b) {
      double total = 0;
      for (std::int64_t v = 0; v < kVocab; ++v) {
        const float lp = out.log_probs.item(b * kVocab + v);
        ASSERT_NEAR(lp, want.item((b * 6 + t) * kVocab + v), 1e-5f) << "row " << b << " step " << t;
        total += std::exp(static_cast<double>(lp));
      }
      EXPECT_NEAR(total, 1.0, 1e-5) << "row " << b << " step " << t;
    }
  }
}

// Rows reordered after two steps (one repeated, one dropped) continue like the same rows
// decoded from the start: the coverage moves with its row.
TEST_P(CopyCoverageTest, ReorderCarriesTheCoverage) {
  AttentionDecoder dec(copy_settings(GetParam()), sizes());
  dec.eval();
  std::mt19937 rng(2);
  Memory m = random_memory({4, 3, 2}, 4, rng);
  add_source_ids(m, rng);
  Tensor tgt = random_ids(3, 4, rng);
  const std::vector<std::int64_t> index{2, 0, 0};
  Tensor want = forward_log_probs(dec, select_rows(m, index), select_id_rows(tgt, index));

  autograd::NoGradGuard no_grad;
  auto state = dec.init(m);
  dec.step(*state, column(tgt, 0));
  dec.step(*state, column(tgt, 1));
  dec.reorder(*state, index);
  for (std::int64_t t = 2; t < 4; ++t) {
    std::vector<std::int64_t> prev;
    for (std::int64_t r : index) prev.push_back(column(tgt, t)[static_cast<std::size_t>(r)]);
    StepOutput out = dec.step(*state, prev);
    for (std::int64_t b = 0; b < 3; ++b) {
      for (std::int64_t v = 0; v < kVocab; ++v) {
        ASSERT_NEAR(out.log_probs.item(b * kVocab + v), want.item((b * 4 + t) * kVocab + v), 1e-5f)
            << "row " << b << " step " << t;
      }
    }
  }
}

// The training loss (cross-entropy of forward() plus the coverage loss) against central
// differences.
TEST_P(CopyCoverageTest, LossGradientsMatchFiniteDifferences) {
  AttentionDecoderSettings s = copy_settings(GetParam());
  s.dropout = 0.0f;
  AttentionDecoder dec(s, sizes());
  std::mt19937 rng(3);
  Memory m = random_memory({4, 2}, 4, rng);
  add_source_ids(m, rng);
  Tensor tgt_in =
      Tensor::from<std::int64_t>({2, 3}, std::vector<std::int64_t>{1, 4, 5, 1, 6, kPad});
  Tensor tgt_out =
      Tensor::from<std::int64_t>({2, 3}, std::vector<std::int64_t>{4, 5, 2, 6, 2, kPad});
  auto loss = [&](const std::vector<Tensor>&) {
    Tensor out = dec.forward(m, tgt_in);
    ops::CrossEntropyOptions o;
    o.ignore_index = kPad;
    Tensor l = ops::cross_entropy(ops::reshape(out, {-1, kVocab}), tgt_out.view({6}), o);
    if (s.coverage) {
      EXPECT_TRUE(dec.auxiliary_loss().defined());
      l = ops::add(l, dec.auxiliary_loss());
    } else {
      EXPECT_FALSE(dec.auxiliary_loss().defined());
    }
    return l;
  };
  // The parameters copy and coverage add and those their gradients flow through first
  // (every parameter takes minutes on a busy machine; the rest is tested without copy).
  const std::set<std::string> names{"copy.weight",     "copy.bias",   "attention.w_coverage",
                                    "attention.w_key", "attention.v", "bridge.bias",
                                    "projection.bias", "rnn.l0.bias"};
  std::vector<Tensor> params;
  for (const auto& [name, t] : dec.named_parameters()) {
    if (names.count(name)) params.push_back(t);
  }
  recur::testing::GradcheckOptions opt;
  opt.eps = 5e-3f;
  recur::testing::check_gradients(loss, params, opt);
}

INSTANTIATE_TEST_SUITE_P(
    CopyAndCoverage, CopyCoverageTest,
    ::testing::Values(CopyConfig{{ops::RnnCell::lstm, AttentionKind::general, 1}, true, true},
                      CopyConfig{{ops::RnnCell::gru, AttentionKind::mlp, 1}, true, true},
                      CopyConfig{{ops::RnnCell::lstm, AttentionKind::dot, 2}, true, true},
                      CopyConfig{{ops::RnnCell::gru, AttentionKind::general, 2}, true, false},
                      CopyConfig{{ops::RnnCell::lstm, AttentionKind::mlp, 2}, false, true}),
    [](const auto& info) { return copy_config_name(info.param); });

TEST(CopyCoverage, ParametersAreNamed) {
  AttentionDecoderSettings s =
      copy_settings({{ops::RnnCell::gru, AttentionKind::mlp, 1}, true, true});
  AttentionDecoder dec(s, sizes());
  std::map<std::string, Shape> got;
  for (const auto& [name, t] : dec.named_parameters()) got[name] = t.shape();
  EXPECT_EQ(got.at("copy.weight"), (Shape{1, kMemory + kHidden + 4}));
  EXPECT_EQ(got.at("copy.bias"), (Shape{1}));
  EXPECT_EQ(got.at("attention.w_coverage"), (Shape{7}));
  s.attention = AttentionKind::general;
  AttentionDecoder general(s, sizes());
  for (const auto& [name, t] : general.named_parameters()) {
    if (name == "attention.w_coverage") {
      EXPECT_EQ(t.shape(), (Shape{1}));
    }
  }
}

TEST(CopyCoverage, TheCoverageLossOfOneStepIsZeroThenCountsOverlap) {
  // a = (0.5, 0.5), c = 0 -> 0; a = (0.25, 0.75), c = (0.5, 0.5) -> 0.25 + 0.5.
  Tensor a0 = Tensor::from({1, 1, 2}, {0.5f, 0.5f});
  EXPECT_EQ(coverage_step_loss(a0, Tensor::zeros({1, 1, 2})).item(), 0.0f);
  Tensor a1 = Tensor::from({1, 1, 2}, {0.25f, 0.75f});
  EXPECT_FLOAT_EQ(coverage_step_loss(a1, a0).item(), 0.75f);
}

TEST(CopyCoverage, SourceIdsMustBeTargetIds) {
  AttentionDecoder dec(copy_settings({{ops::RnnCell::gru, AttentionKind::general, 1}, true, false}),
                       sizes());
  std::mt19937 rng(5);
  Memory m = random_memory({3, 2}, 3, rng);
  Tensor tgt = random_ids(2, 2, rng);
  EXPECT_THROW(dec.forward(m, tgt), ShapeError);  // no source ids
  add_source_ids(m, rng);
  m.source_ids.data<std::int64_t>()[1] = kVocab;  // outside the target vocabulary
  try {
    dec.forward(m, tgt);
    FAIL() << "expected a ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("joint vocabulary"), std::string::npos) << e.what();
  }
  EXPECT_THROW(dec.init(m), ShapeError);
}

// The extended vocabulary: source positions holding ids V, V + 1 (OOV words) make the
// distribution V + 2 wide; their copied mass is what the same positions gave the unknown
// id when they held it, the rest is unchanged; step() equals forward(); an extended id fed
// back is the unknown id; ids beyond V + S and extended ids without an unknown id are errors.
TEST(CopyCoverage, ExtendedIdsGetTheCopiedMassOfTheirPositions) {
  constexpr std::int64_t kUnk = 3;
  DecoderSizes with_unk = sizes();
  with_unk.unk_id = kUnk;
  AttentionDecoder dec(copy_settings({{ops::RnnCell::gru, AttentionKind::general, 1}, true, true}),
                       with_unk);
  dec.eval();
  std::mt19937 rng(8);
  Memory plain = random_memory({5, 4}, 5, rng);
  add_source_ids(plain, rng);
  Memory extended = plain;
  extended.source_ids = plain.source_ids.clone();
  std::int64_t* ext = extended.source_ids.data<std::int64_t>();
  std::int64_t* unk = plain.source_ids.data<std::int64_t>();
  ext[1] = kVocab;  // row 0: OOV 0 twice, OOV 1 once
  ext[3] = kVocab;
  ext[2] = kVocab + 1;
  ext[5 + 0] = kVocab;  // row 1: one OOV
  for (int i : {1, 2, 3, 5}) unk[i] = kUnk;
  const std::int64_t w = kVocab + 2;
  Tensor tgt = Tensor::from<std::int64_t>({2, 3}, std::vector<std::int64_t>{1, kVocab, 5, 1, 6, kVocab + 1});
  Tensor tgt_unk = Tensor::from<std::int64_t>({2, 3}, std::vector<std::int64_t>{1, kUnk, 5, 1, 6, kUnk});

  Tensor want = dec.forward(extended, tgt);
  ASSERT_EQ(want.shape(), (Shape{2, 3, w}));
  Tensor base = dec.forward(plain, tgt_unk);
  ASSERT_EQ(base.shape(), (Shape{2, 3, kVocab}));
  autograd::NoGradGuard no_grad;
  auto state = dec.init(extended);
  for (std::int64_t t = 0; t < 3; ++t) {
    StepOutput out = dec.step(*state, column(tgt, t));
    ASSERT_EQ(out.log_probs.shape(), (Shape{2, w}));
    for (std::int64_t b = 0; b < 2; ++b) {
      auto p = [&](const Tensor& x, std::int64_t width, std::int64_t v) {
        return std::exp(static_cast<double>(x.item((b * 3 + t) * width + v)));
      };
      double total = 0;
      for (std::int64_t v = 0; v < w; ++v) {
        ASSERT_NEAR(out.log_probs.item(b * w + v), want.item((b * 3 + t) * w + v), 1e-5f) << b << " " << t;
        total += p(want, w, v);
      }
      EXPECT_NEAR(total, 1.0, 1e-5);
      for (std::int64_t v = 0; v < kVocab; ++v) {
        if (v != kUnk) {
          EXPECT_NEAR(p(want, w, v), p(base, kVocab, v), 1e-5) << b << " " << t << " " << v;
        }
      }
      EXPECT_NEAR(p(want, w, kUnk) + p(want, w, kVocab) + p(want, w, kVocab + 1), p(base, kVocab, kUnk), 1e-5);
      EXPECT_GT(p(want, w, kVocab), 1e-4);  // copied
      if (b == 1) {
        EXPECT_LT(p(want, w, kVocab + 1), 1e-9);  // row 1 has no OOV 1
      }
    }
  }
  // Over the extended ids [V, V + S): S = 5 here.
  extended.source_ids.data<std::int64_t>()[4] = kVocab + 5;
  EXPECT_THROW(dec.forward(extended, tgt), ShapeError);
  extended.source_ids.data<std::int64_t>()[4] = kVocab + 4;
  EXPECT_NO_THROW(dec.forward(extended, tgt));
  AttentionDecoder no_unk(copy_settings({{ops::RnnCell::gru, AttentionKind::general, 1}, true, true}),
                          sizes());
  EXPECT_THROW(no_unk.forward(extended, tgt), ShapeError);
  EXPECT_THROW(no_unk.forward(plain, tgt), ShapeError);  // an extended input id, no unk to feed
}

TEST(CopyCoverage, FedIdsAndExtendedWidth) {
  Tensor ids = Tensor::from<std::int64_t>({2, 2}, std::vector<std::int64_t>{4, 13, 15, 0});
  EXPECT_EQ(fed_ids(ids, 13, 3).to_vector_of<std::int64_t>(), (std::vector<std::int64_t>{4, 3, 3, 0}));
  EXPECT_EQ(extended_width(ids, 13), 16);
  EXPECT_EQ(extended_width(ids, 20), 20);
  EXPECT_EQ(extended_width(Tensor(), 13), 13);
}

}  // namespace
}  // namespace recur::decoders
