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
// --workers, --attention, --confidence, --scores, --strict, --plugin-path).
void add_batch_job_options(po::options_description& options);

// Where a job's records come from when they are not the lines of -i: a listing made by
// the command (a folder's files, paths given as arguments), one record per line.
struct RecordListing {
  std::string name;     // for messages, e.g. "images/" or "<arguments>"
  std::string records;  // newline-terminated records
};

// Runs the pipeline `pipeline_yaml` over the job's input (-i, or `listing` when given);
// returns the exit code. A job whose records name files (an image task) resolves
// relative names against the list file's folder (the working directory for stdin and
// listings).
int run_batch_job(const std::filesystem::path& pipeline_yaml, const po::variables_map& args,
                  PipelineOptions options = {}, const RecordListing* listing = nullptr);

// A batch job over a model folder (-m DIR and the options above): what `recur translate`
// and `recur summarize` declare and run (the folder's task decides the rest).
void declare_model_job(CommandOptions& options);
int run_model_job(const po::variables_map& args);
int run_model_job(const po::variables_map& args, const RecordListing* listing);

// The pipeline file of a model folder (MODEL_DIR/pipeline.yaml), checked to exist.
std::filesystem::path model_pipeline(const std::filesystem::path& model_dir);

}  // namespace recur::cli
