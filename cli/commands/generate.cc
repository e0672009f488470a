// `recur generate -m MODEL [--prompt TEXT] [--samples N] [--max-length N]`: text from a
// language model folder (task language_model). Each sample continues the prompt for
// --max-length tokens (characters for a character model), line breaks included; the
// model's search settings apply (sampling at temperature 1 unless the pipeline says
// otherwise), the flags override them. Sample k draws from its own stream seeded by
// (--seed, k): the same seed and thread count give the same text. One sample is
// streamed as it is generated; several are generated as one batch and written in order.
// --confidence FILE.jsonl writes each sample's top-k next tokens per step once all are
// generated ("line" = the sample's number; the last step is the one after the last token).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "job_flags.h"
#include "model_command.h"
#include "options.h"
#include "recur/core/error.h"
#include "recur/ops/tape.h"
#include "recur/core/atomic_file.h"
#include "recur/pipeline/confidence_json.h"
#include "recur/pipeline/token_stream.h"
#include "recur/search/confidence.h"
#include "recur/text/utf8.h"
#include "recur/search/search.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) {
  declare_model_options(options.named);
  auto add = options.named.add_options();
  add("prompt", po::value<std::string>()->default_value("")->value_name("TEXT"),
      "text the samples continue (written before each); default: start a text");
  add("samples", po::value<std::int64_t>()->default_value(1)->value_name("N"), "samples to write");
  add("max-length", po::value<std::int64_t>()->default_value(500)->value_name("N"),
      "tokens generated per sample (characters for a character model)");
  add("temperature", po::value<double>()->value_name("T"), "sampling temperature (default: the pipeline's, 1)");
  add("top-k", po::value<std::int64_t>()->value_name("K"), "sample among the K most likely tokens (0 = all)");
  add("top-p", po::value<double>()->value_name("P"),
      "sample among the fewest most likely tokens whose probability reaches P");
  add("seed", po::value<std::int64_t>()->value_name("N"), "sampling seed (default: the pipeline's, 1)");
  add("greedy", po::bool_switch(), "the most likely token at every step instead of sampling");
  add("output,o", po::value<std::string>()->default_value("-")->value_name("FILE"), "output (- = stdout)");
  add("json", po::bool_switch(), "JSON lines: {\"sample\", \"prompt\", \"text\", \"log_prob\"}");
  add("confidence", po::value<std::string>()->value_name("FILE.jsonl"),
      "write each sample's chosen tokens and the top-k next tokens with their probabilities at every "
      "step as JSON lines, \"line\" = the sample's number (recur plot confidence)");
  add("confidence-top", po::value<std::int64_t>()->value_name("K"),
      "with --confidence: candidates per step (default 5, at most 100)");
}

// Writes a sample's text as its tokens arrive: eos is a line break, the tokens of the
// current line are decoded again at each step and what was not yet written is written
// (a piece may change how the line before it decodes only at its start).
class StreamPrinter {
 public:
  StreamPrinter(const Tokenizer& tokenizer, std::ostream& out) : tok_(tokenizer), out_(out) {}

  void add(std::int64_t id) {
    if (id == tok_.eos_id()) {
      out_ << '\n';
      line_.clear();
      written_ = 0;
    } else {
      line_.push_back(id);
      const std::string text = tok_.decode(line_);
      if (text.size() > written_) {
        out_ << text.substr(written_);
        written_ = text.size();
      }
    }
    out_.flush();
  }

 private:
  const Tokenizer& tok_;
  std::ostream& out_;
  std::vector<std::int64_t> line_;
  std::size_t written_ = 0;
};

