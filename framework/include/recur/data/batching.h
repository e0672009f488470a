// Length-bucketed batching: a maxi-batch of sequences is sorted by length and cut into
// mini-batches whose padded size (rows x longest) stays within a token budget. Batching
// sees only lengths; it returns positions into the maxi-batch so the caller can restore
// input order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace recur::data {

struct BatchLimits {
  std::int64_t max_tokens = 4096;  // rows x longest sequence, per mini-batch
  std::int64_t max_rows = 128;
  // Inference: a mini-batch closed by either limit keeps the largest steady number of
  // rows it can (core/steady_shapes.h) and hands the rest to the next one, and the rest
  // at the end is cut into steady sizes too, so that batches of any lengths come in a
  // few sizes.
  bool steady = false;
};

// Mini-batches of positions into `lengths` (zero-length entries are left out). Within a
// mini-batch positions are in decreasing length; ties keep input order. A sequence
// longer than the budget gets a batch of its own.
std::vector<std::vector<std::size_t>> make_batches(const std::vector<std::int64_t>& lengths,
                                                   const BatchLimits& limits);

// The mini-batches of one training epoch over items of `lengths` (indexed by item):
// the items shuffled by a generator seeded with seed * 1000003 + epoch, cut by
// make_batches (similar lengths together, ties in the shuffled order), and the batches
// shuffled by the same generator. Depends only on its arguments, so a resumed run sees
// the batches an uninterrupted one saw.
std::vector<std::vector<std::size_t>> epoch_batches(const std::vector<std::int64_t>& lengths,
                                                    const BatchLimits& limits, std::uint64_t seed,
                                                    std::int64_t epoch);

}  // namespace recur::data
