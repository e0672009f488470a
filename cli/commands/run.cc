// `recur run PIPELINE.yaml -i IN -o OUT`: run any pipeline YAML over a file; its task
// decides how records are read and written.
#include "batch_command.h"
#include "command.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  options.named.add_options()("pipeline", po::value<std::string>()->required()->value_name("YAML"),
                              "pipeline YAML (weights and tokenizer paths relative to it)");
  options.positional.add("pipeline", 1);
  add_batch_job_options(options.named);
}

int run(const po::variables_map& args) {
  return run_batch_job(args["pipeline"].as<std::string>(), args);
}

}  // namespace

Command run_command() {
  return {"run", "run a pipeline YAML over a file (or stdin); its task decides the records",
          "PIPELINE.yaml [-i IN] [-o OUT] [options]", &declare, &run};
}

}  // namespace recur::cli
