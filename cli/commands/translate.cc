// `recur translate -m MODEL_DIR -i IN -o OUT`: batch-translate a file with a model folder.
#include "batch_command.h"
#include "command.h"

namespace recur::cli {

Command translate_command() {
  return {"translate", "translate a text file (or stdin) with a model folder, line by line",
          "-m MODEL_DIR [-i IN] [-o OUT] [options]", &declare_model_job, &run_model_job};
}

}  // namespace recur::cli
