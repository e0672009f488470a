// Prints recur::search::decode results on a toy decoder whose float32 log-probs are
// multiples of 1/8 with many ties, every float as %a, for check_search.py to compare
// with the reference's port (recur_search.py). A developer tool, not part of the build:
// see check_search.py for the commands.
#include <cstdio>
#include <memory>
#include <vector>

#include "recur/search/search.h"

namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

struct ToyState : recur::DecoderState {
  using recur::DecoderState::DecoderState;
  std::vector<std::uint64_t> hash;  // of the row's key and the tokens fed so far
};

class ToyDecoder : public recur::Decoder {
 public:
  ToyDecoder(std::int64_t vocab, std::uint64_t levels, std::uint64_t seed)
      : vocab_(vocab), levels_(levels), seed_(seed) {}

  recur::StepOutput step(recur::DecoderState& state, const std::vector<std::int64_t>& prev) override {
    auto& s = static_cast<ToyState&>(state);
    const auto n = static_cast<std::int64_t>(s.hash.size());
    recur::Tensor lp = recur::Tensor::zeros({n, vocab_});
    for (std::int64_t r = 0; r < n; ++r) {
      auto& h = s.hash[static_cast<std::size_t>(r)];
      h = mix(h ^ (static_cast<std::uint64_t>(prev[static_cast<std::size_t>(r)]) + 0x9e3779b97f4a7c15ull));
      for (std::int64_t v = 0; v < vocab_; ++v) {
        std::uint64_t x = mix(h + static_cast<std::uint64_t>(v) * 0x632be59bd9b4e019ull);
        lp.data<float>()[r * vocab_ + v] = -static_cast<float>(x % levels_) / 8.0f;
      }
    }
    return {lp, recur::Tensor()};
  }

  recur::Tensor forward(const recur::Memory&, const recur::Tensor&) override {
    throw recur::Error("toy decoder: no training");
  }
  std::int64_t vocab_size() const override { return vocab_; }

 protected:
  std::unique_ptr<recur::DecoderState> init_state(const recur::Memory&,
                                                  recur::search::MemoryRows rows) override {
    auto s = std::make_unique<ToyState>(std::move(rows));
    for (std::int64_t b = 0; b < s->batch_size(); ++b)
      s->hash.push_back(mix(seed_ * 1000 + static_cast<std::uint64_t>(b) + 1));
    return s;
  }

  void reorder_state(recur::DecoderState& state, const std::vector<std::int64_t>& index) override {
    auto& s = static_cast<ToyState&>(state);
    std::vector<std::uint64_t> next;
    for (auto i : index) next.push_back(s.hash.at(static_cast<std::size_t>(i)));
    s.hash = std::move(next);
  }

 private:
  std::int64_t vocab_;
  std::uint64_t levels_, seed_;
};

}  // namespace

int main() {
  const std::vector<std::int64_t> lengths = {1, 2, 3, 5, 8, 12, 4};
  std::uint64_t seed = 0;
  for (std::int64_t vocab : {5, 8, 30}) {
    for (std::uint64_t levels : {3, 16, 64}) {
      for (std::int64_t k : {1, 2, 3, 5}) {
        for (float alpha : {0.0f, 0.6f, 1.0f}) {
          for (float a : {0.5f, 1.5f}) {
            ++seed;
            recur::search::Options o;
            o.beam_size = k;
            o.n_best = k;
            o.length_penalty = alpha;
            o.max_length_a = a;
            o.max_length_b = 2;
            o.max_length_cap = 9;
            ToyDecoder decoder(vocab, levels, seed);
            recur::Memory memory;
            memory.states = recur::Tensor::zeros({static_cast<std::int64_t>(lengths.size()), 1, 1});
            std::vector<recur::search::Row> rows;
            for (std::size_t i = 0; i < lengths.size(); ++i) rows.push_back({lengths[i], i, {}});
            auto result = recur::search::decode(decoder, memory, rows, o);
            std::printf("C %lld %llu %lld %a %a 2 9 %llu\n", static_cast<long long>(vocab),
                        static_cast<unsigned long long>(levels), static_cast<long long>(k), alpha, a,
                        static_cast<unsigned long long>(seed));
            for (std::size_t r = 0; r < result.size(); ++r) {
              for (const auto& h : result[r]) {
                std::printf("H %zu %a %a", r, h.score, h.log_prob);
                for (auto id : h.ids) std::printf(" %lld", static_cast<long long>(id));
                std::printf("\n");
              }
            }
          }
        }
      }
    }
  }
}
