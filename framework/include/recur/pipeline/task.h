// A task type: registered by name like any component (kind "task") and selected by the
// pipeline YAML's `task:`. It knows which components a pipeline of its kind needs, how
// its records are read and written (its BatchJob, run by the one runner) and how it is
// trained (its TrainTask). Built-in: translation and summarization (the seq2seq plugin);
// a user's plugin may register more, exactly as it registers an encoder.
//
//   r.add<recur::Task>("translation", [](const config::Section& root, const BuildContext&) {...});
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "recur/config/section.h"
#include "recur/pipeline/batch_job.h"
#include "recur/plugin/component.h"
#include "recur/search/search.h"
#include "recur/train/task.h"

namespace recur {

class Pipeline;
struct TrainSettings;

// The components the pipeline builder makes for a task, in this order: the source side
// (YAML `source.tokenizer` or `source.preprocessor`), the encoder, the target tokenizer
// (`target.tokenizer`), the decoder. Each sees the sizes of those before it.
struct TaskNeeds {
  enum class Source { none, text, image };
  Source source = Source::text;
  bool encoder = true;
  bool target_tokenizer = true;
  bool decoder = true;
};

// What a batch job is asked for beyond its batching (the CLI's flags, task-independent).
struct JobRequest {
  bool strict = false;        // invalid input is an error naming the record, not a warning
  bool scores = false;        // append each output's score
  bool side_output = false;   // write the side file (e.g. attention JSON lines)
  bool json = false;          // JSON lines instead of the task's text format
  // Records that name files (image paths): relative names are resolved against this
  // folder (the list file's own); empty means the working directory.
  std::filesystem::path files_relative_to;
  // > 0: write the confidence side file (JobSinks::confidence) with this many candidates
  // per step (pipeline/confidence_json.h). A task that cannot refuses it. Since ABI 4.2.
  std::int64_t confidence_top_k = 0;
  // The vocabulary shortlist (pipeline/shortlist_file.h): true = use it, false = do not,
  // unset = as the pipeline's `search.shortlist.enabled` says. A task that has none
  // refuses true with a RequestError. Since ABI 4.4.
  std::optional<bool> shortlist;
};

// A JobRequest setting the task cannot honour (e.g. a shortlist the pipeline lacks):
// `setting` names the field ("shortlist"), so the CLI names its flag in a usage error.
// Since ABI 4.4.
class RequestError : public ConfigError {
 public:
  RequestError(std::string setting, const std::string& message)
      : ConfigError(setting + ": " + message), setting_(std::move(setting)), message_(message) {}
  const std::string& setting() const { return setting_; }
  const std::string& message() const { return message_; }

 private:
  std::string setting_;
  std::string message_;
};

class Task : public Component {
 public:
  static constexpr const char* kKind = "task";
  ~Task() override;

  virtual TaskNeeds needs() const = 0;
  // Reads the task's own top-level keys of the pipeline YAML (e.g. `search:`) once the
  // components exist. The builder rejects keys nobody read afterwards.
  virtual void configure(const config::Section& root, Pipeline& pipeline) = 0;
  // The search settings of a generating task (null for others): the CLI's flags apply here.
  virtual search::Options* search_options() { return nullptr; }
  // A batch job over this task's records (lines of text, image paths, ...).
  virtual std::unique_ptr<BatchJob> make_job(Pipeline& pipeline, const JobRequest& request) = 0;
  // What `recur train` trains: the pipeline on the `train:` section's data.
  virtual std::unique_ptr<train::TrainTask> make_train_task(Pipeline& pipeline,
                                                            const TrainSettings& settings) = 0;
};

}  // namespace recur
