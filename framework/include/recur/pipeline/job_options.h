// How a batch job cuts its input: the one definition of the batch limits, their one set
// of defaults and their one validation. A pipeline's `batch:` section and the CLI flags
// (--batch-tokens, --max-rows, --maxi-batch, --workers) both go through check(), so a
// bad value is reported the same way whichever way it came: as file:line and key for
// the YAML, as a usage error naming the flag for the command line.
//
//   batch:
//     max_tokens: 4096    # rows x longest record, per mini-batch
//     max_rows: 128       # rows per mini-batch (beam search multiplies them by the beam)
//     maxi_batch: 1000    # records read, sorted by size and batched together
//     workers: 0          # mini-batches run at once (0: one per compute thread)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "recur/config/option_problem.h"
#include "recur/config/section.h"
#include "recur/data/batching.h"

namespace recur {

using config::OptionProblem;

struct JobOptions {
  data::BatchLimits batch;         // max_tokens, max_rows
  std::int64_t maxi_batch = 1000;  // bounds memory: records held at once
  std::int64_t workers = 0;        // 0: one per compute thread

  static constexpr std::int64_t kMaxTokens = 1 << 24;
  static constexpr std::int64_t kMaxRows = 1 << 16;
  static constexpr std::int64_t kMaxMaxiBatch = 1 << 20;
  static constexpr std::int64_t kMaxWorkers = 256;
};

// The first value out of range, if any.
std::optional<OptionProblem> check(const JobOptions& options);

// Reads a `batch:` section over `base`, then check(); a problem is a ConfigError at the key.
JobOptions parse_job_options(const config::Section& batch, JobOptions base = {});

}  // namespace recur
