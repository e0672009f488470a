// A progress line on stderr for batch jobs: lines done, lines/s and, when the input size
// is known, percent and ETA. Shown when stderr is a terminal, or with -v.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace recur::cli {

class Progress {
 public:
  // `fraction_done` returns the share of the input consumed (or a negative value if the
  // size is unknown, e.g. a pipe).
  Progress(bool enabled, std::function<double()> fraction_done);
  void update(std::uint64_t lines_done);
  void finish();

 private:
  bool enabled_;
  bool tty_;
  std::function<double()> fraction_done_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace recur::cli
