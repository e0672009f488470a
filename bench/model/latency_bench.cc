// Single-sentence latency of recur as a library: load the model folder once, then
// translate each input line on its own (batch 1) through the task's batch job and the
// runner, the same calls `recur translate` makes: tokenize, encode, search, detokenize. A process per
// sentence would time process start and model loading; a stream with many lines would
// batch them. After `--warmup` untimed sentences, every line is timed.
//
//   recur_latency_bench --model DIR --input FILE [--threads N] [--beam 1] [--warmup 3]
//                       [--precision f32|bf16]   (default: the pipeline's, as recur translate)
// Prints one JSON object: load seconds, the precision used and the per-line latencies in
// milliseconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "recur/core/error.h"
#include "recur/ops/precision.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/runner.h"
#include "recur/plugin/host.h"

namespace recur::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::map<std::string, std::string> parse_args(int argc, char** argv) {
  std::map<std::string, std::string> a{{"threads", "0"}, {"beam", "1"}, {"warmup", "3"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0) throw Error("unexpected argument " + key);
    a[key.substr(2)] = argv[i + 1];
  }
  if (!a.count("model") || !a.count("input")) {
    throw Error("usage: recur_latency_bench --model DIR --input FILE [--threads N] [--beam K] [--warmup N] "
                "[--precision f32|bf16]");
  }
  return a;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open for reading");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int run(const std::map<std::string, std::string>& a) {
  if (std::stoi(a.at("threads")) > 0) ops::set_num_threads(std::stoi(a.at("threads")));
  const auto lines = read_lines(a.at("input"));
  auto start = Clock::now();
  PluginHost host;
  host.load_search_path({});
  Pipeline p = Pipeline::load(std::filesystem::path(a.at("model")) / "pipeline.yaml", host.registry());
  const double load = since(start);
  std::optional<ops::Precision> precision = p.precision();
  if (a.count("precision")) precision = ops::precision_of(a.at("precision"));
  if (!precision) throw Error("--precision: expected f32 or bf16, got '" + a.at("precision") + "'");
  const ops::Precision used = ops::set_inference_precision(*precision);
  p.search_options().beam_size = std::stoll(a.at("beam"));
  p.search_options().n_best = 1;

  std::unique_ptr<BatchJob> job = p.task().make_job(p, JobRequest{});
  JobOptions o = p.job_options();
  o.workers = 1;
  auto translate = [&](const std::string& line) {
    std::istringstream in(line + "\n");
    std::ostringstream out;
    data::LineReader reader(in, "<line>");
    run_job(*job, reader, main_sink(out, "<out>"), o);
    return out.str();
  };
  for (int w = 0; w < std::stoi(a.at("warmup")) && !lines.empty(); ++w) translate(lines.front());
  std::vector<double> ms;
  for (const std::string& line : lines) {
    start = Clock::now();
    translate(line);
    ms.push_back(1e3 * since(start));
  }
  std::printf("{\"threads\": %d, \"precision\": \"%s\", \"load_seconds\": %.4f, \"latency_ms\": [",
              ops::num_threads(), std::string(ops::precision_name(used)).c_str(), load);
  for (std::size_t i = 0; i < ms.size(); ++i) std::printf("%s%.3f", i ? ", " : "", ms[i]);
  std::printf("]}\n");
  return 0;
}

}  // namespace
}  // namespace recur::bench

int main(int argc, char** argv) {
  try {
    return recur::bench::run(recur::bench::parse_args(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recur_latency_bench: %s\n", e.what());
    return 1;
  }
}
