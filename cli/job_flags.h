// The command-line side of the settings every batch job shares: search flags (applied
// to the pipeline's search::Options), batch flags (applied to its JobOptions) and
// --threads. Each goes through the same check() as the YAML; a problem is a FlagError
// naming the flag (exit 2), exactly as a bad YAML value names its file:line.
#pragma once

#include <optional>
#include <string>

#include "command.h"
#include "recur/ops/precision.h"
#include "recur/pipeline/job_options.h"
#include "recur/pipeline/pipeline.h"
#include "recur/search/search.h"

namespace recur::cli {

// --beam, --n-best, --sample, --temperature, --top-k, --top-p, --seed.
void add_search_flags(po::options_description& options);
// --batch-tokens, --max-rows, --maxi-batch, --workers, --threads.
void add_job_flags(po::options_description& options);

// Applies the search flags given to `options`, then search::check().
void apply_search_flags(const po::variables_map& args, search::Options& options);
// For a task that does not search: a search flag given is a FlagError naming it, `why`.
void reject_search_flags(const po::variables_map& args, const std::string& why);
// The pipeline's batch settings with the flags given applied, then check().
JobOptions job_options_from_flags(const po::variables_map& args, JobOptions base);
// --threads N (1..1024) sets the compute threads.
void apply_thread_flag(const po::variables_map& args);

// --precision f32|bf16 (declared by add_job_flags and declare_model_options).
void add_precision_flag(po::options_description& options);
// The flag's precision, nullopt when not given; a FlagError for any other value.
std::optional<ops::Precision> precision_flag(const po::variables_map& args);
// Sets the inference precision of the job: the flag's when given, else the pipeline's
// `precision:`; logs what runs (bf16 on a CPU without it falls back to f32, saying so).
void apply_precision(std::optional<ops::Precision> flag, const Pipeline& pipeline);

// The flags that decide a job's output, as text (for resuming only the same job).
std::string job_flags_fingerprint(const po::variables_map& args);

}  // namespace recur::cli
