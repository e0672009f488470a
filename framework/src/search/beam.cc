// Batched beam search. Each source row keeps up to K live hypotheses; all live
// hypotheses of all unfinished rows form the decoder's batch (with idle rows up to a
// steady size). A row starts with one hypothesis (so the K beams never duplicate), and
// leaves the batch when it is done: K hypotheses have finished, or no live hypothesis can
// still beat the best finished one (log-probs only fall, while the length penalty is at
// most that of the maximum length), or the maximum length is reached. While a row reads its prefix it keeps its
// one hypothesis and feeds the prefix's next token: nothing is chosen.
// Options: no_repeat_ngram bans tokens per hypothesis before its top-k; coverage_penalty
// is added to a hypothesis' score when it finishes (it is <= 0, so the bound above still
// holds for live hypotheses).
#include <algorithm>
#include <limits>

#include "recur/core/steady_shapes.h"
#include "row_picks.h"

namespace recur::search::detail {

namespace {

struct Live {
  Hypothesis hyp;
  std::int64_t state_row = 0;  // row of the decoder state it continues
  std::int64_t last = 0;       // last token fed (bos at first)
  std::vector<float> coverage; // attention summed over its steps (coverage_penalty only)
};

struct RowSearch {
  const std::vector<std::int64_t>* prefix = nullptr;
  std::size_t forced = 0;  // prefix tokens fed so far
  std::vector<Live> live;
  std::vector<Hypothesis> finished;
  std::int64_t limit = 0;
  std::int64_t source_length = 0;  // real source positions (coverage penalty)
  bool done = false;
};

struct Candidate {
  float log_prob;
  std::int64_t parent;  // index into RowSearch::live
  std::int64_t token;
};

void finish(RowSearch& rs, Hypothesis h, const Options& o) {
  h.score = h.log_prob / length_penalty(static_cast<std::int64_t>(h.ids.size()) + 1,
                                        o.length_penalty);
  rs.finished.push_back(std::move(h));
}

bool can_improve(const RowSearch& rs, const Options& o) {
  if (rs.live.empty()) return false;
  if (static_cast<std::int64_t>(rs.finished.size()) < o.beam_size) return true;
  float best_finished = -std::numeric_limits<float>::infinity();
  for (const auto& h : rs.finished) best_finished = std::max(best_finished, h.score);
  float best_live = -std::numeric_limits<float>::infinity();
  for (const auto& l : rs.live) best_live = std::max(best_live, l.hyp.log_prob);
  float bound = best_live / length_penalty(rs.limit + 1, o.length_penalty);
  return bound > best_finished;
}

// The parent's coverage plus this step's attention over the source's real positions.
std::vector<float> add_coverage(const Live& parent, const Tensor& attention,
                                std::int64_t source_length) {
  if (!attention.defined()) {
    throw Error("search: coverage_penalty needs a decoder whose step() returns attention weights");
  }
  const auto s = static_cast<std::size_t>(std::min(source_length, attention.dim(1)));
  const float* a = attention.data<float>() + parent.state_row * attention.dim(1);
  std::vector<float> coverage = parent.coverage;
  coverage.resize(s, 0.0f);
  for (std::size_t i = 0; i < s; ++i) coverage[i] += a[i];
  return coverage;
}

// Expands one row from its slice of the step's log-probs.
void advance(RowSearch& rs, const float* lp, const OutputColumns& columns, const Tensor& attention,
             const Options& o) {
  if (rs.forced < rs.prefix->size()) {  // one live hypothesis until the prefix is read
    rs.live.front().last = (*rs.prefix)[rs.forced++];
    return;
  }
  const std::int64_t k = o.beam_size;
  const std::int64_t vocab = columns.size();
  std::vector<Candidate> cands;
  std::vector<float> scratch;
  for (std::size_t p = 0; p < rs.live.size(); ++p) {
    const float* row =
        without_repeats(lp + rs.live[p].state_row * vocab, columns, rs.live[p].hyp.ids, o, scratch);
    for (const auto& [v, column] : top_k(row, vocab, 2 * k)) {
      cands.push_back({rs.live[p].hyp.log_prob + v, static_cast<std::int64_t>(p), columns.id(column)});
    }
  }
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.log_prob != b.log_prob) return a.log_prob > b.log_prob;
    if (a.parent != b.parent) return a.parent < b.parent;
    return a.token < b.token;
  });

  std::vector<Live> next;
  for (const Candidate& c : cands) {
    if (static_cast<std::int64_t>(next.size()) >= k) break;
    const Live& parent = rs.live[static_cast<std::size_t>(c.parent)];
    Hypothesis h = parent.hyp;
    h.log_prob = c.log_prob;
    if (o.return_attention) h.attention.push_back(attention_row(attention, parent.state_row));
    std::vector<float> coverage;
    if (o.coverage_penalty > 0) coverage = add_coverage(parent, attention, rs.source_length);
    const bool eos = c.token == o.eos_id;
    if (!eos) h.ids.push_back(c.token);
    if (eos || static_cast<std::int64_t>(h.ids.size()) >= rs.limit) {
      finish(rs, std::move(h), o);
      if (o.coverage_penalty > 0) {
        rs.finished.back().score += coverage_penalty(coverage, o.coverage_penalty);
      }
      continue;
    }
    next.push_back({std::move(h), parent.state_row, c.token, std::move(coverage)});
  }
  rs.live = std::move(next);
  rs.done = !can_improve(rs, o);
}

