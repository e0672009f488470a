// A decoder with no weights for search tests: the log-probs of a row depend only on the
// row's source feature (memory.states[b, 0, 0], 0 for an empty memory), the step and the
// previous token, through a fixed hash, so a row's results never depend on what else is
// in its batch.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "recur/decoder.h"
#include "recur/output_subset.h"

namespace recur::testing {

class ToyDecoder : public Decoder {
 public:
  // logits(feature, step, prev, token); defaults to a pseudo-random table.
  using Logits = std::function<float(float, std::int64_t, std::int64_t, std::int64_t)>;
  ToyDecoder(std::int64_t vocab, Logits logits) : vocab_(vocab), logits_(std::move(logits)) {}

  // The decoder's own per-row state is the step count; the source feature is held once
  // per source in the memory rows, as a decoder attending to memory does.
  struct State : DecoderState {
    using DecoderState::DecoderState;
    std::size_t feature = 0;  // handle in memory_rows(): [sources] f32
    std::vector<std::int64_t> step;
    std::vector<std::int64_t> output_ids;  // ToySubsetDecoder's restriction (empty: all)
  };

  StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev) override {
    auto& s = static_cast<State&>(state);
    ++steps_;
    const auto n = s.batch_size();
    Tensor lp = Tensor::zeros({n, vocab_});
    Tensor att = Tensor::zeros({n, 2});
    const search::MemoryRows& rows = s.memory_rows();
    for (std::int64_t r = 0; r < n; ++r) {
      const float feature = rows.held(s.feature).data<float>()[rows.slot(r)];
      std::int64_t& step = s.step[static_cast<std::size_t>(r)];
      float* row = lp.data<float>() + r * vocab_;
      float mx = -1e30f;
      for (std::int64_t v = 0; v < vocab_; ++v) {
        row[v] = logits_(feature, step, prev[static_cast<std::size_t>(r)], v);
        mx = std::max(mx, row[v]);
      }
      double z = 0;
      for (std::int64_t v = 0; v < vocab_; ++v) z += std::exp(row[v] - mx);
      for (std::int64_t v = 0; v < vocab_; ++v) row[v] = row[v] - mx - static_cast<float>(std::log(z));
      att.data<float>()[r * 2] = feature;
      att.data<float>()[r * 2 + 1] = static_cast<float>(step);
      ++step;
    }
    if (!s.output_ids.empty()) lp = restricted(lp, s.output_ids);
    return {lp, att};
  }

  // Columns `ids` of log-probs [N, V], normalised over them.
  static Tensor restricted(const Tensor& lp, const std::vector<std::int64_t>& ids) {
    const std::int64_t n = lp.dim(0), v = lp.dim(1), k = static_cast<std::int64_t>(ids.size());
    Tensor out = Tensor::zeros({n, k});
    for (std::int64_t r = 0; r < n; ++r) {
      double z = 0;
      for (std::int64_t j = 0; j < k; ++j) z += std::exp(lp.data<float>()[r * v + ids[static_cast<std::size_t>(j)]]);
      for (std::int64_t j = 0; j < k; ++j) {
        out.data<float>()[r * k + j] =
            lp.data<float>()[r * v + ids[static_cast<std::size_t>(j)]] - static_cast<float>(std::log(z));
      }
    }
    return out;
  }

  Tensor forward(const Memory&, const Tensor&) override { throw Error("not for training"); }
  std::int64_t vocab_size() const override { return vocab_; }
  int steps() const { return steps_; }

 protected:
  // An empty memory (a decoder-only model) gives every row the feature 0.
  std::unique_ptr<DecoderState> init_state(const Memory& memory, search::MemoryRows rows) override {
    auto s = std::make_unique<State>(std::move(rows));
    const std::int64_t b = s->memory_rows().slots();
    Tensor feature = Tensor::zeros({b});
    for (std::int64_t i = 0; !memory.empty() && i < b; ++i) {
      feature.data<float>()[i] = memory.states.data<float>()[i * memory.states.dim(1) * memory.states.dim(2)];
    }
    s->feature = s->memory_rows().hold(feature);
    s->step.assign(static_cast<std::size_t>(b), 0);
    return s;
  }

  void reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) override {
    auto& s = static_cast<State&>(state);
    std::vector<std::int64_t> step;
    for (std::int64_t i : index) step.push_back(s.step.at(static_cast<std::size_t>(i)));
    s.step = std::move(step);
  }

 private:
  std::int64_t vocab_;
  Logits logits_;
  int steps_ = 0;
};

// A ToyDecoder that can score a subset of its vocabulary (recur/output_subset.h).
class ToySubsetDecoder : public ToyDecoder, public OutputSubset {
 public:
  using ToyDecoder::ToyDecoder;
  bool output_subset_supported() const override { return true; }
  void restrict_output(DecoderState& state, const std::vector<std::int64_t>& ids) override {
    check_output_subset(ids, vocab_size(), "toy decoder");
    static_cast<State&>(state).output_ids = ids;
  }
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
