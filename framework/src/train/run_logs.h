// Private to src/train: train_log.csv and valid_log.csv beside the checkpoints.
//
// Consistency at any kill: rows are appended (and flushed) as training goes, but only
// last.safetensors commits a step. A run starting at step S (0 fresh, or the step of the
// checkpoint it resumes) first rewrites both logs, atomically, keeping the header and
// the complete rows of steps <= S; rows a killed run wrote after its last checkpoint are
// written again, identically, by the resumed run: never lost, never twice.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace recur::train {

class RunLogs {
 public:
  explicit RunLogs(std::filesystem::path dir);

  // Drops rows after `step` (and a torn last line), then opens both logs for appending;
  // writes train_log.csv's header if it has none.
  void start_at(std::int64_t step);
  // One row each, without the newline; flushed at once.
  void train_row(const std::string& row);
  void valid_row(const std::string& row);

 private:
  std::filesystem::path dir_;
  std::ofstream train_;
  std::ofstream valid_;
};

// The lines of `text` to keep when a run starts at `step`: a header line (one not
// starting with a digit) and every complete row whose first field is a step <= `step`.
std::string rows_up_to(const std::string& text, std::int64_t step);

}  // namespace recur::train
