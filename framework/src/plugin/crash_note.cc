#include "crash_note.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace recur {

namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
constexpr std::size_t kCount = sizeof kSignals / sizeof kSignals[0];

// Prepared before the handlers are installed: the handler only copies bytes.
char g_file[4096];
std::size_t g_file_size = 0;
struct sigaction g_previous[kCount];

void write_all(const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void on_fatal_signal(int sig) {
  char number[12];
  std::size_t len = 0;
  char digits[12];
  for (int v = sig; v > 0 || len == 0; v /= 10) digits[len++] = static_cast<char>('0' + v % 10);
  for (std::size_t i = 0; i < len; ++i) number[i] = digits[len - 1 - i];
  static const char kHead[] = "recur: fatal signal ";
  static const char kMiddle[] = " while loading plugin ";
  write_all(kHead, sizeof kHead - 1);
  write_all(number, len);
  write_all(kMiddle, sizeof kMiddle - 1);
  write_all(g_file, g_file_size);
  write_all("\n", 1);
  // Back to the handler before ours (the default action, or a sanitizer's report), never
  // to "ignore": the signal then ends the process as it would have without us.
  for (std::size_t i = 0; i < kCount; ++i) {
    if (kSignals[i] != sig) continue;
    struct sigaction previous = g_previous[i];
    if (previous.sa_handler == SIG_IGN) previous.sa_handler = SIG_DFL;
    ::sigaction(sig, &previous, nullptr);
  }
  ::raise(sig);
}

}  // namespace

FatalSignalNote::FatalSignalNote(const std::filesystem::path& file) {
  const std::string name = file.string();
  g_file_size = std::min(name.size(), sizeof g_file);
  std::memcpy(g_file, name.data(), g_file_size);
  struct sigaction action {};
  action.sa_handler = &on_fatal_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_NODEFER;
  for (std::size_t i = 0; i < kCount; ++i) ::sigaction(kSignals[i], &action, &g_previous[i]);
}

FatalSignalNote::~FatalSignalNote() {
  for (std::size_t i = 0; i < kCount; ++i) ::sigaction(kSignals[i], &g_previous[i], nullptr);
}

}  // namespace recur
