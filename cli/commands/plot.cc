// `recur plot KIND ...`: pictures of what a model did, as PNG or SVG.
//   recur plot attention --input att.jsonl --line N [--line M]... -o out.png|out.svg
//   recur plot attention --input att.jsonl --all -o DIR [--format png|svg]
//   recur plot image-attention --input cap_att.jsonl --image-root DIR --line N -o out.png
//   recur plot confidence --input conf.jsonl (--line N... | --all) -o out.png
//   recur plot activations -m LM_DIR --input TEXT (--units 3,17 | --find quotes) [--layer L] -o out.png
//   recur plot training RUN_DIR_OR_CSV... -o out.png
//   recur plot forecast --input FORECAST.csv [--series SERIES.csv] [--step K] -o out.png
#include <filesystem>
#include <iostream>

#include "command.h"
#include "commands/activations.h"
#include "commands/plot_flags.h"
#include "model_command.h"
#include "commands/viz_module.h"
#include "recur/viz/forecast_plot.h"
#include "recur/viz/plots.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("kind", po::value<std::string>()->required()->value_name("KIND"),
      "attention (any text task's --attention JSONL), image-attention (captioning's "
      "--attention JSONL), confidence (a generating task's --confidence JSONL), activations "
      "(a language model's hidden units over a text), training (run folders or their "
      "train_log.csv / valid_log.csv) or forecast (a CSV of recur forecast: past the end, "
      "after --series; or --backtest windows)");
  add("runs", po::value<std::vector<std::string>>()->composing()->value_name("RUN"),
      "training: run folders or log CSVs, overlaid");
  add("input,i", po::value<std::string>()->value_name("FILE"),
      "the attention or confidence JSONL, the forecast CSV, or the text of activations");
  add("series", po::value<std::string>()->value_name("FILE"),
      "forecast past the end: the series it continues (its last rows are drawn before it)");
  add("step", po::value<std::int64_t>()->value_name("K"),
      "forecast --backtest windows: draw the forecasts made K steps ahead (default 1)");
  add("history", po::value<std::int64_t>()->value_name("N"),
      "forecast past the end: rows of the series drawn (default 4 x the forecast's, at least 24)");
  add("line", po::value<std::vector<std::int64_t>>()->composing()->value_name("N"),
      "the input line whose record to draw (repeatable; several write OUT's stem-N files)");
  add("all", po::bool_switch(), "every record of --input, one file each into the folder -o");
  add("output,o", po::value<std::string>()->required()->value_name("OUT"),
      "the picture (.png or .svg), or a folder with --all");
  add("format", po::value<std::string>()->value_name("png|svg"),
      "with --all: the pictures' format (default png)");
  add("image-root", po::value<std::string>()->value_name("DIR"),
      "image-attention: the folder the records' image paths are relative to (default .)");
  add("units", po::value<std::string>()->value_name("U,U,..."),
      "activations: the hidden units to show (e.g. 3,17,42)");
  add("layer", po::value<std::int64_t>()->value_name("L"), "activations: the recurrent layer (default: the top one)");
  add("find", po::value<std::string>()->value_name("FEATURE"),
      "activations: show the units whose activation correlates most with quotes (inside double "
      "quotes), position (in the line) or brackets (inside parentheses)");
  add("top", po::value<std::int64_t>()->value_name("N"), "activations --find: how many units (default 5)");
  add("max-tokens", po::value<std::int64_t>()->value_name("N"),
      "activations: the first N tokens of the text (default 400)");
  declare_model_options(options.named, false);
  options.positional.add("kind", 1).add("runs", -1);
}

// One picture per record: `make` draws record i, `output(line)` names its file.
template <typename Record, typename Make>
int plot_records(const std::vector<Record>& records, const PlotOutputs& outputs, Make make) {
  if (outputs.folder) fs::create_directories(outputs.path);
  for (const Record& record : records) {
    const fs::path out = outputs.file_for(record.line, records.size());
    viz::save(make(record), out);
    std::cout << out.string() << "\n";
  }
  return 0;
}

int run(const po::variables_map& args) {
  const PlotFlags flags = check_plot_flags(args);
  if (flags.kind == "training") {
    std::vector<viz::TrainingRun> runs;
    for (const std::string& path : flags.runs) runs.push_back(viz::read_training_run(path));
    viz::save(viz::training_figure(runs), flags.outputs.path);
    std::cout << flags.outputs.path.string() << "\n";
    return 0;
  }
  if (flags.kind == "forecast") {
    viz::save(viz::forecast_figure(flags.input, flags.series, flags.step, flags.history), flags.outputs.path);
    std::cout << flags.outputs.path.string() << "\n";
    return 0;
  }
  if (flags.kind == "activations") {
    viz::save(activations_figure(flags, args), flags.outputs.path);
    std::cout << flags.outputs.path.string() << "\n";
    return 0;
  }
  if (flags.kind == "confidence") {
    return plot_records(viz::read_confidence(flags.input, flags.lines), flags.outputs,
                        [](const viz::TokenConfidence& r) { return viz::confidence_figure(r); });
  }
  if (flags.kind == "attention") {
    return plot_records(viz::read_text_attention(flags.input, flags.lines), flags.outputs,
                        [](const viz::TextAttention& r) { return viz::attention_figure(r); });
  }
  const fs::path root = flags.image_root;
  return plot_records(
      viz::read_image_attention(flags.input, flags.lines), flags.outputs,
      [&](const viz::ImageAttention& r) { return viz::image_attention_figure(r, root); });
}

}  // namespace

Command plot_command() {
  return {"plot", kPlotSummary,
          "attention --input FILE (--line N... | --all) -o OUT\n"
          "       recur plot image-attention --input FILE [--image-root DIR] (--line N... | --all) "
          "-o OUT\n"
          "       recur plot confidence --input FILE (--line N... | --all) -o OUT\n"
          "       recur plot activations -m MODEL --input TEXT (--units U,U,... | --find FEATURE [--top N]) "
          "[--layer L] -o OUT\n"
          "       recur plot training RUN_DIR_OR_CSV... -o OUT\n"
          "       recur plot forecast --input FORECAST.csv [--series SERIES.csv] [--step K] -o OUT",
          &declare, &run};
}

}  // namespace recur::cli
