// One logger for all of recur (spdlog, to stderr). Quiet by default: warnings and errors
// only; `-v` on the command line raises it to info, `-vv` to debug.
#pragma once

#include <spdlog/spdlog.h>

namespace recur {

// The process-wide logger "recur". Plugins log through it too.
spdlog::logger& log();

// 0 = warnings and errors, 1 = info, 2 or more = debug.
void set_verbosity(int level);

}  // namespace recur
