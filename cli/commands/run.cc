// `recur run PIPELINE.yaml -i IN -o OUT`: run any text pipeline YAML over a file.
#include "command.h"
#include "translate_job.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  options.named.add_options()("pipeline", po::value<std::string>()->required()->value_name("YAML"),
                              "pipeline YAML (weights and tokenizer paths relative to it)");
  options.positional.add("pipeline", 1);
  add_text_job_options(options.named);
}

int run(const po::variables_map& args) { return run_text_job(args["pipeline"].as<std::string>(), args); }

}  // namespace

Command run_command() {
  return {"run", "run a pipeline YAML over a text file (or stdin), line by line",
          "PIPELINE.yaml [-i IN] [-o OUT] [options]", &declare, &run};
}

}  // namespace recur::cli
