// The one generation runner: read -> prepare -> bucket by size -> batch -> run the model
// -> restore input order -> write, for every task (batch_job.h says who does what).
// Memory stays bounded on any input: at most one maxi-batch of records is held.
#pragma once

#include <cstdint>
#include <functional>

#include "recur/data/line_reader.h"
#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/job_options.h"

namespace recur {

struct RunStats {
  std::uint64_t records = 0;  // records written by this run
  double seconds = 0;
};

// Called after each maxi-batch, once its output is written and flushed, with the count
// of records done by this run; a resumable job records its progress here.
using CheckpointFn = std::function<void(std::uint64_t records_done)>;

// Runs `job` over the records of `in` until it is exhausted. Mini-batches run on
// options.workers threads (0: one per compute thread), sharing the compute threads.
// A write error is an IoError after the maxi-batch it happened in; the first error of a
// worker stops the others and is rethrown.
RunStats run_job(BatchJob& job, data::LineReader& in, const JobSinks& sinks,
                 const JobOptions& options, const CheckpointFn& checkpoint = {});

}  // namespace recur
