// `recur spm-train --input CORPUS --model-prefix PREFIX --vocab-size N`: train a
// SentencePiece model with recur's special ids (0 pad, 1 bos, 2 eos, 3 unk), by the
// tokenizer_trainer the sentencepiece plugin registers.
#include <iostream>

#include "command.h"
#include "options.h"
#include "recur/config/section.h"
#include "recur/tokenizer_trainer.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("input", po::value<std::string>()->required()->value_name("FILE"), "training text, one segment per line");
  add("model-prefix", po::value<std::string>()->required()->value_name("PREFIX"), "writes PREFIX.model and PREFIX.vocab");
  add("vocab-size", po::value<std::int64_t>()->default_value(8000)->value_name("N"), "vocabulary size");
  add("model-type", po::value<std::string>()->default_value("unigram")->value_name("TYPE"), "unigram, bpe, char or word");
  add("character-coverage", po::value<double>()->default_value(1.0)->value_name("F"), "share of characters covered");
  add("input-sentence-size", po::value<std::int64_t>()->default_value(0)->value_name("N"), "sample N lines (0 = all)");
  add("threads", po::value<int>()->default_value(1)->value_name("N"), "trainer threads");
  add_plugin_options(options.named);
}

int run(const po::variables_map& args) {
  TokenizerTrainOptions o;
  o.corpora = {args["input"].as<std::string>()};
  o.model = args["model-prefix"].as<std::string>() + ".model";
  o.vocab_size = args["vocab-size"].as<std::int64_t>();
  o.model_type = args["model-type"].as<std::string>();
  o.character_coverage = args["character-coverage"].as<double>();
  o.sample_lines = args["input-sentence-size"].as<std::int64_t>();
  o.threads = args["threads"].as<int>();
  PluginHost host = load_plugins(args);
  const auto settings = config::load_string("{}\n", "spm-train", ".");
  BuildContext context;
  context.registry = &host.registry();
  host.registry().create<TokenizerTrainer>("sentencepiece", settings, context)->train(o);
  std::cout << o.model.string() << "\n";
  return 0;
}

}  // namespace

Command spm_train_command() {
  return {"spm-train", "train a SentencePiece model from a corpus (recur's special ids)",
          "--input FILE --model-prefix PREFIX [--vocab-size N] [options]", &declare, &run};
}

}  // namespace recur::cli
