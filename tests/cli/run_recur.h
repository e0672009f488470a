// Runs the built `recur` binary (RECUR_BINARY) as a child process and captures its exit
// code, standard output and standard error.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace recur::testing {

struct RunResult {
  int code = -1;  // exit status, or -1 if the child did not exit normally
  bool killed = false;  // ended by RunOptions::kill_after
  std::string out;
  std::string err;
};

struct RunOptions {
  // Added to the environment, "NAME=value". RECUR_PLUGIN_PATH and LD_LIBRARY_PATH of the
  // test's own environment are never passed on.
  std::vector<std::string> env;
  // Standard output goes here instead of being captured (e.g. /dev/full).
  std::filesystem::path stdout_file;
  // Standard input is read from this file (default: the test's own standard input).
  std::filesystem::path stdin_file;
  // Sends SIGKILL to the child if it still runs after this long (kill -9 tests).
  std::optional<std::chrono::milliseconds> kill_after;
};

RunResult run_recur(const std::vector<std::string>& args, const RunOptions& options = {});

// Starts `recur args...` (standard error to /dev/null) and kills it with SIGKILL once its
// progress journal says some of `total` records but not all are done; false if it
// finished first (kill -9 / --resume tests).
bool run_recur_and_kill(const std::vector<std::string>& args, const std::filesystem::path& journal,
                        std::uint64_t total);

// A fresh, empty directory for one test, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace recur::testing
