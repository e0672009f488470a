// A decoder with no weights for search tests: the log-probs of a row depend only on the
// row's source feature (memory.states[b, 0, 0]), the step and the previous token, through
// a fixed hash, so a row's results never depend on what else is in its batch.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "recur/decoder.h"

namespace recur::testing {

class ToyDecoder : public Decoder {
 public:
  // logits(feature, step, prev, token); defaults to a pseudo-random table.
  using Logits = std::function<float(float, std::int64_t, std::int64_t, std::int64_t)>;
  ToyDecoder(std::int64_t vocab, Logits logits) : vocab_(vocab), logits_(std::move(logits)) {}

  struct State : DecoderState {
    std::vector<float> feature;
    std::vector<std::int64_t> step;
    std::int64_t batch_size() const override { return static_cast<std::int64_t>(feature.size()); }
  };

  std::unique_ptr<DecoderState> init(const Memory& memory) override {
    auto s = std::make_unique<State>();
    for (std::int64_t b = 0; b < memory.states.dim(0); ++b) {
      s->feature.push_back(memory.states.data<float>()[b * memory.states.dim(1) * memory.states.dim(2)]);
      s->step.push_back(0);
    }
    return s;
  }

  StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev) override {
    auto& s = static_cast<State&>(state);
    ++steps_;
    const auto n = static_cast<std::int64_t>(s.feature.size());
    Tensor lp = Tensor::zeros({n, vocab_});
    Tensor att = Tensor::zeros({n, 2});
    for (std::int64_t r = 0; r < n; ++r) {
      float* row = lp.data<float>() + r * vocab_;
      float mx = -1e30f;
      for (std::int64_t v = 0; v < vocab_; ++v) {
        row[v] = logits_(s.feature[static_cast<std::size_t>(r)], s.step[static_cast<std::size_t>(r)],
                         prev[static_cast<std::size_t>(r)], v);
        mx = std::max(mx, row[v]);
      }
      double z = 0;
      for (std::int64_t v = 0; v < vocab_; ++v) z += std::exp(row[v] - mx);
      for (std::int64_t v = 0; v < vocab_; ++v) row[v] = row[v] - mx - static_cast<float>(std::log(z));
      att.data<float>()[r * 2] = s.feature[static_cast<std::size_t>(r)];
      att.data<float>()[r * 2 + 1] = static_cast<float>(s.step[static_cast<std::size_t>(r)]);
      ++s.step[static_cast<std::size_t>(r)];
    }
    return {lp, att};
  }

  void reorder(DecoderState& state, const std::vector<std::int64_t>& index) override {
    auto& s = static_cast<State&>(state);
    State next;
    for (std::int64_t i : index) {
      next.feature.push_back(s.feature.at(static_cast<std::size_t>(i)));
      next.step.push_back(s.step.at(static_cast<std::size_t>(i)));
    }
    s.feature = std::move(next.feature);
    s.step = std::move(next.step);
  }

  Tensor forward(const Memory&, const Tensor&) override { throw Error("not for training"); }
  std::int64_t vocab_size() const override { return vocab_; }
  int steps() const { return steps_; }

 private:
  std::int64_t vocab_;
  Logits logits_;
  int steps_ = 0;
};

// Pseudo-random logits in [-3, 3] from a hash of the arguments.
inline float hashed_logit(float feature, std::int64_t step, std::int64_t prev, std::int64_t v) {
  std::uint64_t h = static_cast<std::uint64_t>(feature * 1000.0f) * 0x9E3779B97F4A7C15ull;
  h ^= static_cast<std::uint64_t>(step + 1) * 0xC2B2AE3D27D4EB4Full;
  h ^= static_cast<std::uint64_t>(prev + 7) * 0x165667B19E3779F9ull;
  h ^= static_cast<std::uint64_t>(v + 13) * 0x27D4EB2F165667C5ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return static_cast<float>(h % 6001) / 1000.0f - 3.0f;
}

// Memory with one feature per row.
inline Memory toy_memory(const std::vector<float>& features) {
  const auto b = static_cast<std::int64_t>(features.size());
  Memory m;
  m.states = Tensor::zeros({b, 2, 1});
  m.mask = Tensor::ones({b, 2});
  for (std::int64_t i = 0; i < b; ++i) m.states.data<float>()[i * 2] = features[static_cast<std::size_t>(i)];
  return m;
}

}  // namespace recur::testing
