#include "job_flags.h"

#include <map>
#include <sstream>
#include <vector>

#include "recur/core/logging.h"
#include "recur/ops/threads.h"
#include "recur/search/options.h"

namespace recur::cli {

namespace {

// The search flags and the search::Options keys they set (a problem names the key): one
// list for naming, rejecting and fingerprinting them.
struct SearchFlag {
  const char* flag;
  const char* key;
};
constexpr SearchFlag kSearchFlags[] = {
    {"beam", "beam_size"},          {"n-best", "n_best"},
    {"sample", "sampling"},         {"temperature", "temperature"},
    {"top-k", "top_k"},             {"top-p", "top_p"},
    {"seed", "seed"},               {"no-repeat-ngram", "no_repeat_ngram"},
    {"coverage-penalty", "coverage_penalty"}, {"length-penalty", "length_penalty"}};

// YAML key -> flag, for naming the flag of a problem.
const std::map<std::string, std::string>& flag_of() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> keys{{"max_tokens", "--batch-tokens"}, {"max_rows", "--max-rows"},
                                            {"maxi_batch", "--maxi-batch"},   {"workers", "--workers"}};
    for (const SearchFlag& f : kSearchFlags) keys.emplace(f.key, std::string("--") + f.flag);
    return keys;
  }();
  return m;
}

[[noreturn]] void fail(const config::OptionProblem& p) {
  auto it = flag_of().find(p.key);
  throw FlagError(it == flag_of().end() ? p.key : it->second, p.message);
}

template <class T>
void take(const po::variables_map& args, const char* flag, T& value) {
  if (args.count(flag)) value = args[flag].as<T>();
}

}  // namespace

void add_search_flags(po::options_description& options) {
  auto add = options.add_options();
  add("beam", po::value<std::int64_t>()->value_name("N"), "beam size (1 = greedy; default: the pipeline's)");
  add("n-best", po::value<std::int64_t>()->value_name("N"), "write N hypotheses per line as 'i ||| text ||| score'");
  add("sample", po::bool_switch(), "sample each output instead of searching (beam 1)");
  add("temperature", po::value<double>()->value_name("T"), "sampling temperature");
  add("top-k", po::value<std::int64_t>()->value_name("K"), "sample among the K most likely tokens (0 = all)");
  add("top-p", po::value<double>()->value_name("P"), "sample among the fewest most likely tokens whose probability reaches P");
  add("seed", po::value<std::int64_t>()->value_name("N"), "sampling seed");
  add("no-repeat-ngram", po::value<std::int64_t>()->value_name("N"),
      "never repeat an n-gram of N tokens in an output (0 = off)");
  add("coverage-penalty", po::value<double>()->value_name("BETA"),
      "beam search: GNMT coverage penalty weight (0 = off)");
  add("length-penalty", po::value<double>()->value_name("ALPHA"),
      "scores divide the log-probability by ((5 + length) / 6)^ALPHA (GNMT; 0 = off; default: the pipeline's)");
}

void add_job_flags(po::options_description& options) {
  auto add = options.add_options();
  add("batch-tokens", po::value<std::int64_t>()->value_name("N"),
      "token budget of a mini-batch, rows x longest record (default: the pipeline's batch.max_tokens, 4096)");
  add("max-rows", po::value<std::int64_t>()->value_name("N"), "rows of a mini-batch at most (default 128)");
  add("maxi-batch", po::value<std::int64_t>()->value_name("N"),
      "records read, sorted by size and batched together; bounds memory (default 1000)");
  add("threads", po::value<std::int64_t>()->value_name("N"), "compute threads (default: all cores)");
  add("workers", po::value<std::int64_t>()->value_name("N"),
      "mini-batches run at once, sharing the threads (default: one per thread)");
  add_precision_flag(options);
}

void add_precision_flag(po::options_description& options) {
  options.add_options()("precision", po::value<std::string>()->value_name("P"),
                        "f32, bf16 or int8: arithmetic of the model's layers (default: the pipeline's "
                        "precision, f32); bf16 needs a CPU with AVX512-BF16 or AMX; int8 (inference only) "
                        "quantizes the linear layers dynamically");
}

