// Greedy decoding: one hypothesis per row, the best token at every step; rows leave the
// batch as they finish. Sampling (sampling.cc) runs the same loop with another pick.
#include "row_picks.h"

namespace recur::search::detail {

namespace {

class BestToken final : public TokenPick {
 public:
  std::int64_t pick(std::size_t, const float* log_probs, std::int64_t vocab) override {
    return top_k(log_probs, vocab, 1).front().second;
  }
};

}  // namespace

std::vector<std::vector<Hypothesis>> one_per_row(Decoder& decoder, const Memory& memory,
                                                 const std::vector<Row>& rows, const Options& o,
                                                 const OutputColumns& columns, TokenPick& pick) {
  const std::int64_t vocab = columns.size();
  std::vector<Hypothesis> hyps(rows.size());
  std::vector<std::int64_t> active(rows.size());  // original row of each state row
  std::vector<std::int64_t> limit(rows.size());
  std::vector<std::size_t> forced(rows.size(), 0);  // prefix tokens fed so far
  for (std::size_t i = 0; i < rows.size(); ++i) {
    active[i] = static_cast<std::int64_t>(i);
    limit[i] = max_output_length(o, rows[i].source_length);
  }

  std::unique_ptr<DecoderState> state = start(decoder, memory, static_cast<std::int64_t>(rows.size()), columns);
  std::vector<std::int64_t> prev(rows.size(), o.bos_id);
  std::vector<std::int64_t> keep, next_active, next_prev;
  std::vector<float> scratch;  // a row with repeated n-grams banned
  while (!active.empty()) {
    StepOutput out = decoder.step(*state, prev);
    const auto n = static_cast<std::int64_t>(active.size());
    const std::int64_t width = check_step_output(out, n, vocab);
    // A copying decoder's extended vocabulary adds columns past the vocabulary (ids V,
    // V + 1, ...); a restricted output has exactly its own columns.
    const OutputColumns wide(width);
    const OutputColumns& step_columns = columns.ids() ? columns : wide;
    const float* lp = out.log_probs.data<float>();

    keep.clear();
    next_active.clear();
    next_prev.clear();
    for (std::int64_t r = 0; r < n; ++r) {
      const auto row = static_cast<std::size_t>(active[static_cast<std::size_t>(r)]);
      const std::vector<std::int64_t>& prefix = rows[row].prefix;
      if (forced[row] < prefix.size()) {  // still reading the prompt: nothing is chosen
        keep.push_back(r);
        next_active.push_back(active[static_cast<std::size_t>(r)]);
        next_prev.push_back(prefix[forced[row]++]);
        continue;
      }
      Hypothesis& h = hyps[row];
      const float* p = without_repeats(lp + r * width, step_columns, h.ids, o, scratch);
      const std::int64_t column = pick.pick(row, p, width);
      const std::int64_t token = step_columns.id(column);
      h.log_prob += p[column];
      if (o.return_attention) h.attention.push_back(attention_row(out.attention, r));
      if (o.on_token) o.on_token(row, token);
      bool finished = o.stop_at_eos && token == o.eos_id;
      if (!finished) {
        h.ids.push_back(token);
        finished = static_cast<std::int64_t>(h.ids.size()) >= limit[row];
      }
      if (finished) {
        h.score = h.log_prob / length_penalty(static_cast<std::int64_t>(h.ids.size()) + 1,
                                              o.length_penalty);
      } else {
        keep.push_back(r);
        next_active.push_back(active[static_cast<std::size_t>(r)]);
        next_prev.push_back(token);
      }
    }
    if (next_active.empty()) break;
    if (static_cast<std::int64_t>(keep.size()) < n) decoder.reorder(*state, keep);
    active.swap(next_active);
    prev.swap(next_prev);
  }

  std::vector<std::vector<Hypothesis>> result;
  result.reserve(hyps.size());
  for (auto& h : hyps) result.push_back({std::move(h)});
  return result;
}

std::vector<std::vector<Hypothesis>> greedy(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& o,
                                            const OutputColumns& columns) {
  BestToken best;
  return one_per_row(decoder, memory, rows, o, columns, best);
}

}  // namespace recur::search::detail