int run(const po::variables_map& args) {
  const std::int64_t samples = args["samples"].as<std::int64_t>();
  const std::int64_t max_length = args["max-length"].as<std::int64_t>();
  if (samples < 1 || samples > 100000) throw FlagError("--samples", "expected an integer in [1, 100000]");
  if (max_length < 1 || max_length > 1000000) throw FlagError("--max-length", "expected an integer in [1, 1000000]");
  const std::string out_name = args["output"].as<std::string>();
  const bool json = args["json"].as<bool>();
  const std::string confidence = args.count("confidence") ? args["confidence"].as<std::string>() : "";
  if (args.count("confidence-top") && confidence.empty()) {
    throw FlagError("--confidence-top", "applies only with --confidence FILE.jsonl");
  }
  const std::int64_t confidence_top = args.count("confidence-top") ? args["confidence-top"].as<std::int64_t>() : 5;
  if (confidence_top < 1 || confidence_top > 100) {
    throw FlagError("--confidence-top", "expected an integer in [1, 100], got " + std::to_string(confidence_top));
  }

  PluginHost host = load_plugins(args);
  Pipeline pipeline = load_model_folder(args, host);
  require_language_model(pipeline, args, "recur generate", true);
  search::Options o = *pipeline.task().search_options();
  apply_search_flags(args, o);
  if (args["greedy"].as<bool>()) {
    if (args.count("temperature") || args.count("top-k") || args.count("top-p")) {
      throw FlagError("--greedy", "does not sample: --temperature, --top-k and --top-p do not apply");
    }
    o.sampling = false;
  }
  o.beam_size = 1;
  o.n_best = 1;
  o.stop_at_eos = false;
  o.max_length_a = 0.0f;
  o.max_length_b = max_length;
  o.max_length_cap = max_length;
  if (auto p = search::check(o)) throw FlagError("--" + p->key, p->message);

  const Tokenizer& tok = pipeline.target_tokenizer();
  const std::string prompt = args["prompt"].as<std::string>();
  std::vector<std::int64_t> prefix;
  try {
    prefix = encode_stream(tok, prompt);
  } catch (const Error& e) {
    throw FlagError("--prompt", e.what());
  }

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (out_name != "-") {
    file.open(out_name, std::ios::binary | std::ios::trunc);
    if (!file) throw IoError(out_name + ": cannot open for writing");
    out = &file;
  }
  pipeline.model().eval();
  autograd::NoGradGuard no_grad;  // inference: nothing is recorded for backpropagation
  const auto start = std::chrono::steady_clock::now();
  const bool stream = samples == 1 && !json;
  StreamPrinter printer(tok, *out);
  if (stream) {
    *out << prompt;
    o.on_token = [&](std::size_t, std::int64_t id) { printer.add(id); };
  }
  std::vector<search::Row> rows;
  for (std::int64_t k = 0; k < samples; ++k) rows.emplace_back(0, static_cast<std::uint64_t>(k), prefix);
  const auto results = search::decode(pipeline.decoder(), Memory{}, rows, o);
  if (stream) *out << '\n';
  std::int64_t tokens = 0, characters = 0;
  for (std::int64_t k = 0; k < samples; ++k) {
    const search::Hypothesis& h = results[static_cast<std::size_t>(k)].front();
    const std::string text = decode_stream(tok, h.ids);  // once: written (unless streamed) and counted
    tokens += static_cast<std::int64_t>(h.ids.size());
    characters += static_cast<std::int64_t>(text::decode_utf8(text).size());
    if (json) {
      nlohmann::json j{{"sample", k + 1}, {"prompt", prompt}, {"text", text}, {"log_prob", h.log_prob}};
      *out << j.dump() << '\n';
    } else if (!stream) {
      *out << "--- sample " << (k + 1) << " ---\n" << prompt << text << '\n';
    }
  }
  out->flush();
  if (!*out) throw IoError((out_name == "-" ? std::string("<stdout>") : out_name) + ": write failed");
  if (!confidence.empty()) {
    std::vector<std::vector<std::int64_t>> chosen;
    for (const auto& r : results) chosen.push_back(r.front().ids);
    const auto steps = search::next_token_candidates(
        pipeline.decoder(), Memory{}, std::vector<std::vector<std::int64_t>>(chosen.size(), prefix), chosen, o.bos_id,
        confidence_top);
    std::ostringstream lines;
    for (std::size_t k = 0; k < steps.size(); ++k) write_confidence_json(lines, k + 1, chosen[k], steps[k], tok);
    write_file_atomically(confidence, lines.str());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "recur: %lld samples | %lld tokens, %lld characters | %.2f s, %.1f characters/s\n",
               static_cast<long long>(samples), static_cast<long long>(tokens), static_cast<long long>(characters),
               seconds, static_cast<double>(characters) / std::max(seconds, 1e-9));
  return 0;
}

}  // namespace

Command generate_command() {
  return {"generate", "sample text from a language model folder (task language_model), streaming one sample",
          "-m MODEL_DIR [--prompt TEXT] [--samples N] [--max-length N] [--temperature T] [--top-k K] "
          "[--top-p P] [--seed N] [--greedy] [-o OUT] [--json] [--confidence FILE.jsonl [--confidence-top K]]",
          &declare, &run};
}

}  // namespace recur::cli
