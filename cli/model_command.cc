#include "model_command.h"

#include "batch_command.h"
#include "job_flags.h"
#include "options.h"
#include "recur/core/error.h"

namespace recur::cli {

void declare_model_options(po::options_description& options, bool required) {
  auto add = options.add_options();
  auto* model = po::value<std::string>()->value_name("DIR");
  if (required) model->required();
  add("model,m", model, "model folder (pipeline.yaml, model.safetensors, tokenizer files)");
  add("allow-external-files", po::bool_switch(),
      "let the model folder's pipeline.yaml name files outside the folder (refused by default)");
  add("threads", po::value<std::int64_t>()->value_name("N"), "compute threads (default: all cores)");
  add_precision_flag(options);
  add_plugin_options(options);
}

Pipeline load_model_folder(const po::variables_map& args, const PluginHost& host) {
  apply_thread_flag(args);
  const std::optional<ops::Precision> precision = precision_flag(args);
  PipelineOptions options;
  options.files_inside_folder = !args["allow-external-files"].as<bool>();
  Pipeline pipeline = Pipeline::load(model_pipeline(args["model"].as<std::string>()), host.registry(), options);
  apply_precision(precision, pipeline);
  return pipeline;
}

void require_language_model(Pipeline& pipeline, const po::variables_map& args, const std::string& what,
                            bool searches) {
  if (pipeline.task().needs().encoder || (searches && !pipeline.task().search_options())) {
    throw Error(args["model"].as<std::string>() + ": " + what + " needs a language model (task language_model), "
                "this model's task is " + pipeline.task_name());
  }
}

}  // namespace recur::cli
