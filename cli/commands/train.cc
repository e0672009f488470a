// `recur train PIPELINE.yaml [-o MODEL_DIR] [--resume | --init WEIGHTS]`: train the
// pipeline's model from its train: section (BPTT), writing checkpoints and, whenever
// validation improves, a model folder that `recur translate -m` runs as is. --init starts
// from trained weights (fine-tuning, or continuing a run whose checkpoints are gone) with
// a fresh optimizer and schedule.
#include <algorithm>
#include <iostream>
#include <optional>

#include "command.h"
#include "job_flags.h"
#include "options.h"
#include "recur/config/section.h"
#include "recur/core/logging.h"
#include "recur/nn/state_dict.h"
#include "recur/ops/precision.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/model_folder.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/shortlist_corpus.h"
#include "recur/pipeline/shortlist_file.h"
#include "recur/pipeline/train_settings.h"
#include "recur/pipeline/vocabularies.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("pipeline", po::value<std::string>()->required()->value_name("YAML"), "pipeline YAML with a train: section");
  add("output,o", po::value<std::string>()->value_name("DIR"),
      "model folder to write (default: <checkpoint_dir>/model)");
  add("resume", po::bool_switch(), "continue from <checkpoint_dir>/last.safetensors");
  add("init", po::value<std::string>()->value_name("WEIGHTS"),
      "start from these weights (a model folder or its model file), fresh optimizer and schedule");
  add("threads", po::value<std::int64_t>()->value_name("N"), "compute threads (default: all cores)");
  add("precision", po::value<std::string>()->value_name("P"),
      "f32 or bf16: arithmetic of the training passes; bf16 is mixed precision (f32 master weights) "
      "and needs a CPU with AVX512-BF16 or AMX (default: train.precision, f32)");
  add_plugin_options(options.named);
  options.positional.add("pipeline", 1);
}

// A pipeline whose search.shortlist names a file gets it learned from train.data into the
// model folder (export_model_folder keeps the search section as it is: the file name is
// the folder's), before training: every export of the folder, from the first validation
// on, then has its table (a killed or resumed run too).
void write_shortlist(const config::Section& root, const Pipeline& pipeline, const fs::path& out) {
  const std::optional<ShortlistSettings> settings = parse_shortlist_settings(root.optional_section("search"));
  const config::Section data = root.section("train").section("data");
  if (!settings || !data.has("source") || !data.has("target") || !pipeline.source_tokenizer()) return;
  fs::create_directories(out);
  const fs::path file = out / settings->file.filename();
  search::ShortlistLearning how;  // the default score and threshold
  how.top_k = std::max<std::int64_t>(settings->options.top_k, 1);
  const LearnedShortlist learned =
      write_learned_shortlist(pipeline, data.path_value("source"), data.path_value("target"), how, file);
  log().info("shortlist: {} candidates for {} source pieces from {} pairs in {}", learned.table.targets().size(),
             learned.table.source_vocab(), learned.pairs, file.string());
}

int run(const po::variables_map& args) {
  // Training is long: its log lines (every log_every steps, each validation) are the
  // progress display, so info is the floor here.
  set_verbosity(std::max(1, count_of(args, "verbose")));
  apply_thread_flag(args);
  if (args["resume"].as<bool>() && args.count("init")) {
    throw FlagError("--init", "a resumed run continues from its checkpoint: give --resume or --init, not both");
  }
  const std::optional<ops::Precision> precision = precision_flag(args);
  if (precision == ops::Precision::int8) {
    throw FlagError("--precision", "int8 is for inference only: train in f32 or bf16");
  }
  const fs::path yaml = args["pipeline"].as<std::string>();
  const config::Section root = config::load_file(yaml);
  const TrainSettings settings = parse_train_settings(root.section("train"));
  if (ops::set_training_precision(precision.value_or(settings.precision)) == ops::Precision::bf16) {
    log().info("training precision bf16 (mixed: f32 master weights; {})", ops::cpu_isa_name());
  }
  PluginHost host = load_plugins(args);
  VocabularyTraining vocab;
  // A side's tokenizer is trained on the train.data file of the same name.
  const config::Section& data = *settings.data;
  if (data.has("source")) vocab.source_corpus = data.path_value("source");
  if (data.has("target")) vocab.target_corpus = data.path_value("target");
  vocab.source_size = settings.vocab.source_size;
  vocab.target_size = settings.vocab.target_size;
  vocab.sample_lines = settings.vocab.sample_lines;
  ensure_vocabularies(host.registry(), root, vocab);

  PipelineOptions popts;
  popts.load_weights = false;
  Pipeline pipeline = Pipeline::load(yaml, host.registry(), popts);
  log().info("model: {} parameters", pipeline.model().parameter_count());
  std::unique_ptr<train::TrainTask> task = pipeline.task().make_train_task(pipeline, settings);
  train::Trainer trainer(*task, settings.trainer);
  const fs::path out = args.count("output") ? fs::path(args["output"].as<std::string>())
                                            : settings.trainer.checkpoint_dir / "model";
  if (args["resume"].as<bool>()) trainer.resume(settings.trainer.checkpoint_dir / "last.safetensors");
  if (args.count("init")) {
    fs::path weights = args["init"].as<std::string>();
    if (fs::is_directory(weights)) {
      weights = config::load_file(weights / "pipeline.yaml").path_value("weights", fs::path("model.safetensors"));
    }
    nn::load_state_dict(pipeline.model(), weights);
    log().info("initialised from {}", weights.string());
  }

  write_shortlist(root, pipeline, out);
  auto export_model = [&] { export_model_folder(yaml, pipeline, out, settings.save_dtype); };
  train::TrainSummary summary = trainer.run(export_model);
  if (!task->validates()) export_model();  // no validation data: the last model
  std::fprintf(stderr, "recur: %s after %lld steps (%lld skipped) in %.1f min; best %s %.4f; model in %s\n",
               summary.stop_reason.c_str(), static_cast<long long>(summary.steps),
               static_cast<long long>(summary.skipped), summary.seconds / 60.0,
               settings.trainer.metric.c_str(), summary.best_metric, out.string().c_str());
  return 0;
}

}  // namespace

Command train_command() {
  return {"train", "train a pipeline's model from its train: section (BPTT, checkpoints, early stopping)",
          "PIPELINE.yaml [-o MODEL_DIR] [--resume | --init WEIGHTS] [options]", &declare, &run};
}

}  // namespace recur::cli
