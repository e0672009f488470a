// Plugins run in-process: a plugin that calls exit(0) (or quick_exit) in the middle of a
// job would end recur with status 0, and a failed job would look like success. While a
// JobGuard lives, such an exit writes one line to stderr,
//   recur: error: the process was told to exit while translating (exit() called by a plugin?)
// and ends the process with status 70 (EX_SOFTWARE) instead. Outside a guard, exit() is
// untouched: the guard does not change how a program ends normally.
//
//   int main() { ... { recur::JobGuard job("translating"); code = run(); } return code; }
//
// The atexit / at_quick_exit handlers are registered once, when the first guard is made
// (registered late, they run before most other exit handlers). Guards may nest.
#pragma once

#include <string>

namespace recur {

class JobGuard {
 public:
  // `doing` completes "while ...", e.g. "running 'recur translate'".
  explicit JobGuard(std::string doing);
  ~JobGuard();
  JobGuard(const JobGuard&) = delete;
  JobGuard& operator=(const JobGuard&) = delete;

  // True while a guard lives.
  static bool active();

  static constexpr int kExitStatus = 70;
};

}  // namespace recur
