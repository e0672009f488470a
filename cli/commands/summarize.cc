// `recur summarize -m MODEL_DIR -i IN -o OUT`: summarize a file of documents, one per
// line, or with --paragraphs one per paragraph (lines between blank lines, joined with
// spaces); one summary line per document, in input order. The same batch job as
// translate, for a summarization model.
#include "batch_command.h"
#include "command.h"

namespace recur::cli {

namespace {

void declare(CommandOptions& options) {
  declare_model_job(options);
  options.named.add_options()(
      "paragraphs", po::bool_switch(),
      "a document is a paragraph: lines up to a blank line, joined with spaces (default: a line)");
}

}  // namespace

Command summarize_command() {
  return {"summarize",
          "summarize a file of documents (or stdin), one per line or per paragraph, with a model folder",
          "-m MODEL_DIR [-i IN] [-o OUT] [--paragraphs] [options]", &declare, &run_model_job};
}

}  // namespace recur::cli
