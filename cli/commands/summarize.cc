// `recur summarize -m MODEL_DIR -i IN -o OUT`: summarize a file of documents, one per
// line, with a model folder (the same batch job as translate, for a summarization model).
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
  return run_batch_job(model_pipeline(args["model"].as<std::string>()), args, "summarize");
}

}  // namespace

Command summarize_command() {
  return {"summarize", "summarize a file of documents (or stdin), one per line, with a model folder",
          "-m MODEL_DIR [-i IN] [-o OUT] [options]", &declare, &run};
}

}  // namespace recur::cli
