// Small decoders and random memories for the attention decoder tests.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "attention_decoder.h"
#include "framework/ops/gradcheck.h"
#include "recur/nn/rnn.h"

namespace recur::decoders::testing {

struct Config {
  ops::RnnCell cell;
  AttentionKind attention;
  std::int64_t layers;
};

inline std::string config_name(const Config& c) {
  std::string name = std::string(nn::rnn_cell_name(c.cell)) + "_";
  name += c.attention == AttentionKind::dot ? "dot" : c.attention == AttentionKind::general ? "general" : "mlp";
  return name + "_l" + std::to_string(c.layers);
}

inline const std::vector<Config>& all_configs() {
  static const std::vector<Config> configs{
      {ops::RnnCell::lstm, AttentionKind::dot, 1},     {ops::RnnCell::lstm, AttentionKind::general, 1},
      {ops::RnnCell::lstm, AttentionKind::mlp, 2},     {ops::RnnCell::gru, AttentionKind::dot, 2},
      {ops::RnnCell::gru, AttentionKind::general, 1},  {ops::RnnCell::gru, AttentionKind::mlp, 1},
      {ops::RnnCell::lstm, AttentionKind::general, 3}, {ops::RnnCell::gru, AttentionKind::general, 2},
      {ops::RnnCell::tanh, AttentionKind::mlp, 2},     {ops::RnnCell::tanh, AttentionKind::dot, 1}};
  return configs;
}

constexpr std::int64_t kVocab = 13, kPad = 0, kHidden = 6, kMemory = 6, kSummary = 5;

inline AttentionDecoderSettings settings_for(const Config& c) {
  AttentionDecoderSettings s;
  s.cell = c.cell;
  s.attention = c.attention;
  s.layers = c.layers;
  s.embedding_size = 4;
  s.hidden_size = kHidden;
  s.attention_size = 7;
  s.dropout = 0.3f;
  s.seed = 11;
  return s;
}

inline DecoderSizes sizes() { return {kVocab, kMemory, kSummary, kPad}; }

// A memory as an encoder gives it: random states, zero at padding.
inline Memory random_memory(const std::vector<std::int64_t>& lengths, std::int64_t steps,
                            std::mt19937& rng) {
  const auto b = static_cast<std::int64_t>(lengths.size());
  Memory m;
  m.states = recur::testing::random_tensor({b, steps, kMemory}, rng);
  m.mask = Tensor::zeros({b, steps});
  m.summary = recur::testing::random_tensor({b, kSummary}, rng);
  for (std::int64_t i = 0; i < b; ++i) {
    for (std::int64_t t = 0; t < steps; ++t) {
      if (t < lengths[static_cast<std::size_t>(i)]) {
        m.mask.data<float>()[i * steps + t] = 1.0f;
      } else {
        for (std::int64_t k = 0; k < kMemory; ++k) m.states.data<float>()[(i * steps + t) * kMemory + k] = 0.0f;
      }
    }
  }
  return m;
}

inline Tensor random_ids(std::int64_t rows, std::int64_t steps, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> token(1, kVocab - 1);
  std::vector<std::int64_t> ids(static_cast<std::size_t>(rows * steps));
  for (auto& id : ids) id = token(rng);
  return Tensor::from<std::int64_t>({rows, steps}, ids);
}

}  // namespace recur::decoders::testing
