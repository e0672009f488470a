// `recur classify -m MODEL_DIR -i TEXTS -o LABELS`: label a file of texts (one per line)
// with a classification model folder: `label<TAB>probability` per line in input order, or
// the whole distribution as JSON lines with --json. The same batch job runner as translate.
#include "batch_command.h"
#include "command.h"

namespace recur::cli {

namespace {

void declare(CommandOptions& options) {
  declare_model_job(options);
  options.named.add_options()(
      "json", po::bool_switch(),
      "JSON lines: {\"label\", \"probability\", \"probabilities\": {label: p, ...}}");
}

}  // namespace

Command classify_command() {
  return {"classify", "label a text file (or stdin), one text per line, with a classification model folder",
          "-m MODEL_DIR [-i IN] [-o OUT] [--json] [options]", &declare, &run_model_job};
}

}  // namespace recur::cli
