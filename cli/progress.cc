#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace recur::cli {

Progress::Progress(bool enabled, std::function<double()> fraction_done)
    : enabled_(enabled),
      tty_(isatty(STDERR_FILENO) == 1),
      fraction_done_(std::move(fraction_done)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(std::uint64_t lines) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // In a terminal redraw at most 5 times a second; in a log, once every 10 s.
  const double min_gap = tty_ ? 0.2 : 10.0;
  if (std::chrono::duration<double>(now - last_).count() < min_gap) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = static_cast<double>(lines) / std::max(secs, 1e-9);
  const double f = fraction_done_ ? fraction_done_() : -1.0;
  std::fprintf(stderr, "%s%llu lines | %.1f lines/s", tty_ ? "\r\033[K" : "",
               static_cast<unsigned long long>(lines), rate);
  if (f > 0 && f <= 1) {
    std::fprintf(stderr, " | %.1f%% | ETA %.0f s", 100.0 * f, secs * (1.0 - f) / f);
  }
  std::fputs(tty_ ? "" : "\n", stderr);
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled_ && tty_) std::fputs("\r\033[K", stderr);
}

}  // namespace recur::cli
