// The flags of `recur plot`, checked against its KIND: a flag that does not fit is a usage
// error naming it (exit 2), found before any file is read or written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "command.h"

namespace recur::cli {

// Where pictures go: one file, a file per line beside it (OUT's stem-N), or a folder.
struct PlotOutputs {
  std::filesystem::path path;
  bool folder = false;  // --all: path is a folder of line-N.<format>
  std::string format = "png";

  std::filesystem::path file_for(std::uint64_t line, std::size_t count) const;
};

// `recur plot activations`: which units of which layer, or the units to find.
struct ActivationFlags {
  std::vector<std::int64_t> units;  // --units 3,17,42 (checked against the model later)
  std::int64_t layer = -1;          // --layer L; -1: the top layer
  std::string find;                 // --find quotes|position|brackets (checked here)
  std::int64_t top = 5;             // --top N units with --find
  std::int64_t max_tokens = 400;    // --max-tokens N: the text is cut after N tokens
};

struct PlotFlags {
  std::string kind;  // attention, image-attention, confidence, activations, training, forecast
  std::vector<std::string> runs;
  std::filesystem::path input;
  std::vector<std::uint64_t> lines;  // empty with --all
  std::filesystem::path image_root = ".";
  std::filesystem::path series;  // forecast: the series a forecast past the end continues
  std::int64_t step = 1;         // forecast: which step of the backtest windows
  std::int64_t history = 0;      // forecast: rows of the series drawn (0: 4 x the forecast's, at least 24)
  ActivationFlags activations;
  PlotOutputs outputs;
};

PlotFlags check_plot_flags(const po::variables_map& args);

// --units, --layer, --find, --top, --max-tokens of activations (shared with `recur
// report --activations`): usage errors naming the flag.
ActivationFlags activation_flags(const po::variables_map& args);

// --line values: non-negative (shared with `recur report`).
std::vector<std::uint64_t> line_numbers(const po::variables_map& args);

}  // namespace recur::cli
