// `recur summarize -m MODEL_DIR -i IN -o OUT`: summarize a file of documents, one per
// line, with a model folder (the same batch job as translate, for a summarization model).
#include "batch_command.h"
#include "command.h"

namespace recur::cli {

Command summarize_command() {
  return {"summarize", "summarize a file of documents (or stdin), one per line, with a model folder",
          "-m MODEL_DIR [-i IN] [-o OUT] [options]", &declare_model_job, &run_model_job};
}

}  // namespace recur::cli
