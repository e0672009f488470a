// `recur translate -m MODEL_DIR -i IN -o OUT`: batch-translate a file with a model folder.
#include "batch_command.h"
#include "command.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  options.named.add_options()("model,m", po::value<std::string>()->required()->value_name("DIR"),
                              "model folder (pipeline.yaml, model.safetensors, tokenizer files)");
  add_batch_job_options(options.named);
}

int run(const po::variables_map& args) {
  return run_batch_job(model_pipeline(args["model"].as<std::string>()), args, "translate");
}

}  // namespace

Command translate_command() {
  return {"translate", "translate a text file (or stdin) with a model folder, line by line",
          "-m MODEL_DIR [-i IN] [-o OUT] [options]", &declare, &run};
}

}  // namespace recur::cli
