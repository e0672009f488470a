// `recur shortlist MODEL_DIR|PIPELINE.yaml [--source FILE --target FILE] [-o FILE]`:
// learn a vocabulary shortlist (pipeline/shortlist_file.h) from a parallel corpus,
// tokenized by the pipeline's own tokenizers. The corpus defaults to the pipeline's
// train.data source and target, the output to the file its search.shortlist names (else
// MODEL_DIR/shortlist.safetensors).
#include <cstdio>
#include <filesystem>
#include <optional>

#include "batch_command.h"
#include "command.h"
#include "options.h"
#include "recur/config/section.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/shortlist_corpus.h"
#include "recur/pipeline/shortlist_file.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("model", po::value<std::string>()->required()->value_name("DIR|YAML"),
      "model folder or pipeline YAML whose tokenizers read the corpus");
  add("source", po::value<std::string>()->value_name("FILE"),
      "source side of the parallel corpus (default: the pipeline's train.data.source)");
  add("target", po::value<std::string>()->value_name("FILE"),
      "target side, line i translating source line i (default: the pipeline's train.data.target)");
  add("output,o", po::value<std::string>()->value_name("FILE"),
      "table to write (default: the pipeline's search.shortlist.file, else DIR/shortlist.safetensors)");
  add("top-k", po::value<std::int64_t>()->default_value(50)->value_name("K"),
      "candidates kept per source piece (the pipeline's search.shortlist.top_k may use fewer)");
  add("score", po::value<std::string>()->default_value("llr")->value_name("S"),
      "association of a source and a target piece: llr (log-likelihood ratio) or dice");
  add("min-score", po::value<double>()->value_name("X"),
      "drop candidates scoring less (default: 10.83 for llr, p < 0.001; 0 for dice)");
  add_plugin_options(options.named);
  options.positional.add("model", 1);
}

// The corpus side `key` of the flag, else of train.data; a FlagError naming the flag if neither.
fs::path corpus_side(const po::variables_map& args, const config::Section& root, const char* key) {
  if (args.count(key)) return args[key].as<std::string>();
  if (root.has("train")) {
    const config::Section train = root.section("train");
    if (train.has("data") && train.section("data").has(key)) return train.section("data").path_value(key);
  }
  throw FlagError(std::string("--") + key, std::string("needed: the pipeline has no train.data.") + key);
}

int run(const po::variables_map& args) {
  const fs::path given = args["model"].as<std::string>();
  const bool folder = fs::is_directory(given);
  const fs::path yaml = folder ? model_pipeline(given) : given;
  search::ShortlistLearning how;
  how.top_k = args["top-k"].as<std::int64_t>();
  if (how.top_k < 1) throw FlagError("--top-k", "expected a positive integer, got " + std::to_string(how.top_k));
  const std::string score = args["score"].as<std::string>();
  if (score != "llr" && score != "dice") throw FlagError("--score", "expected llr or dice, got '" + score + "'");
  how.score = score == "llr" ? search::ShortlistScore::llr : search::ShortlistScore::dice;
  how.min_score = args.count("min-score") ? args["min-score"].as<double>() : score == "llr" ? how.min_score : 0.0;
  const config::Section root = config::load_file(yaml);
  const fs::path source = corpus_side(args, root, "source");
  const fs::path target = corpus_side(args, root, "target");
  std::optional<ShortlistSettings> settings = parse_shortlist_settings(root.optional_section("search"));
  fs::path out;
  if (args.count("output")) {
    out = args["output"].as<std::string>();
  } else if (settings) {
    out = settings->file;
  } else if (folder) {
    out = given / "shortlist.safetensors";
  } else {
    throw FlagError("--output", "needed: the pipeline names no search.shortlist.file");
  }

  PluginHost host = load_plugins(args);
  PipelineOptions options;
  options.load_weights = false;  // only the tokenizers read the corpus
  const Pipeline pipeline = Pipeline::load(yaml, host.registry(), options);
  const LearnedShortlist learned = write_learned_shortlist(pipeline, source, target, how, out);
  std::error_code no_size;
  std::fprintf(stderr,
               "recur: shortlist of %lld source pieces (%lld candidates, up to %lld each) from %lld pairs, %.0f kB\n",
               static_cast<long long>(learned.table.source_vocab()),
               static_cast<long long>(learned.table.targets().size()),
               static_cast<long long>(learned.table.max_candidates()), static_cast<long long>(learned.pairs),
               static_cast<double>(fs::file_size(out, no_size)) / 1000.0);
  std::printf("%s\n", out.string().c_str());
  if (!settings) {
    std::fprintf(stderr,
                 "recur: to use it, add to %s:\n  search:\n    shortlist: {file: %s, top_k: %lld, frequent: 300}\n",
                 yaml.string().c_str(), out.filename().string().c_str(), static_cast<long long>(how.top_k));
  }
  return 0;
}

}  // namespace

Command shortlist_command() {
  return {"shortlist",
          "learn a vocabulary shortlist (likely target pieces per source piece) from a parallel corpus",
          "MODEL_DIR|PIPELINE.yaml [--source FILE --target FILE] [-o FILE] [--top-k K] [--score llr|dice] [options]",
          &declare, &run};
}

}  // namespace recur::cli
