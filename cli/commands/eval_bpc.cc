#include "commands/eval_bpc.h"

#include <cstdio>

#include "model_command.h"
#include "options.h"
#include "recur/core/error.h"
#include "recur/pipeline/token_stream.h"

namespace recur::cli {

int run_bpc(const po::variables_map& args) {
  for (const char* flag : {"ref", "hyp", "baseline", "source", "lead-words"}) {
    if (args.count(flag)) throw FlagError(std::string("--") + flag, "is not read with --metric bpc");
  }
  if (!args.count("model")) throw FlagError("--model", "--metric bpc needs a language model folder (-m DIR)");
  if (!args.count("input")) throw FlagError("--input", "--metric bpc needs the text to score (-i FILE)");
  PluginHost host = load_plugins(args);
  Pipeline pipeline = load_model_folder(args, host);
  require_language_model(pipeline, args, "--metric bpc", false);
  const Tokenizer& tok = pipeline.target_tokenizer();
  const TokenStream text = read_token_stream(tok, args["input"].as<std::string>());
  if (text.ids.empty()) throw IoError(args["input"].as<std::string>() + ": no text to score");
  pipeline.model().eval();
  const StreamScore s = score_stream(pipeline.decoder(), text, tok.eos_id());
  if (args["score-only"].as<bool>()) {
    std::printf("%.4f\n", s.bits_per_character());
    return 0;
  }
  std::printf("BPC = %.4f\nPerplexity = %.4f (per token)\n%lld characters, %lld tokens, %lld lines\n",
              s.bits_per_character(), s.perplexity(), static_cast<long long>(s.characters),
              static_cast<long long>(s.tokens), static_cast<long long>(text.lines));
  return 0;
}

}  // namespace recur::cli