std::optional<ops::Precision> precision_flag(const po::variables_map& args) {
  if (!args.count("precision")) return std::nullopt;
  const auto& name = args["precision"].as<std::string>();
  if (auto p = ops::precision_of(name)) return p;
  throw FlagError("--precision", "expected f32, bf16 or int8, got '" + name + "'");
}

void apply_precision(std::optional<ops::Precision> flag, const Pipeline& pipeline) {
  const ops::Precision used = ops::set_inference_precision(flag.value_or(pipeline.precision()));
  if (used != ops::Precision::f32) log().info("precision {} ({})", ops::precision_name(used), ops::cpu_isa_name());
}

void reject_search_flags(const po::variables_map& args, const std::string& why) {
  for (const SearchFlag& f : kSearchFlags) {
    const char* name = f.flag;
    if (!args.count(name) || args[name].defaulted()) continue;
    if (const auto* on = boost::any_cast<bool>(&args[name].value()); on && !*on) continue;
    throw FlagError(std::string("--") + name, why);
  }
}

void apply_search_flags(const po::variables_map& args, search::Options& o) {
  take(args, "beam", o.beam_size);
  take(args, "n-best", o.n_best);
  if (args.count("n-best") && !args.count("beam") && o.n_best > o.beam_size) o.beam_size = o.n_best;
  if (args.count("sample") && args["sample"].as<bool>()) {
    o.sampling = true;
    if (!args.count("beam")) o.beam_size = 1;
  }
  // The pipeline's n_best follows a smaller beam the flags chose (--beam 1, --sample):
  // only an n-best the user gave can be too large for the beam.
  if (!args.count("n-best") && o.n_best > o.beam_size) o.n_best = o.beam_size;
  if (args.count("temperature")) o.temperature = static_cast<float>(args["temperature"].as<double>());
  take(args, "top-k", o.top_k);
  if (args.count("top-p")) o.top_p = static_cast<float>(args["top-p"].as<double>());
  take(args, "no-repeat-ngram", o.no_repeat_ngram);
  if (args.count("coverage-penalty")) {
    o.coverage_penalty = static_cast<float>(args["coverage-penalty"].as<double>());
  }
  if (args.count("length-penalty")) o.length_penalty = static_cast<float>(args["length-penalty"].as<double>());
  if (args.count("seed")) {
    const auto seed = args["seed"].as<std::int64_t>();
    if (seed < 0) throw FlagError("--seed", "expected a non-negative integer");
    o.seed = static_cast<std::uint64_t>(seed);
  }
  if (auto p = search::check(o)) fail(*p);
}

JobOptions job_options_from_flags(const po::variables_map& args, JobOptions o) {
  take(args, "batch-tokens", o.batch.max_tokens);
  take(args, "max-rows", o.batch.max_rows);
  take(args, "maxi-batch", o.maxi_batch);
  take(args, "workers", o.workers);
  if (auto p = check(o)) fail(*p);
  return o;
}

void apply_thread_flag(const po::variables_map& args) {
  if (!args.count("threads")) return;
  const auto n = args["threads"].as<std::int64_t>();
  if (n < 1 || n > 1024) throw FlagError("--threads", "expected an integer in [1, 1024], got " + std::to_string(n));
  ops::set_num_threads(static_cast<int>(n));
}

std::string job_flags_fingerprint(const po::variables_map& args) {
  // Flags that cannot change the output (threads, workers, batching, verbosity) are left
  // out: a job may be resumed with other ones.
  static const std::vector<const char*> kOutputFlags = [] {
    std::vector<const char*> names;
    for (const SearchFlag& f : kSearchFlags) names.push_back(f.flag);
    for (const char* name : {"precision", "scores", "strict", "attention", "confidence", "confidence-top", "output",
                             "json", "paragraphs", "shortlist", "no-shortlist"}) {
      names.push_back(name);
    }
    return names;
  }();
  std::ostringstream f;
  for (const char* name : kOutputFlags) {
    if (!args.count(name)) continue;
    const auto& v = args[name].value();
    f << name << '=';
    if (auto* s = boost::any_cast<std::string>(&v)) f << *s;
    else if (auto* i = boost::any_cast<std::int64_t>(&v)) f << *i;
    else if (auto* d = boost::any_cast<double>(&v)) f << *d;
    else if (auto* b = boost::any_cast<bool>(&v)) f << *b;
    f << '\n';
  }
  return f.str();
}

}  // namespace recur::cli
