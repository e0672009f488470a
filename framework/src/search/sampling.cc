// Sampling: one hypothesis per row, each token drawn from the step's distribution
// sharpened or flattened by the temperature and cut to the top-k tokens and to the
// nucleus (the fewest most likely tokens whose probability reaches top_p). Each row has
// its own random stream seeded by (seed, row key), so a row's sample never depends on
// its batch.
#include <algorithm>
#include <cmath>
#include <random>

#include "row_picks.h"

namespace recur::search::detail {

namespace {

class Draw final : public TokenPick {
 public:
  Draw(const std::vector<Row>& rows, const Options& o) : o_(o) {
    rngs_.reserve(rows.size());
    for (const Row& row : rows) {
      std::seed_seq seq{static_cast<std::uint32_t>(o.seed), static_cast<std::uint32_t>(o.seed >> 32),
                        static_cast<std::uint32_t>(row.key), static_cast<std::uint32_t>(row.key >> 32)};
      rngs_.emplace_back(seq);
    }
  }

  std::int64_t pick(std::size_t row, const float* lp, std::int64_t vocab) override {
    std::mt19937_64& rng = rngs_[row];
    const double t = o_.temperature;
    if (o_.top_k == 0 && o_.top_p >= 1.0f) {  // the whole vocabulary, no sorting
      const float best = *std::max_element(lp, lp + vocab);
      double total = 0;
      for (std::int64_t v = 0; v < vocab; ++v) total += std::exp((lp[v] - best) / t);
      double u = std::uniform_real_distribution<double>(0.0, total)(rng);
      for (std::int64_t v = 0; v < vocab; ++v) {
        u -= std::exp((lp[v] - best) / t);
        if (u < 0) return v;
      }
      return vocab - 1;  // rounding left u >= 0: the last token
    }
    // The k best, best first (ties to the lower id, as greedy search breaks them).
    const std::int64_t k = o_.top_k > 0 ? std::min(o_.top_k, vocab) : vocab;
    candidates_.resize(static_cast<std::size_t>(vocab));
    for (std::int64_t v = 0; v < vocab; ++v) candidates_[static_cast<std::size_t>(v)] = {lp[v], v};
    std::partial_sort(candidates_.begin(), candidates_.begin() + k, candidates_.end(),
                      [](const auto& a, const auto& b) {
                        return a.first > b.first || (a.first == b.first && a.second < b.second);
                      });
    weights_.resize(static_cast<std::size_t>(k));
    double total = 0;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      weights_[i] = std::exp((candidates_[i].first - candidates_[0].first) / t);
      total += weights_[i];
    }
    // The nucleus: the fewest candidates whose share of the probability reaches top_p.
    std::size_t kept = weights_.size();
    if (o_.top_p < 1.0f) {
      double mass = 0;
      for (std::size_t i = 0; i < weights_.size(); ++i) {
        mass += weights_[i];
        if (mass >= o_.top_p * total) {
          kept = i + 1;
          total = mass;
          break;
        }
      }
    }
    double u = std::uniform_real_distribution<double>(0.0, total)(rng);
    for (std::size_t i = 0; i < kept; ++i) {
      u -= weights_[i];
      if (u < 0) return candidates_[i].second;
    }
    return candidates_[kept - 1].second;
  }

 private:
  const Options& o_;
  std::vector<std::mt19937_64> rngs_;                         // per row
  std::vector<std::pair<float, std::int64_t>> candidates_;   // scratch, reused every step
  std::vector<double> weights_;
};

}  // namespace

std::vector<std::vector<Hypothesis>> sample(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& o,
                                            const OutputColumns& columns) {
  Draw draw(rows, o);
  return one_per_row(decoder, memory, rows, o, columns, draw);
}

}  // namespace recur::search::detail
