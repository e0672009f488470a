// Private to the plugin layer. Plugin code runs in-process: a plugin crashing in its
// constructors or its register function takes recur down with it. While a FatalSignalNote
// lives (around dlopen and register), a fatal signal (SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
// SIGILL) first writes one line to stderr,
//   recur: fatal signal 11 while loading plugin /path/libx.so
// with write() only (async-signal-safe), then the handler that was there before (the
// default action, or a sanitizer's) is put back and the signal raised again, so the exit
// status and core dump are those of the signal. Not reentrant: one
// note at a time (plugins load on one thread).
#pragma once

#include <filesystem>

namespace recur {

class FatalSignalNote {
 public:
  explicit FatalSignalNote(const std::filesystem::path& file);
  ~FatalSignalNote();
  FatalSignalNote(const FatalSignalNote&) = delete;
  FatalSignalNote& operator=(const FatalSignalNote&) = delete;
};

}  // namespace recur
