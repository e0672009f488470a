// The batch job behind `recur translate`, `recur run` and `recur summarize`: open the
// input and output, build the pipeline, stream through translate_stream(), report.
#pragma once

#include <filesystem>

#include "command.h"

namespace recur::cli {

// Options of a text batch job (-i, -o, --beam, --n-best, --scores, --batch-tokens,
// --maxi-batch, --threads, --attention, --strict, --plugin-path).
void add_text_job_options(po::options_description& options);

// Runs the pipeline `pipeline_yaml` over the job's input; returns the exit code.
int run_text_job(const std::filesystem::path& pipeline_yaml, const po::variables_map& args);

// The pipeline file of a model folder (MODEL_DIR/pipeline.yaml), checked to exist.
std::filesystem::path model_pipeline(const std::filesystem::path& model_dir);

}  // namespace recur::cli
