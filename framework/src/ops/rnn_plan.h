// How a batch of variable-length sequences is cut into oneDNN RNN calls.
//
// oneDNN RNNs have no per-sequence lengths, so rows are sorted longest first and time is
// cut at every distinct length: segment k covers steps [begin, end) for the `rows`
// longest sequences, which are all still running there. Each segment is one primitive
// call whose initial state is the previous segment's final state (a prefix of its
// rows); a sequence's final state is read where its last segment ends. Padding is never
// computed, so it cannot leak, and results match PyTorch's packed sequences.
//
// Data move between recur's batch-first tensors [B, T, C] and time-major, sorted
// buffers [T, B, C] (row n of the buffer is batch row perm[n]); the reverse direction
// also reverses each sequence within its own length on the way in and out.
#pragma once

#include <cstdint>
#include <vector>

namespace recur::ops::detail {

struct RnnSegment {
  std::int64_t begin = 0;  // first step
  std::int64_t end = 0;    // one past the last step
  std::int64_t rows = 0;   // sequences running over the whole segment (sorted prefix)
};

struct RnnPlan {
  std::int64_t batch = 0;
  std::int64_t steps = 0;
  std::vector<std::int64_t> lengths;  // per batch row
  std::vector<std::int64_t> perm;     // sorted row -> batch row, longest first
  std::vector<RnnSegment> segments;

  // Rows of segment k's final state that finish there: sorted rows
  // [rows_after(k), segments[k].rows).
  std::int64_t rows_after(std::size_t k) const {
    return k + 1 < segments.size() ? segments[k + 1].rows : 0;
  }
};

// Throws ShapeError unless every length is in [1, steps]; empty means all `steps`.
RnnPlan make_rnn_plan(std::int64_t batch, std::int64_t steps,
                      const std::vector<std::int64_t>& lengths);

// Columns [col, col + width) of a batch-first tensor [B, T, cols].
struct Columns {
  std::int64_t cols;
  std::int64_t col;
  std::int64_t width;
};

// dst[t, n, :] = src[perm[n], step(t), col : col + width] at real positions only
// (step(t) = len - 1 - t when `reverse`, else t). dst is [T, B, width].
void gather_time_major(const RnnPlan& plan, bool reverse, const float* src,
                       const Columns& part, float* dst);
// The inverse: src [T, B, width] written (or added, when `add`) into dst's columns at
// real positions only.
void scatter_batch_first(const RnnPlan& plan, bool reverse, const float* src, float* dst,
                         const Columns& part, bool add);

}  // namespace recur::ops::detail