std::vector<Hypothesis> best(RowSearch& rs, const Options& o) {
  // Live hypotheses left here cannot beat the finished ones (see can_improve); those
  // that reached the maximum length were finished in advance().
  rs.live.clear();
  std::stable_sort(rs.finished.begin(), rs.finished.end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
  if (static_cast<std::int64_t>(rs.finished.size()) > o.n_best) rs.finished.resize(static_cast<std::size_t>(o.n_best));
  return std::move(rs.finished);
}

}  // namespace

std::vector<std::vector<Hypothesis>> beam(Decoder& decoder, const Memory& memory,
                                          const std::vector<Row>& rows, const Options& o,
                                          const OutputColumns& columns) {
  const std::int64_t vocab = columns.size();
  std::vector<RowSearch> search(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    search[i].limit = max_output_length(o, rows[i].source_length);
    search[i].source_length = rows[i].source_length;
    search[i].prefix = &rows[i].prefix;
    search[i].live.push_back({Hypothesis{}, static_cast<std::int64_t>(i), o.bos_id, {}});
  }

  std::unique_ptr<DecoderState> state = start(decoder, memory, static_cast<std::int64_t>(rows.size()), columns);
  std::int64_t state_rows = static_cast<std::int64_t>(rows.size());
  while (true) {
    std::vector<std::int64_t> prev(static_cast<std::size_t>(state_rows));
    for (const auto& rs : search) {
      if (rs.done) continue;
      for (const auto& l : rs.live) prev[static_cast<std::size_t>(l.state_row)] = l.last;
    }
    StepOutput out = decoder.step(*state, prev);
    const std::int64_t width = check_step_output(out, state_rows, vocab);
    // A copying decoder's extended vocabulary adds columns past the vocabulary (ids V,
    // V + 1, ...); a restricted output has exactly its own columns.
    const OutputColumns wide(width);
    const OutputColumns& step_columns = columns.ids() ? columns : wide;
    const float* lp = out.log_probs.data<float>();

    std::int64_t live = 0, most = 0;  // live hypotheses in all, and of one source
    for (auto& rs : search) {
      if (rs.done) continue;
      advance(rs, lp, step_columns, out.attention, o);
      if (rs.done) continue;
      live += static_cast<std::int64_t>(rs.live.size());
      most = std::max(most, static_cast<std::int64_t>(rs.live.size()));
    }
    if (live == 0) break;
    // New state rows, by parent state row: each source's live hypotheses, then idle rows
    // (copies of its last one, never read) up to a steady number of rows
    // (core/steady_shapes.h). Idle rows go first to sources with fewer than `most` live
    // ones, where the memory rows' grid has room for them at no cost in attention, then
    // one per source in turn.
    std::vector<std::int64_t> idle(search.size(), 0);
    std::int64_t left = steady_rows(live) - live;
    for (std::size_t i = 0; i < search.size() && left > 0; ++i) {
      if (search[i].done) continue;
      idle[i] = std::min(left, most - static_cast<std::int64_t>(search[i].live.size()));
      left -= idle[i];
    }
    while (left > 0) {
      for (std::size_t i = 0; i < search.size() && left > 0; ++i) {
        if (!search[i].done) ++idle[i], --left;
      }
    }
    std::vector<std::int64_t> index;
    for (std::size_t i = 0; i < search.size(); ++i) {
      if (search[i].done) continue;
      for (auto& l : search[i].live) {
        index.push_back(l.state_row);
        l.state_row = static_cast<std::int64_t>(index.size()) - 1;
      }
      index.insert(index.end(), static_cast<std::size_t>(idle[i]), index.back());
    }
    decoder.reorder(*state, index);
    state_rows = static_cast<std::int64_t>(index.size());
  }

  std::vector<std::vector<Hypothesis>> result;
  result.reserve(search.size());
  for (auto& rs : search) result.push_back(best(rs, o));
  return result;
}

}  // namespace recur::search::detail
