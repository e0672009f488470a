#include "translate_job.h"

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "options.h"
#include "progress.h"
#include "recur/core/logging.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/translator.h"

namespace recur::cli {

void add_text_job_options(po::options_description& options) {
  auto add = options.add_options();
  add("input,i", po::value<std::string>()->default_value("-")->value_name("FILE"),
      "input text, one segment per line (- = stdin)");
  add("output,o", po::value<std::string>()->default_value("-")->value_name("FILE"),
      "output, line i answers input line i (- = stdout)");
  add("beam", po::value<std::int64_t>()->value_name("N"), "beam size (1 = greedy; default: the pipeline's)");
  add("n-best", po::value<std::int64_t>()->value_name("N"), "write N hypotheses per line as 'i ||| text ||| score'");
  add("scores", po::bool_switch(), "append ' ||| score' to each output line");
  add("batch-tokens", po::value<std::int64_t>()->default_value(4096)->value_name("N"),
      "token budget of a mini-batch (rows x longest source)");
  add("maxi-batch", po::value<std::size_t>()->default_value(1000)->value_name("LINES"),
      "lines read, sorted by length and batched together");
  add("threads", po::value<int>()->value_name("N"), "compute threads (default: all cores)");
  add("workers", po::value<int>()->value_name("N"),
      "mini-batches translated at once, sharing the threads (default: one per thread)");
  add("attention", po::value<std::string>()->value_name("FILE.jsonl"),
      "write each line's source/target pieces and attention matrix as JSON lines");
  add("strict", po::bool_switch(), "invalid UTF-8 is an error naming the line (default: replaced)");
  add_plugin_options(options);
}

std::filesystem::path model_pipeline(const std::filesystem::path& model_dir) {
  const auto yaml = model_dir / "pipeline.yaml";
  if (!std::filesystem::is_regular_file(yaml)) {
    throw IoError(model_dir.string() + ": not a model folder (no pipeline.yaml)");
  }
  return yaml;
}

namespace {

std::int64_t file_size_or(const std::string& path, std::int64_t fallback) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? fallback : static_cast<std::int64_t>(n);
}

}  // namespace

int run_text_job(const std::filesystem::path& pipeline_yaml, const po::variables_map& args) {
  if (args.count("threads")) ops::set_num_threads(args["threads"].as<int>());
  PluginHost host = load_plugins(args);
  Pipeline pipeline = Pipeline::load(pipeline_yaml, host.registry());
  search::Options& so = pipeline.search_options();
  if (args.count("beam")) so.beam_size = args["beam"].as<std::int64_t>();
  if (args.count("n-best")) so.n_best = args["n-best"].as<std::int64_t>();
  if (so.n_best > so.beam_size) so.beam_size = so.n_best;

  TranslateOptions o;
  o.scores = args["scores"].as<bool>();
  o.strict = args["strict"].as<bool>();
  o.batch.max_tokens = args["batch-tokens"].as<std::int64_t>();
  o.maxi_batch_lines = args["maxi-batch"].as<std::size_t>();
  o.workers = args.count("workers") ? args["workers"].as<int>() : ops::num_threads();
  if (o.workers < 1) throw ConfigError("--workers must be positive");
  if (o.batch.max_tokens < 1 || o.maxi_batch_lines < 1) throw ConfigError("--batch-tokens and --maxi-batch must be positive");

  const std::string in_name = args["input"].as<std::string>();
  const std::string out_name = args["output"].as<std::string>();
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (in_name != "-") {
    in_file.open(in_name, std::ios::binary);
    if (!in_file) throw IoError(in_name + ": cannot open for reading");
    in = &in_file;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (out_name != "-") {
    out_file.open(out_name, std::ios::binary | std::ios::trunc);
    if (!out_file) throw IoError(out_name + ": cannot open for writing");
    out = &out_file;
  }
  std::ofstream attention;
  if (args.count("attention")) {
    const std::string a = args["attention"].as<std::string>();
    attention.open(a, std::ios::binary | std::ios::trunc);
    if (!attention) throw IoError(a + ": cannot open for writing");
    o.attention = &attention;
  }

  const std::int64_t size = in_name == "-" ? -1 : file_size_or(in_name, -1);
  Progress progress(isatty(STDERR_FILENO) == 1 || count_of(args, "verbose") > 0, [&]() -> double {
    if (size <= 0) return -1.0;
    const auto pos = static_cast<std::int64_t>(in_file.tellg());
    return pos < 0 ? 1.0 : static_cast<double>(pos) / static_cast<double>(size);
  });
  o.on_progress = [&](std::uint64_t lines) { progress.update(lines); };

  TranslateStats s = translate_stream(pipeline, *in, in_name == "-" ? "<stdin>" : in_name, *out, o);
  progress.finish();
  out->flush();
  if (!*out) throw IoError((out_name == "-" ? std::string("<stdout>") : out_name) + ": write error");
  std::fprintf(stderr,
               "recur: %llu lines (%llu empty) | %llu source tokens, %llu target tokens | "
               "%.1f s, %.1f lines/s | %llu warnings (%llu invalid UTF-8, %llu cropped)\n",
               static_cast<unsigned long long>(s.lines), static_cast<unsigned long long>(s.empty_lines),
               static_cast<unsigned long long>(s.source_tokens),
               static_cast<unsigned long long>(s.target_tokens), s.seconds,
               static_cast<double>(s.lines) / std::max(s.seconds, 1e-9),
               static_cast<unsigned long long>(s.warnings()),
               static_cast<unsigned long long>(s.invalid_utf8_lines),
               static_cast<unsigned long long>(s.cropped_lines));
  return 0;
}

}  // namespace recur::cli
