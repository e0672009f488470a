#include "recur/pipeline/runner.h"

#include <algorithm>
#include <chrono>

#include "recur/core/error.h"
#include "recur/core/logging.h"
#include "recur/data/batching.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/workers.h"

namespace recur {

BatchJob::~BatchJob() = default;

std::uint64_t JobCounts::get(const std::string& key) const {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

std::uint64_t JobCounts::warnings() const {
  std::uint64_t n = 0;
  for (const auto& k : warning_keys) n += get(k);
  return n;
}

namespace {

void check_sink(std::ostream* s, const std::string& name, std::uint64_t records) {
  if (!s) return;
  s->flush();
  if (!*s) throw IoError(name + ": write error (disk full?) after record " + std::to_string(records));
}

}  // namespace

RunStats run_job(BatchJob& job, data::LineReader& in, const JobSinks& sinks,
                 const JobOptions& options, const CheckpointFn& checkpoint) {
  const auto start = std::chrono::steady_clock::now();
  autograd::NoGradGuard no_grad;
  in.set_max_line_bytes(job.max_record_bytes());
  const std::int64_t workers = options.workers > 0 ? options.workers : ops::num_threads();
  data::BatchLimits limits = options.batch;
  limits.steady = true;  // mini-batches of a few sizes: few oneDNN primitives to compile
  if (std::find(job.counts().warning_keys.begin(), job.counts().warning_keys.end(), "cut") ==
      job.counts().warning_keys.end()) {
    job.counts().warning_keys.push_back("cut");
  }
  RunStats stats;
  while (true) {
    std::vector<data::Line> records = in.next(static_cast<std::size_t>(options.maxi_batch));
    if (records.empty()) break;
    job.begin(records.size(), in.name());
    std::vector<std::int64_t> sizes(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i].bytes_cut > 0) {
        job.counts().add("cut");
        log().warn("{}:{}: longer than {} bytes: only the first {} read ({} bytes skipped)",
                   in.name(), records[i].number, job.max_record_bytes(), records[i].text.size(),
                   records[i].bytes_cut);
      }
      sizes[i] = job.prepare(i, records[i]);
    }
    const auto batches = data::make_batches(sizes, limits);
    // Each batch touches only its own records: order is restored by position.
    run_on_workers(batches.size(), workers, [&](std::size_t i) { job.run(batches[i]); });
    for (std::size_t i = 0; i < records.size(); ++i) job.write(i, sinks);
    stats.records += records.size();
    check_sink(sinks.main, sinks.main_name, stats.records);
    check_sink(sinks.side, sinks.side_name, stats.records);
    check_sink(sinks.confidence, sinks.confidence_name, stats.records);
    job.counts().add("records", records.size());
    if (checkpoint) checkpoint(stats.records);
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace recur
