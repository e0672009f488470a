#include "commands/plot_flags.h"

#include <sstream>

#include "recur/viz/figure.h"
#include "recur/viz/text_features.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void refuse(const po::variables_map& args, const char* flag, const std::string& kind) {
  const bool given = args.count(flag) && !args[flag].defaulted() &&
                     !(std::string(flag) == "all" && !args["all"].as<bool>());
  if (given) {
    throw FlagError(std::string("--") + flag, "does not apply to 'recur plot " + kind + "'");
  }
}

// "3,17,42" -> {3, 17, 42}: non-negative, no repeats.
std::vector<std::int64_t> unit_list(const std::string& text) {
  std::vector<std::int64_t> units;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    long long n = -1;
    try {
      n = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || n < 0) {
      throw FlagError("--units", "expected unit numbers >= 0 separated by commas (e.g. 3,17,42), got '" + text + "'");
    }
    if (std::find(units.begin(), units.end(), n) != units.end()) {
      throw FlagError("--units", "unit " + std::to_string(n) + " is given twice");
    }
    units.push_back(n);
  }
  if (units.empty()) throw FlagError("--units", "expected at least one unit number");
  return units;
}

}  // namespace

ActivationFlags activation_flags(const po::variables_map& args) {
  ActivationFlags a;
  const bool units = args.count("units"), find = args.count("find");
  if (units == find) throw FlagError("--units", "give either --units 3,17,... or --find FEATURE");
  if (units) a.units = unit_list(args["units"].as<std::string>());
  if (find) {
    a.find = args["find"].as<std::string>();
    if (!viz::text_feature(a.find)) {
      throw FlagError("--find", "unknown feature '" + a.find + "' (expected quotes, position or brackets)");
    }
  }
  if (args.count("top")) {
    if (!find) throw FlagError("--top", "applies only with --find");
    a.top = args["top"].as<std::int64_t>();
    if (a.top < 1 || a.top > 64) throw FlagError("--top", "expected an integer in [1, 64]");
  }
  if (args.count("layer")) {
    a.layer = args["layer"].as<std::int64_t>();
    if (a.layer < 0) throw FlagError("--layer", "expected a layer number >= 0, got " + std::to_string(a.layer));
  }
  if (args.count("max-tokens")) {
    a.max_tokens = args["max-tokens"].as<std::int64_t>();
    if (a.max_tokens < 1 || a.max_tokens > 5000) throw FlagError("--max-tokens", "expected an integer in [1, 5000]");
  }
  return a;
}

fs::path PlotOutputs::file_for(std::uint64_t line, std::size_t count) const {
  if (folder) return path / ("line-" + std::to_string(line) + "." + format);
  if (count <= 1) return path;
  return path.parent_path() /
         (path.stem().string() + "-" + std::to_string(line) + path.extension().string());
}

std::vector<std::uint64_t> line_numbers(const po::variables_map& args) {
  std::vector<std::uint64_t> lines;
  if (!args.count("line")) return lines;
  for (std::int64_t n : args["line"].as<std::vector<std::int64_t>>()) {
    if (n < 0)
      throw FlagError("--line", "a line number is not negative (got " + std::to_string(n) + ")");
    lines.push_back(static_cast<std::uint64_t>(n));
  }
  return lines;
}

PlotFlags check_plot_flags(const po::variables_map& args) {
  PlotFlags f;
  f.kind = args["kind"].as<std::string>();
  if (f.kind != "attention" && f.kind != "image-attention" && f.kind != "confidence" &&
      f.kind != "activations" && f.kind != "training" && f.kind != "forecast") {
    throw FlagError("KIND", "unknown plot '" + f.kind +
                                "' (expected attention, image-attention, confidence, activations, training or "
                                "forecast)");
  }
  if (f.kind != "forecast") {
    for (const char* flag : {"series", "step", "history"}) refuse(args, flag, f.kind);
  }
  if (f.kind != "activations") {
    for (const char* flag : {"model", "units", "layer", "find", "top", "max-tokens"}) refuse(args, flag, f.kind);
  }
  f.outputs.path = args["output"].as<std::string>();
  if (args.count("runs")) f.runs = args["runs"].as<std::vector<std::string>>();
  if (f.kind == "activations") {
    for (const char* flag : {"line", "all", "format", "image-root"}) refuse(args, flag, f.kind);
    if (!f.runs.empty()) {
      throw FlagError("--input", "'recur plot activations' reads --input FILE, not '" + f.runs.front() + "'");
    }
    if (!args.count("model")) {
      throw FlagError("--model", "required by 'recur plot activations' (a language model folder)");
    }
    if (!args.count("input")) {
      throw FlagError("--input", "required by 'recur plot activations' (the text to run it over)");
    }
    f.input = args["input"].as<std::string>();
    f.activations = activation_flags(args);
  } else if (f.kind == "forecast") {
    for (const char* flag : {"line", "all", "format", "image-root"}) refuse(args, flag, f.kind);
    if (!f.runs.empty()) throw FlagError("--input", "'recur plot forecast' reads --input FILE, not '" + f.runs.front() + "'");
    if (!args.count("input")) throw FlagError("--input", "required by 'recur plot forecast' (a CSV of recur forecast)");
    f.input = args["input"].as<std::string>();
    if (args.count("series")) f.series = args["series"].as<std::string>();
    if (args.count("step")) f.step = args["step"].as<std::int64_t>();
    if (f.step < 1) throw FlagError("--step", "expected a step >= 1, got " + std::to_string(f.step));
    if (args.count("history")) f.history = args["history"].as<std::int64_t>();
    if (f.history < 0) throw FlagError("--history", "expected a number of rows >= 0");
  } else if (f.kind == "training") {
    for (const char* flag : {"input", "line", "all", "format", "image-root"})
      refuse(args, flag, f.kind);
    if (f.runs.empty())
      throw FlagError("RUN", "'recur plot training' needs a run folder or log CSV");
  } else {
    if (!f.runs.empty()) {
      throw FlagError("--input", "'recur plot " + f.kind + "' reads --input FILE, not '" +
                                     f.runs.front() + "'");
    }
    if (!args.count("input")) throw FlagError("--input", "required by 'recur plot " + f.kind + "'");
    f.input = args["input"].as<std::string>();
    f.lines = line_numbers(args);
    const bool all = args["all"].as<bool>();
    if (all && !f.lines.empty()) throw FlagError("--all", "give either --line or --all, not both");
    if (!all && f.lines.empty()) throw FlagError("--line", "which line? give --line N or --all");
    if (f.kind != "image-attention") refuse(args, "image-root", f.kind);
    if (args.count("image-root")) f.image_root = args["image-root"].as<std::string>();
    f.outputs.folder = all;
  }
  if (args.count("format")) {
    if (!f.outputs.folder)
      throw FlagError("--format", "only with --all (otherwise -o's extension says it)");
    f.outputs.format = args["format"].as<std::string>();
    if (f.outputs.format != "png" && f.outputs.format != "svg") {
      throw FlagError("--format", "expected png or svg, got '" + f.outputs.format + "'");
    }
  }
  if (!f.outputs.folder) {
    try {
      viz::format_of(f.outputs.path);
    } catch (const std::exception&) {
      throw FlagError("--output",
                      "'" + f.outputs.path.string() + "': expected a .png or .svg file");
    }
  }
  return f;
}

}  // namespace recur::cli
