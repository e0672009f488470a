// Greedy decoding and sampling: one hypothesis per row; rows leave the batch as they
// finish.
#include <cmath>
#include <random>

#include "row_picks.h"

namespace recur::search::detail {

namespace {

// Picks a token from one row of log-probs by sampling from the top-k (0 = all) after
// dividing by the temperature.
std::int64_t sample(const float* row, std::int64_t v, const Options& o, std::mt19937_64& rng) {
  auto cands = top_k(row, v, o.top_k > 0 ? o.top_k : v);
  double best = cands.front().first / o.temperature;
  std::vector<double> weights;
  weights.reserve(cands.size());
  for (const auto& [lp, id] : cands) weights.push_back(std::exp(lp / o.temperature - best));
  std::discrete_distribution<std::size_t> dist(weights.begin(), weights.end());
  return cands[dist(rng)].second;
}

}  // namespace

std::vector<std::vector<Hypothesis>> greedy(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& o) {
  const std::int64_t vocab = decoder.vocab_size();
  std::vector<Hypothesis> hyps(rows.size());
  std::vector<std::int64_t> active(rows.size());  // original row of each state row
  std::vector<std::int64_t> limit(rows.size());
  std::vector<std::mt19937_64> rngs;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    active[i] = static_cast<std::int64_t>(i);
    limit[i] = max_output_length(o, rows[i].source_length);
    if (o.sampling) {
      std::seed_seq seq{static_cast<std::uint32_t>(o.seed), static_cast<std::uint32_t>(o.seed >> 32),
                        static_cast<std::uint32_t>(rows[i].key),
                        static_cast<std::uint32_t>(rows[i].key >> 32)};
      rngs.emplace_back(seq);
    }
  }

  std::unique_ptr<DecoderState> state = decoder.init(memory);
  std::vector<std::int64_t> prev(rows.size(), o.bos_id);
  while (!active.empty()) {
    StepOutput out = decoder.step(*state, prev);
    const auto n = static_cast<std::int64_t>(active.size());
    check_step_output(out, n, vocab);
    const float* lp = out.log_probs.data<float>();

    std::vector<std::int64_t> keep;
    std::vector<std::int64_t> next_active, next_prev;
    for (std::int64_t r = 0; r < n; ++r) {
      const std::int64_t row = active[static_cast<std::size_t>(r)];
      Hypothesis& h = hyps[static_cast<std::size_t>(row)];
      const float* p = lp + r * vocab;
      std::int64_t token = o.sampling ? sample(p, vocab, o, rngs[static_cast<std::size_t>(row)])
                                      : top_k(p, vocab, 1).front().second;
      h.log_prob += p[token];
      if (o.return_attention) h.attention.push_back(attention_row(out.attention, r));
      bool finished = token == o.eos_id;
      if (!finished) {
        h.ids.push_back(token);
        finished = static_cast<std::int64_t>(h.ids.size()) >= limit[static_cast<std::size_t>(row)];
      }
      if (finished) {
        h.score = h.log_prob / length_penalty(static_cast<std::int64_t>(h.ids.size()) + 1,
                                              o.length_penalty);
      } else {
        keep.push_back(r);
        next_active.push_back(row);
        next_prev.push_back(token);
      }
    }
    if (next_active.empty()) break;
    if (static_cast<std::int64_t>(keep.size()) < n) decoder.reorder(*state, keep);
    active = std::move(next_active);
    prev = std::move(next_prev);
  }

  std::vector<std::vector<Hypothesis>> result;
  result.reserve(hyps.size());
  for (auto& h : hyps) result.push_back({std::move(h)});
  return result;
}

}  // namespace recur::search::detail
