#include "recur/pipeline/job_options.h"

namespace recur {

namespace {

std::optional<OptionProblem> in_range(const char* key, std::int64_t value, std::int64_t lo,
                                      std::int64_t hi) {
  if (value >= lo && value <= hi) return std::nullopt;
  return OptionProblem{key, "expected an integer in [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "], got " + std::to_string(value)};
}

}  // namespace

std::optional<OptionProblem> check(const JobOptions& o) {
  if (auto p = in_range("max_tokens", o.batch.max_tokens, 1, JobOptions::kMaxTokens)) return p;
  if (auto p = in_range("max_rows", o.batch.max_rows, 1, JobOptions::kMaxRows)) return p;
  if (auto p = in_range("maxi_batch", o.maxi_batch, 1, JobOptions::kMaxMaxiBatch)) return p;
  if (auto p = in_range("workers", o.workers, 0, JobOptions::kMaxWorkers)) return p;
  return std::nullopt;
}

JobOptions parse_job_options(const config::Section& s, JobOptions o) {
  o.batch.max_tokens = s.get<std::int64_t>("max_tokens", o.batch.max_tokens);
  o.batch.max_rows = s.get<std::int64_t>("max_rows", o.batch.max_rows);
  o.maxi_batch = s.get<std::int64_t>("maxi_batch", o.maxi_batch);
  o.workers = s.get<std::int64_t>("workers", o.workers);
  if (auto p = check(o)) s.fail(p->key, p->message);
  s.finish();
  return o;
}

}  // namespace recur
