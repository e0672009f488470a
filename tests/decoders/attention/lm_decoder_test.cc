// The language-model decoder (lm_decoder.h): PyTorch parity over two chunks with the
// state carried between them (scripts/fixtures/make_lm_fixtures.py), chunking that never
// changes the logits, step() reproducing forward(), the hidden states it shows
// (HiddenStateReader), and its settings and errors.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "framework/ops/fixture_reader.h"
#include "framework/ops/rnn_test_util.h"
#include "lm_decoder.h"
#include "recur/config/section.h"
#include "recur/core/error.h"
#include "recur/nn/state_dict.h"
#include "recur/ops/loss.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::decoders {
namespace {

using recur::testing::expect_close;
using recur::testing::FixtureFile;

Tensor ids_tensor(const std::vector<std::int64_t>& values, std::int64_t b, std::int64_t t) {
  return Tensor::from<std::int64_t>({b, t}, values);
}

Tensor random_ids(std::int64_t b, std::int64_t t, std::int64_t vocab, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> pick(3, vocab - 1);
  std::vector<std::int64_t> v(static_cast<std::size_t>(b * t));
  for (auto& x : v) x = pick(rng);
  return ids_tensor(v, b, t);
}

LmDecoderSettings small(ops::RnnCell cell) {
  LmDecoderSettings s;
  s.cell = cell;
  s.embedding_size = 5;
  s.hidden_size = 6;
  s.layers = 2;
  s.dropout = 0.0f;
  s.seed = 3;
  return s;
}

class LmCellTest : public ::testing::TestWithParam<std::string> {};

ops::RnnCell cell_of(const std::string& name) { return *nn::rnn_cell_of(name); }

TEST_P(LmCellTest, MatchesPyTorchOverCarriedChunks) {
  FixtureFile f(std::string(RECUR_TEST_DATA_DIR) + "/fixtures/lm/" + GetParam() + ".safetensors");
  LmDecoderSettings s = small(cell_of(GetParam()));
  s.embedding_size = std::stoll(f.meta("embedding_size"));
  s.hidden_size = std::stoll(f.meta("hidden_size"));
  s.layers = std::stoll(f.meta("layers"));
  const std::int64_t vocab = std::stoll(f.meta("vocab_size"));
  LmDecoder dec(s, vocab, 0, false);
  for (auto& [name, t] : nn::state_dict(dec)) t.copy_from(f.f32(name));
  dec.train();  // dropout 0: training mode changes nothing but records the tape

  const std::vector<std::int64_t> ids1 = f.i64("ids1"), ids2 = f.i64("ids2"), targets2 = f.i64("targets2");
  std::vector<Tensor> carry;
  Tensor logits1 = dec.forward_carried(ids_tensor(ids1, 3, 4), carry);
  expect_close(logits1, f.f32("logits1"), 1e-5f, "logits of chunk 1");
  Tensor logits2 = dec.forward_carried(ids_tensor(ids2, 3, 5), carry);
  expect_close(logits2, f.f32("logits2"), 1e-5f, "logits of chunk 2");
  const std::size_t parts = GetParam() == "lstm" ? 4 : 2;
  ASSERT_EQ(carry.size(), parts);
  for (std::size_t i = 0; i < parts; ++i) {
    EXPECT_FALSE(carry[i].requires_grad()) << "the carried state is detached";
    expect_close(carry[i], f.f32("carry." + std::to_string(i)), 1e-5f, "carry." + std::to_string(i));
  }
  Tensor loss = ops::cross_entropy(ops::reshape(logits2, {15, vocab}),
                                   Tensor::from<std::int64_t>({15}, targets2));
  loss.backward();
  for (const auto& [name, p] : dec.named_parameters()) {
    expect_close(p.grad(), f.f32("grad." + name), 1e-4f, "gradient of " + name);
  }
}

TEST_P(LmCellTest, ChunkingDoesNotChangeTheLogits) {
  LmDecoder dec(small(cell_of(GetParam())), 13, 0);
  dec.eval();
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(7);
  Tensor ids = random_ids(2, 9, 13, rng);
  auto columns = [&](std::int64_t from, std::int64_t n) {
    std::vector<std::int64_t> v;
    for (std::int64_t r = 0; r < 2; ++r) {
      for (std::int64_t k = from; k < from + n; ++k) v.push_back(ids.data<std::int64_t>()[r * 9 + k]);
    }
    return ids_tensor(v, 2, n);
  };
  std::vector<Tensor> none;
  Tensor whole = dec.forward_carried(ids, none);
  std::vector<Tensor> carry;
  Tensor a = dec.forward_carried(columns(0, 4), carry);
  Tensor b = dec.forward_carried(columns(4, 5), carry);
  expect_close(ops::concat({a, b}, 1), whole, 1e-5f, "logits of two chunks");
  expect_close(dec.forward(Memory{}, ids), whole, 0.0f, "forward() from zeros");
}

TEST_P(LmCellTest, StepReproducesForward) {
  LmDecoder dec(small(cell_of(GetParam())), 13, 0);
  dec.eval();
  autograd::NoGradGuard no_grad;
  std::mt19937 rng(8);
  const std::int64_t b = 3, t = 6;
  Tensor ids = random_ids(b, t, 13, rng);
  Tensor want = ops::log_softmax(dec.forward(Memory{}, ids), -1);
  auto state = dec.init(Memory{}, b);
  for (std::int64_t k = 0; k < t; ++k) {
    std::vector<std::int64_t> col;
    for (std::int64_t r = 0; r < b; ++r) col.push_back(ids.data<std::int64_t>()[r * t + k]);
    StepOutput out = dec.step(*state, col);
    EXPECT_FALSE(out.attention.defined());
    expect_close(out.log_probs, ops::reshape(ops::narrow(want, 1, k, 1), {b, 13}), 1e-5f,
                 "step " + std::to_string(k));
  }
}

// Row k of hidden_states(ids, layer) is that layer's h after ids[0..k]: the state a
// forward pass over the first k + 1 ids carries out.
TEST_P(LmCellTest, HiddenStatesAreEachLayersStateAfterEveryId) {
  LmDecoder dec(small(cell_of(GetParam())), 13, 0);
  dec.eval();
  autograd::NoGradGuard no_grad;
  HiddenStateReader& reader = dec;
  EXPECT_EQ(reader.hidden_layers(), 2);
  EXPECT_EQ(reader.hidden_units(), 6);
  const std::vector<std::int64_t> ids{2, 5, 7, 3, 12, 4, 9};
  for (std::int64_t layer : {0, 1}) {
    const Tensor states = reader.hidden_states(ids, layer);
    ASSERT_EQ(states.shape(), (Shape{7, 6}));
    for (std::int64_t k = 1; k <= 7; ++k) {
      std::vector<Tensor> carry;
      dec.forward_carried(ids_tensor(std::vector<std::int64_t>(ids.begin(), ids.begin() + k), 1, k), carry);
      expect_close(ops::narrow(states, 0, k - 1, 1), ops::reshape(carry[static_cast<std::size_t>(layer)], {1, 6}),
                   1e-5f, "layer " + std::to_string(layer) + " after " + std::to_string(k) + " ids");
    }
  }
  EXPECT_THROW(reader.hidden_states(ids, 2), Error);
  EXPECT_THROW(reader.hidden_states(ids, -1), Error);
  EXPECT_THROW(reader.hidden_states({}, 0), ShapeError);
}

INSTANTIATE_TEST_SUITE_P(Cells, LmCellTest, ::testing::Values("lstm", "gru", "rnn"),
                         [](const auto& info) { return info.param; });

TEST(LmDecoder, ReorderKeepsTheSelectedRows) {
  LmDecoder dec(small(ops::RnnCell::lstm), 13, 0);
  dec.eval();
  autograd::NoGradGuard no_grad;
  auto state = dec.init(Memory{}, 3);
  dec.reorder(*state, {2, 0});  // before the first step: nothing to move, two rows left
  EXPECT_EQ(state->batch_size(), 2);
  dec.step(*state, {4, 5});
  auto again = dec.init(Memory{}, 2);
  dec.step(*again, {4, 5});
  dec.reorder(*state, {1, 1});
  StepOutput moved = dec.step(*state, {6, 6});
  dec.reorder(*again, {1, 1});
  StepOutput want = dec.step(*again, {6, 6});
  expect_close(moved.log_probs, want.log_probs, 0.0f, "reordered rows");
}

TEST(LmDecoder, BadInputsAreErrors) {
  LmDecoder dec(small(ops::RnnCell::gru), 13, 0);
  std::mt19937 rng(9);
  Memory memory;
  memory.states = Tensor::zeros({1, 2, 6});
  EXPECT_THROW(dec.forward(memory, random_ids(1, 2, 13, rng)), ShapeError);
  EXPECT_THROW(dec.init(memory, 1), ShapeError);
  std::vector<Tensor> carry{Tensor::zeros({1, 2, 6})};  // 1 tensor for 2 layers
  EXPECT_THROW(dec.forward_carried(random_ids(2, 3, 13, rng), carry), ShapeError);
  std::vector<Tensor> wrong_batch{Tensor::zeros({1, 4, 6}), Tensor::zeros({1, 4, 6})};
  EXPECT_THROW(dec.forward_carried(random_ids(2, 3, 13, rng), wrong_batch), ShapeError);
  std::vector<Tensor> none;
  EXPECT_THROW(dec.forward_carried(Tensor::zeros({2, 3}), none), ShapeError);  // f32 ids
}

config::Section decoder_section(const std::string& yaml) {
  return config::load_string(yaml, "pipeline.yaml", "/models/m").section("decoder");
}

TEST(LmDecoderSettings, DefaultsAndKeys) {
  LmDecoderSettings d = parse_lm_decoder_settings(decoder_section("decoder: {}\n"), ops::RnnCell::lstm);
  EXPECT_EQ(d.hidden_size, 512);
  EXPECT_EQ(d.layers, 2);
  EXPECT_EQ(d.embedding_size, 256);
  LmDecoderSettings s = parse_lm_decoder_settings(
      decoder_section("decoder: {hidden_size: 64, layers: 3, embedding_size: 64, tie_embeddings: true}\n"),
      ops::RnnCell::tanh);
  EXPECT_EQ(s.cell, ops::RnnCell::tanh);
  EXPECT_EQ(s.layers, 3);
  EXPECT_TRUE(s.tie_embeddings);
}

TEST(LmDecoderSettings, AttentionKeysAreErrorsNamingTheKey) {
  for (const std::string key : {"attention: dot", "copy: true", "coverage: true"}) {
    try {
      parse_lm_decoder_settings(decoder_section("decoder:\n  " + key + "\n"), ops::RnnCell::gru);
      ADD_FAILURE() << key << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("pipeline.yaml:2"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("attends to nothing"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_lm_decoder_settings(decoder_section("decoder: {tie_embeddings: true, hidden_size: 8}\n"),
                                         ops::RnnCell::lstm),
               ConfigError);
}

}  // namespace
}  // namespace recur::decoders
