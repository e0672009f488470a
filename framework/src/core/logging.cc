#include "recur/core/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace recur {

spdlog::logger& log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("recur");
    l->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v");
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return *logger;
}

void set_verbosity(int level) {
  log().set_level(level <= 0 ? spdlog::level::warn
                  : level == 1 ? spdlog::level::info
                               : spdlog::level::debug);
}

}  // namespace recur
