// What commands that load a model folder but are not batch jobs over lines share
// (`recur generate`, `recur eval --metric bpc`): -m DIR, --allow-external-files, the
// plugin flags and --threads, and the folder's pipeline built from them.
#pragma once

#include "command.h"
#include "recur/pipeline/pipeline.h"
#include "recur/plugin/host.h"

namespace recur::cli {

// -m/--model (required when `required`), --allow-external-files, --threads, --plugin-path,
// --allow-plugin-override.
void declare_model_options(po::options_description& options, bool required = true);

// The model folder's pipeline on `host`'s plugins (which must outlive it), after
// applying --threads.
Pipeline load_model_folder(const po::variables_map& args, const PluginHost& host);

// An Error naming the model folder unless `pipeline` is a language model (no encoder;
// with `searches`, a task with search options): what `what` (e.g. "recur generate") needs.
void require_language_model(Pipeline& pipeline, const po::variables_map& args, const std::string& what,
                            bool searches);

}  // namespace recur::cli
