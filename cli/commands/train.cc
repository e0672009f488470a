// `recur train PIPELINE.yaml [-o MODEL_DIR] [--resume]`: train the pipeline's model from
// its train: section (BPTT), writing checkpoints and, whenever validation improves, a
// model folder that `recur translate -m` runs as is.
#include <fstream>
#include <iostream>

#include "command.h"
#include "job_flags.h"
#include "options.h"
#include "recur/config/section.h"
#include "recur/core/logging.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/model_folder.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/train_settings.h"
#include "spm_train.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("pipeline", po::value<std::string>()->required()->value_name("YAML"), "pipeline YAML with a train: section");
  add("output,o", po::value<std::string>()->value_name("DIR"),
      "model folder to write (default: <checkpoint_dir>/model)");
  add("resume", po::bool_switch(), "continue from <checkpoint_dir>/last.safetensors");
  add("threads", po::value<std::int64_t>()->value_name("N"), "compute threads (default: all cores)");
  add_plugin_options(options.named);
  options.positional.add("pipeline", 1);
}

// The SentencePiece model a side's tokenizer names, if the side uses sentencepiece.
std::optional<fs::path> spm_model(const config::Section& root, const char* side) {
  config::Section tok = root.section(side).section("tokenizer");
  if (tok.get<std::string>("plugin") != "sentencepiece") return std::nullopt;
  return tok.path_value("model");
}

// Trains the SentencePiece models the pipeline names but that do not exist yet. When
// source and target name the same file, one joint model is trained on both sides.
void ensure_vocabularies(const fs::path& yaml, const TrainSettings& s) {
  config::Section root = config::load_file(yaml);
  auto src = spm_model(root, "source");
  auto tgt = spm_model(root, "target");
  auto train = [&](const fs::path& model, const std::vector<fs::path>& corpora, std::int64_t size) {
    if (fs::exists(model)) return;
    fs::create_directories(model.parent_path());
    fs::path corpus = corpora.front();
    fs::path joint;
    if (corpora.size() > 1) {
      joint = model.string() + ".corpus.txt";
      std::ofstream out(joint, std::ios::binary);
      if (!out) throw IoError(joint.string() + ": cannot open for writing");
      for (const auto& c : corpora) {
        std::ifstream in(c, std::ios::binary);
        if (!in) throw IoError(c.string() + ": cannot open for reading");
        out << in.rdbuf();
      }
      corpus = joint;
    }
    log().info("training SentencePiece model {} ({} pieces) from {}", model.string(), size, corpus.string());
    plugins::SpmTrainOptions o;
    o.corpus = corpus;
    o.model_prefix = model.parent_path() / model.stem();
    o.vocab_size = size;
    o.input_sentence_size = s.vocab.sample_lines;
    o.num_threads = 2;
    o.hard_vocab_limit = false;
    const fs::path written = plugins::train_sentencepiece(o);
    if (written != model) fs::rename(written, model);
    if (!joint.empty()) fs::remove(joint);
  };
  // A side's tokenizer is trained on the train.data file of the same name.
  auto corpus = [&](const char* side) { return s.data->path_value(side); };
  if (src && tgt && *src == *tgt) {
    train(*src, {corpus("source"), corpus("target")}, s.vocab.source_size);
    return;
  }
  if (src) train(*src, {corpus("source")}, s.vocab.source_size);
  if (tgt) train(*tgt, {corpus("target")}, s.vocab.target_size);
}

int run(const po::variables_map& args) {
  // Training is long: its log lines (every log_every steps, each validation) are the
  // progress display, so info is the floor here.
  set_verbosity(std::max(1, count_of(args, "verbose")));
  apply_thread_flag(args);
  const fs::path yaml = args["pipeline"].as<std::string>();
  const TrainSettings settings = parse_train_settings(config::load_file(yaml).section("train"));
  ensure_vocabularies(yaml, settings);

  PluginHost host = load_plugins(args);
  PipelineOptions popts;
  popts.load_weights = false;
  Pipeline pipeline = Pipeline::load(yaml, host.registry(), popts);
  log().info("model: {} parameters", pipeline.model().parameter_count());
  std::unique_ptr<train::TrainTask> task = pipeline.task().make_train_task(pipeline, settings);
  train::Trainer trainer(*task, settings.trainer);
  const fs::path out = args.count("output") ? fs::path(args["output"].as<std::string>())
                                            : settings.trainer.checkpoint_dir / "model";
  if (args["resume"].as<bool>()) trainer.resume(settings.trainer.checkpoint_dir / "last.safetensors");

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
          "PIPELINE.yaml [-o MODEL_DIR] [--resume] [options]", &declare, &run};
}

}  // namespace recur::cli
