#include "recur/core/job_guard.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace recur {

namespace {

std::atomic<int> g_depth{0};
std::string g_message;  // of the outermost guard; read only by the exit handler
std::mutex g_mutex;

void on_exit_during_job() {
  if (g_depth.load() == 0) return;
  ssize_t ignored = ::write(STDERR_FILENO, g_message.data(), g_message.size());
  (void)ignored;
  ::_exit(JobGuard::kExitStatus);
}

}  // namespace

JobGuard::JobGuard(std::string doing) {
  static std::once_flag registered;
  std::call_once(registered, [] {
    std::atexit(&on_exit_during_job);
    std::at_quick_exit(&on_exit_during_job);
  });
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_depth.load() == 0) {
    g_message = "recur: error: the process was told to exit while " + doing +
                " (exit() called by a plugin?)\n";
  }
  ++g_depth;
}

JobGuard::~JobGuard() { --g_depth; }

bool JobGuard::active() { return g_depth.load() > 0; }

}  // namespace recur
