// The batch job behind `recur translate`, `recur summarize` and `recur run`: check every
// flag, build the pipeline, open the input and the (resumable) outputs, run the task's
// job through the one runner, report. Nothing is written before everything that can be
// checked has been: a job that cannot run never touches its output.
#pragma once

#include <filesystem>

#include "command.h"
#include "recur/pipeline/pipeline.h"

namespace recur::cli {

// Options of a batch job (-i, -o, --resume, search flags, batch flags, --threads,
// --workers, --attention, --scores, --strict, --plugin-path).
void add_batch_job_options(po::options_description& options);

// Runs the pipeline `pipeline_yaml` over the job's input; returns the exit code.
int run_batch_job(const std::filesystem::path& pipeline_yaml, const po::variables_map& args,
                  PipelineOptions options = {});

// A batch job over a model folder (-m DIR and the options above): what `recur translate`
// and `recur summarize` declare and run (the folder's task decides the rest).
void declare_model_job(CommandOptions& options);
int run_model_job(const po::variables_map& args);

// The pipeline file of a model folder (MODEL_DIR/pipeline.yaml), checked to exist.
std::filesystem::path model_pipeline(const std::filesystem::path& model_dir);

}  // namespace recur::cli
