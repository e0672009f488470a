// Greedy decoding: one hypothesis per row, the best token at every step; rows leave the
// batch as they finish, whenever the running ones fit a smaller steady size. Sampling
// (sampling.cc) runs the same loop with another pick.
#include "row_picks.h"

#include "recur/core/steady_shapes.h"

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
  // Original row of each state row, or kIdle: a finished row the state keeps computing so
  // that the number of state rows stays steady (core/steady_shapes.h). Rows leave the
  // state only when the running ones fit a smaller steady size; state rows keep their
  // order, so the memory rows stay sorted by source.
  constexpr std::int64_t kIdle = -1;
  std::vector<std::int64_t> active(rows.size());
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
  std::int64_t running = static_cast<std::int64_t>(rows.size());
  while (running > 0) {
    StepOutput out = decoder.step(*state, prev);
    const auto n = static_cast<std::int64_t>(active.size());
    const std::int64_t width = check_step_output(out, n, vocab);
    // A copying decoder's extended vocabulary adds columns past the vocabulary (ids V,
    // V + 1, ...); a restricted output has exactly its own columns.
    const OutputColumns wide(width);
    const OutputColumns& step_columns = columns.ids() ? columns : wide;
    const float* lp = out.log_probs.data<float>();

    running = 0;
    for (std::int64_t r = 0; r < n; ++r) {
      std::int64_t& state_row = active[static_cast<std::size_t>(r)];
      std::int64_t& fed = prev[static_cast<std::size_t>(r)];
      if (state_row == kIdle) continue;
      const auto row = static_cast<std::size_t>(state_row);
      const std::vector<std::int64_t>& prefix = rows[row].prefix;
      if (forced[row] < prefix.size()) {  // still reading the prompt: nothing is chosen
        fed = prefix[forced[row]++];
        ++running;
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
        state_row = kIdle;  // keeps feeding its last token until it leaves the state
      } else {
        fed = token;
        ++running;
      }
    }
    const std::int64_t steady = steady_rows(running);
    if (running == 0 || steady >= n) continue;
    // Every running row and the first idle ones, up to the steady size, in state order.
    keep.clear();
    next_active.clear();
    next_prev.clear();
    for (std::int64_t r = 0, idle = steady - running; r < n; ++r) {
      const auto u = static_cast<std::size_t>(r);
      if (active[u] == kIdle) {
        if (idle == 0) continue;
        --idle;
      }
      keep.push_back(r);
      next_active.push_back(active[u]);
      next_prev.push_back(prev[u]);
    }
    decoder.reorder(*state, keep);
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
