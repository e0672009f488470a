#include "batch_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "job_flags.h"
#include "options.h"
#include "progress.h"
#include "recur/core/logging.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/job_output.h"
#include "recur/pipeline/runner.h"

namespace recur::cli {

namespace fs = std::filesystem;

void add_batch_job_options(po::options_description& options) {
  auto add = options.add_options();
  add("input,i", po::value<std::string>()->default_value("-")->value_name("FILE"),
      "input, one record per line (- = stdin)");
  add("output,o", po::value<std::string>()->default_value("-")->value_name("FILE"),
      "output, record i answers input record i (- = stdout); written as FILE.partial and renamed when done");
  add("resume", po::bool_switch(), "continue an unfinished job on the same -o with the same flags (FILE.progress)");
  add("scores", po::bool_switch(), "append ' ||| score' to each output line");
  add("attention", po::value<std::string>()->value_name("FILE.jsonl"),
      "write each line's source/target pieces and attention matrix as JSON lines");
  add("confidence", po::value<std::string>()->value_name("FILE.jsonl"),
      "write each output line's chosen pieces and the top-k next pieces with their probabilities at "
      "every step as JSON lines (recur plot confidence)");
  add("confidence-top", po::value<std::int64_t>()->value_name("K"),
      "with --confidence: candidates per step (default 5, at most 100)");
  add("shortlist", po::bool_switch(),
      "score only the target pieces the batch's source pieces make likely (the model's search.shortlist table)");
  add("no-shortlist", po::bool_switch(), "score the whole target vocabulary even if the model enables its shortlist");
  add("strict", po::bool_switch(), "invalid UTF-8 or NUL bytes are an error naming the line (default: replaced)");
  add("allow-nonfinite", po::bool_switch(), "load weights with NaN or Inf values (refused by default)");
  add_search_flags(options);
  add_job_flags(options);
  add_plugin_options(options);
}

fs::path model_pipeline(const fs::path& model_dir) {
  const auto yaml = model_dir / "pipeline.yaml";
  if (!fs::is_regular_file(yaml)) throw IoError(model_dir.string() + ": not a model folder (no pipeline.yaml)");
  return yaml;
}

namespace {

struct Identity {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
};

Identity identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {true, st.st_dev, st.st_ino};
}

// The input, checked before any output is touched: readable, not a directory, and not
// one of the outputs (the same file under another name included).
void check_input(const std::string& in, const std::vector<std::string>& outputs) {
  if (in == "-") return;
  std::error_code ec;
  if (!fs::exists(in, ec)) throw IoError(in + ": no such file");
  if (fs::is_directory(in, ec)) throw IoError(in + ": is a directory, not a file of records");
  if (::access(in.c_str(), R_OK) != 0) throw IoError(in + ": cannot open for reading");
  const Identity i = identity(in);
  for (const auto& out : outputs) {
    const Identity o = identity(out);
    if (o.exists && o.dev == i.dev && o.ino == i.ino) {
      throw IoError("the output " + out + " is the input " + in + ": writing it would destroy the input");
    }
  }
}

std::string fingerprint(const fs::path& pipeline, const po::variables_map& args,
                        const RecordListing* listing) {
  std::ostringstream f;
  f << fs::weakly_canonical(pipeline).string() << '\n';
  const std::string in = args["input"].as<std::string>();
  if (listing) {
    f << listing->name << ' ' << std::hash<std::string>{}(listing->records) << '\n';
  } else if (in != "-") {
    std::error_code ec;
    f << fs::weakly_canonical(in).string() << ' ' << fs::file_size(in, ec) << ' '
      << fs::last_write_time(in, ec).time_since_epoch().count() << '\n';
  }
  f << job_flags_fingerprint(args);
  return f.str();
}

// -o, --attention and --confidence name three different files (two writers of one file
// would interleave their lines).
void check_distinct_outputs(const po::variables_map& args, const std::string& out_name) {
  std::vector<std::pair<std::string, fs::path>> named;
  if (out_name != "-") named.emplace_back("--output", fs::weakly_canonical(out_name));
  for (const char* flag : {"attention", "confidence"}) {
    if (!args.count(flag)) continue;
    const fs::path path = fs::weakly_canonical(args[flag].as<std::string>());
    for (const auto& [other, other_path] : named) {
      if (path == other_path) throw FlagError(std::string("--") + flag, "names the same file as " + other);
    }
    named.emplace_back(std::string("--") + flag, path);
  }
}

// --shortlist: true, --no-shortlist: false, neither: the pipeline decides.
std::optional<bool> shortlist_flag(const po::variables_map& args) {
  const bool on = args.count("shortlist") && args["shortlist"].as<bool>();
  const bool off = args.count("no-shortlist") && args["no-shortlist"].as<bool>();
  if (on && off) throw FlagError("--shortlist", "cannot be given with --no-shortlist");
  if (on || off) return on;
  return std::nullopt;
}

void print_summary(const JobCounts& c, double seconds) {
  const std::uint64_t n = c.get("records");
  std::string line = "recur: " + std::to_string(n) + " " + c.noun + " (" + std::to_string(c.get("empty")) + " empty)";
  std::string tokens;  // only the counts the job keeps: an image job has no source tokens
  for (const char* key : {"source tokens", "target tokens"}) {
    if (!c.counts.count(key)) continue;
    tokens += (tokens.empty() ? "" : ", ") + std::to_string(c.get(key)) + " " + key;
  }
  if (!tokens.empty()) line += " | " + tokens;
  char rate[96];
  std::snprintf(rate, sizeof rate, " | %.1f s, %.1f %s/s", seconds, static_cast<double>(n) / std::max(seconds, 1e-9),
                c.noun.c_str());
  line += rate;
  line += " | " + std::to_string(c.warnings()) + " warnings";
  std::string parts;
  for (const auto& k : c.warning_keys) {
    if (c.get(k) > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(c.get(k)) + " " + k;
  }
  if (!parts.empty()) line += " (" + parts + ")";
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

void declare_model_job(CommandOptions& options) {
  auto add = options.named.add_options();
  add("model,m", po::value<std::string>()->required()->value_name("DIR"),
      "model folder (pipeline.yaml, model.safetensors, tokenizer files)");
  add("allow-external-files", po::bool_switch(),
      "let the model folder's pipeline.yaml name files outside the folder (refused by default)");
  add_batch_job_options(options.named);
}

int run_model_job(const po::variables_map& args) { return run_model_job(args, nullptr); }

int run_model_job(const po::variables_map& args, const RecordListing* listing) {
  PipelineOptions options;
  options.files_inside_folder = !args["allow-external-files"].as<bool>();
  return run_batch_job(model_pipeline(args["model"].as<std::string>()), args, options, listing);
}

int run_batch_job(const fs::path& pipeline_yaml, const po::variables_map& args, PipelineOptions options,
                  const RecordListing* listing) {
  apply_thread_flag(args);
  const std::optional<ops::Precision> precision = precision_flag(args);
  const std::string in_name = listing ? std::string("-") : args["input"].as<std::string>();
  const std::string out_name = args["output"].as<std::string>();
  const bool resume = args["resume"].as<bool>();
  if (resume && out_name == "-") throw FlagError("--resume", "needs an output file (-o FILE)");
  std::vector<std::string> outputs;
  if (out_name != "-") outputs.push_back(out_name);
  if (args.count("attention")) outputs.push_back(args["attention"].as<std::string>());
  if (args.count("confidence")) outputs.push_back(args["confidence"].as<std::string>());
  std::int64_t confidence_top = 0;
  if (args.count("confidence-top") && !args.count("confidence")) {
    throw FlagError("--confidence-top", "applies only with --confidence FILE.jsonl");
  }
  if (args.count("confidence")) {
    confidence_top = args.count("confidence-top") ? args["confidence-top"].as<std::int64_t>() : 5;
    if (confidence_top < 1 || confidence_top > 100) {
      throw FlagError("--confidence-top", "expected an integer in [1, 100], got " + std::to_string(confidence_top));
    }
  }
  const std::optional<bool> shortlist = shortlist_flag(args);
  check_distinct_outputs(args, out_name);
  check_input(in_name, outputs);

  PluginHost host = load_plugins(args);
  options.allow_nonfinite = args["allow-nonfinite"].as<bool>();
  Pipeline pipeline = Pipeline::load(pipeline_yaml, host.registry(), options);
  apply_precision(precision, pipeline);
  if (search::Options* so = pipeline.task().search_options()) {
    apply_search_flags(args, *so);
  } else {
    reject_search_flags(args, "the " + pipeline.task_name() + " task does not search");
  }
  const JobOptions job_options = job_options_from_flags(args, pipeline.job_options());
  JobRequest request;
  request.scores = args["scores"].as<bool>();
  request.strict = args["strict"].as<bool>();
  request.side_output = args.count("attention") > 0;
  request.confidence_top_k = confidence_top;
  request.json = args.count("json") > 0 && args["json"].as<bool>();
  if (in_name != "-") request.files_relative_to = fs::path(in_name).parent_path();
  request.shortlist = shortlist;
  std::unique_ptr<BatchJob> job;
  try {
    job = pipeline.task().make_job(pipeline, request);
  } catch (const RequestError& e) {
    throw FlagError("--" + e.setting(), e.message());
  }

  // Everything that can be checked has been: from here on the outputs are touched.
  std::ifstream in_file;
  std::istringstream listed;
  std::istream* in = &std::cin;
  if (listing) {
    listed.str(listing->records);
    in = &listed;
  } else if (in_name != "-") {
    in_file.open(in_name, std::ios::binary);
    if (!in_file) throw IoError(in_name + ": cannot open for reading");
    in = &in_file;
  }
  std::unique_ptr<JobOutput> output;
  JobSinks sinks;
  sinks.main = &std::cout;
  if (!outputs.empty()) {
    const std::vector<fs::path> paths(outputs.begin(), outputs.end());
    output = std::make_unique<JobOutput>(paths, fingerprint(pipeline_yaml, args, listing), resume);
    if (out_name != "-") {
      sinks.main = &output->stream(0);
      sinks.main_name = out_name;
    }
    // The side files follow the main one (when it is a file) in the order above.
    std::size_t next = out_name != "-" ? 1 : 0;
    if (request.side_output) {
      sinks.side = &output->stream(next);
      sinks.side_name = outputs[next++];
    }
    if (confidence_top > 0) {
      sinks.confidence = &output->stream(next);
      sinks.confidence_name = outputs[next++];
    }
  }
  data::LineReader reader(*in, listing ? listing->name : in_name == "-" ? "<stdin>" : in_name);
  if (args.count("paragraphs") > 0 && args["paragraphs"].as<bool>()) {
    reader.set_paragraphs(true);
    job->counts().noun = "paragraphs";
  }
  const std::uint64_t skipped = output ? reader.skip(output->records_done()) : 0;

  std::error_code no_size;  // a pipe or a device has none
  const auto bytes = listing ? listing->records.size() : in_name == "-" ? 0 : fs::file_size(in_name, no_size);
  const std::int64_t size = (in_name == "-" && !listing) || no_size ? -1 : static_cast<std::int64_t>(bytes);
  Progress progress(isatty(STDERR_FILENO) == 1 || count_of(args, "verbose") > 0, [&]() -> double {
    if (size <= 0) return -1.0;
    const auto pos = static_cast<std::int64_t>(listing ? listed.tellg() : in_file.tellg());
    return pos < 0 ? 1.0 : static_cast<double>(pos) / static_cast<double>(size);
  });
  RunStats stats = run_job(*job, reader, sinks, job_options, [&](std::uint64_t done) {
    if (output) output->checkpoint(skipped + done);
    progress.update(skipped + done);
  });
  progress.finish();
  if (output) output->commit();
  std::cout.flush();
  if (!std::cout) throw IoError("<stdout>: write error");
  print_summary(job->counts(), stats.seconds);
  return 0;
}

}  // namespace recur::cli
