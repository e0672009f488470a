// How a batch of variable-length sequences is cut into oneDNN RNN calls.
//
// oneDNN RNNs have no per-sequence lengths, so rows are sorted longest first and time is
// cut at every distinct length: segment k covers steps [begin, end) for the `rows`
// longest sequences, which are all still running there. Each segment is one primitive
// call whose initial state is the previous segment's final state (a prefix of its
// rows); a sequence's final state is read where its last segment ends. Padding is never
// computed, so it cannot leak, and results match PyTorch's packed sequences.
//
// Data move between recur's batch-first tensors [B, T, C] and segment-major, sorted
// buffers: segment k is a dense [steps_k, padded_k, C] block (row n of a step is batch
// row perm[n]), so a primitive's shape never depends on the batch it came from; the
// reverse direction also reverses each sequence within its own length on the way in
// and out.
//
// Steady shapes (inference): every oneDNN primitive is compiled for one shape, and a job
// whose batches come in many sizes spent most of its time compiling (a classifier: 60%
// of its run). A steady plan computes each segment over padded_k = steady_rows(rows_k)
// rows (extra rows start from zeros and are never read back), and the kernels cut a
// segment's steps into powers of two, of bounded size (rnn_kernels.cc), so a few dozen
// shapes serve any batch.
#pragma once

#include <cstdint>
#include <vector>

namespace recur::ops::detail {

struct RnnSegment {
  std::int64_t begin = 0;   // first step
  std::int64_t end = 0;     // one past the last step
  std::int64_t rows = 0;    // sequences running over the whole segment (sorted prefix)
  std::int64_t padded = 0;  // rows computed: `rows`, or steady_rows(rows) in a steady plan
};

struct RnnPlan {
  std::int64_t batch = 0;
  std::int64_t steps = 0;
  std::vector<std::int64_t> lengths;  // per batch row
  std::vector<std::int64_t> perm;     // sorted row -> batch row, longest first
  std::vector<RnnSegment> segments;
  bool steady = false;
  std::vector<std::int64_t> step_row;  // per step: its first row in a buffer
  std::int64_t buffer_rows = 0;        // rows of a buffer: padded rows summed over steps
  std::int64_t state_rows = 0;         // rows of the initial state (segment 0's padded)

  // Rows of segment k's final state that finish there: sorted rows
  // [rows_after(k), segments[k].rows).
  std::int64_t rows_after(std::size_t k) const {
    return k + 1 < segments.size() ? segments[k + 1].rows : 0;
  }
};

// Throws ShapeError unless every length is in [1, steps]; empty means all `steps`.
RnnPlan make_rnn_plan(std::int64_t batch, std::int64_t steps,
                      const std::vector<std::int64_t>& lengths, bool steady = false);

// Columns [col, col + width) of a batch-first tensor [B, T, cols].
struct Columns {
  std::int64_t cols;
  std::int64_t col;
  std::int64_t width;
};

// dst[row(t, n), :] = src[perm[n], step(t), col : col + width] at real positions only
// (row(t, n) = step_row[t] + n; step(t) = len - 1 - t when `reverse`, else t). dst has
// buffer_rows rows of `width`; padded rows are left as they are.
void gather_time_major(const RnnPlan& plan, bool reverse, const float* src,
                       const Columns& part, float* dst);
// The inverse: src (buffer_rows x width) written (or added, when `add`) into dst's
// columns at real positions only.
void scatter_batch_first(const RnnPlan& plan, bool reverse, const float* src, float* dst,
                         const Columns& part, bool add);

}  // namespace recur::ops::detail
