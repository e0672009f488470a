#include "rnn_plan.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>

#include "recur/core/error.h"
#include "recur/core/steady_shapes.h"

namespace recur::ops::detail {

RnnPlan make_rnn_plan(std::int64_t batch, std::int64_t steps,
                      const std::vector<std::int64_t>& lengths, bool steady) {
  RnnPlan plan;
  plan.batch = batch;
  plan.steps = steps;
  plan.steady = steady;
  if (lengths.empty()) {
    plan.lengths.assign(static_cast<std::size_t>(batch), steps);
  } else if (static_cast<std::int64_t>(lengths.size()) != batch) {
    throw ShapeError("rnn: " + std::to_string(lengths.size()) + " lengths for a batch of " +
                     std::to_string(batch));
  } else {
    plan.lengths = lengths;
  }
  for (std::size_t b = 0; b < plan.lengths.size(); ++b) {
    if (plan.lengths[b] < 1 || plan.lengths[b] > steps) {
      throw ShapeError("rnn: length " + std::to_string(plan.lengths[b]) + " of sequence " +
                       std::to_string(b) + " is outside [1, " + std::to_string(steps) + "]");
    }
  }
  plan.perm.resize(plan.lengths.size());
  std::iota(plan.perm.begin(), plan.perm.end(), 0);
  std::stable_sort(plan.perm.begin(), plan.perm.end(), [&](std::int64_t a, std::int64_t b) {
    return plan.lengths[a] > plan.lengths[b];
  });
  // Walk from the shortest sequence up: each distinct length closes a segment.
  std::int64_t begin = 0;
  for (std::int64_t n = batch; n-- > 0;) {
    std::int64_t len = plan.lengths[plan.perm[n]];
    if (len > begin) {
      plan.segments.push_back({begin, len, n + 1, steady ? steady_rows(n + 1) : n + 1});
      begin = len;
    }
  }
  plan.step_row.resize(static_cast<std::size_t>(steps));
  for (const RnnSegment& seg : plan.segments) {
    for (std::int64_t t = seg.begin; t < seg.end; ++t) {
      plan.step_row[static_cast<std::size_t>(t)] = plan.buffer_rows;
      plan.buffer_rows += seg.padded;
    }
  }
  plan.state_rows = plan.segments.front().padded;
  return plan;
}

namespace {

// Calls f(t, n, batch_row, step) for every real position of the time-major buffer.
template <class F>
void for_each_real(const RnnPlan& plan, bool reverse, F&& f) {
  for (std::int64_t n = 0; n < plan.batch; ++n) {
    std::int64_t b = plan.perm[n];
    std::int64_t len = plan.lengths[b];
    for (std::int64_t t = 0; t < len; ++t) f(t, n, b, reverse ? len - 1 - t : t);
  }
}

}  // namespace

void gather_time_major(const RnnPlan& plan, bool reverse, const float* src,
                       const Columns& part, float* dst) {
  const std::size_t bytes = static_cast<std::size_t>(part.width) * sizeof(float);
  for_each_real(plan, reverse, [&](std::int64_t t, std::int64_t n, std::int64_t b,
                                   std::int64_t s) {
    const float* from = src + (b * plan.steps + s) * part.cols + part.col;
    std::memcpy(dst + (plan.step_row[static_cast<std::size_t>(t)] + n) * part.width, from, bytes);
  });
}

void scatter_batch_first(const RnnPlan& plan, bool reverse, const float* src, float* dst,
                         const Columns& part, bool add) {
  const std::int64_t w = part.width;
  for_each_real(plan, reverse, [&](std::int64_t t, std::int64_t n, std::int64_t b,
                                   std::int64_t s) {
    const float* from = src + (plan.step_row[static_cast<std::size_t>(t)] + n) * w;
    float* to = dst + (b * plan.steps + s) * part.cols + part.col;
    if (add) {
      for (std::int64_t j = 0; j < w; ++j) to[j] += from[j];
    } else {
      std::memcpy(to, from, static_cast<std::size_t>(w) * sizeof(float));
    }
  });
}

}  // namespace recur::ops::detail
