// `recur report --attention att.jsonl --confidence conf.jsonl --training RUN ... -o report.html`: one
// self-contained HTML page (inline SVG, no script, no network) with the pictures of
// `recur plot`; hovering a cell or a point shows its value.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "command.h"
#include "commands/activations.h"
#include "commands/plot_flags.h"
#include "model_command.h"
#include "commands/viz_module.h"
#include "recur/core/error.h"
#include "recur/viz/html_report.h"
#include "recur/viz/plots.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("attention", po::value<std::string>()->value_name("FILE"),
      "attention JSONL of a text task (recur translate/summarize --attention)");
  add("confidence", po::value<std::string>()->value_name("FILE"),
      "confidence JSONL of a generating task (recur translate/summarize/caption/run --confidence)");
  add("image-attention", po::value<std::string>()->value_name("FILE"),
      "attention JSONL of captioning (recur caption --attention)");
  add("image-root", po::value<std::string>()->default_value(".")->value_name("DIR"),
      "the folder the image paths of --image-attention are relative to");
  add("training", po::value<std::vector<std::string>>()->composing()->value_name("RUN"),
      "a run folder or log CSV (repeatable: the runs are overlaid)");
  add("line", po::value<std::vector<std::int64_t>>()->composing()->value_name("N"),
      "the input lines whose attention and confidence to show (repeatable; default: the first "
      "--max-records)");
  add("max-records", po::value<int>()->default_value(3)->value_name("N"),
      "without --line: how many records of each attention or confidence file to show");
  add("title", po::value<std::string>()->default_value("recur report")->value_name("TEXT"),
      "the page's title");
  add("activations", po::value<std::string>()->value_name("TEXT"),
      "a text to run the language model -m over, its hidden units shown (with --units or --find)");
  add("units", po::value<std::string>()->value_name("U,U,..."), "--activations: the hidden units to show");
  add("layer", po::value<std::int64_t>()->value_name("L"), "--activations: the recurrent layer (default: the top one)");
  add("find", po::value<std::string>()->value_name("FEATURE"),
      "--activations: the units most correlated with quotes, position or brackets");
  add("top", po::value<std::int64_t>()->value_name("N"), "--activations --find: how many units (default 5)");
  add("max-tokens", po::value<std::int64_t>()->value_name("N"), "--activations: the first N tokens (default 400)");
  add("output,o", po::value<std::string>()->required()->value_name("FILE.html"), "the report");
  declare_model_options(options.named, false);
}

template <typename Record>
void keep_first(std::vector<Record>& records, int n) {
  if (records.size() > static_cast<std::size_t>(n)) records.resize(static_cast<std::size_t>(n));
}

std::string text_of(const std::vector<std::string>& pieces) {
  std::string text;
  for (const std::string& p : pieces) text += (text.empty() ? "" : " ") + p;
  return text;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::path partial = path;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw IoError("cannot write " + partial.string());
  }
  fs::rename(partial, path);
}

int run(const po::variables_map& args) {
  const bool attention = args.count("attention"), images = args.count("image-attention"),
             training = args.count("training"), confidence = args.count("confidence"),
             activations = args.count("activations");
  if (!attention && !images && !training && !confidence && !activations) {
    throw FlagError("--attention", "nothing to report: give --attention, --image-attention, --confidence, "
                                   "--activations or --training");
  }
  PlotFlags hidden;  // --activations: what `recur plot activations` would draw
  if (activations) {
    if (!args.count("model")) throw FlagError("--model", "--activations needs a language model folder (-m DIR)");
    hidden.kind = "activations";
    hidden.input = args["activations"].as<std::string>();
    hidden.activations = activation_flags(args);
  } else {
    for (const char* flag : {"model", "units", "layer", "find", "top", "max-tokens"}) {
      if (args.count(flag)) throw FlagError(std::string("--") + flag, "applies only with --activations TEXT");
    }
  }
  const int max_records = args["max-records"].as<int>();
  if (max_records < 1) throw FlagError("--max-records", "must be at least 1");
  const std::vector<std::uint64_t> lines = line_numbers(args);
  if (!lines.empty() && !attention && !images && !confidence) {
    throw FlagError("--line", "selects records: give --attention, --image-attention or --confidence");
  }
  const fs::path output = args["output"].as<std::string>();

  std::vector<viz::ReportPanel> panels;
  if (training) {
    std::vector<viz::TrainingRun> runs;
    std::string names;
    for (const std::string& path : args["training"].as<std::vector<std::string>>()) {
      runs.push_back(viz::read_training_run(path));
      names += (names.empty() ? "" : ", ") + path;
    }
    panels.push_back({"Training curves", "from " + names, viz::training_figure(runs)});
  }
  if (attention) {
    auto records = viz::read_text_attention(args["attention"].as<std::string>(), lines);
    if (lines.empty()) keep_first(records, max_records);
    for (const auto& r : records) {
      panels.push_back({"Attention, line " + std::to_string(r.line),
                        text_of(r.source) + "  \u2192  " + text_of(r.target),
                        viz::attention_figure(r)});
    }
  }
  if (confidence) {
    auto records = viz::read_confidence(args["confidence"].as<std::string>(), lines);
    if (lines.empty()) keep_first(records, max_records);
    for (const auto& r : records) {
      panels.push_back({"Confidence, line " + std::to_string(r.line),
                        "the top " + std::to_string(r.top_k.empty() ? 0 : r.top_k.front().size()) +
                            " next pieces at each step: " + text_of(r.tokens),
                        viz::confidence_figure(r)});
    }
  }
  if (images) {
    auto records = viz::read_image_attention(args["image-attention"].as<std::string>(), lines);
    if (lines.empty()) keep_first(records, max_records);
    const fs::path root = args["image-root"].as<std::string>();
    for (const auto& r : records) {
      panels.push_back({"Image attention, line " + std::to_string(r.line), r.path,
                        viz::image_attention_figure(r, root)});
    }
  }
  if (activations) {
    panels.push_back({"Hidden units", args["model"].as<std::string>() + " over " + hidden.input.string(),
                      activations_figure(hidden, args)});
  }
  write_file(output, viz::html_report(args["title"].as<std::string>(), panels));
  std::cout << output.string() << "\n";
  return 0;
}

}  // namespace

Command report_command() {
  return {"report", kReportSummary,
          "[--attention FILE] [--confidence FILE] [--image-attention FILE [--image-root DIR]] [--training RUN]... "
          "[--activations TEXT -m MODEL (--units U,... | --find FEATURE)] "
          "[--line N]... -o FILE.html",
          &declare, &run};
}

}  // namespace recur::cli
