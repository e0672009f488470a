// Steady shapes for inference. oneDNN compiles every primitive for one shape, and a job
// whose batches come in many sizes spends its time compiling and fills the primitive
// caches (a classifier spent 60% of its run so; a translation job met a new attention
// shape with almost every batch). Inference rounds the sizes that vary from batch to
// batch to a small set: the runner cuts mini-batches at steady row counts
// (data::BatchLimits::steady), search keeps the hypotheses it runs at steady_rows() rows,
// and an attention decoder pads source positions to steady_positions(). The extra rows
// are computed and never read; the extra positions are masked.
#pragma once

#include <cstdint>

namespace recur {

// n up to 8, then multiples of 8 up to 64, of 16 up to 256, of 64 beyond: fewer than a
// quarter of the rows wasted above 64, 39 sizes up to 1,024 rows.
std::int64_t steady_rows(std::int64_t n);

// The largest steady number of rows not above n (n >= 1).
std::int64_t steady_rows_at_most(std::int64_t n);

// n rounded up to a multiple of 8 (25 sizes up to 200 positions).
std::int64_t steady_positions(std::int64_t n);

}  // namespace recur
