// The viz module's side of viz_module.h: its one exported symbol.
#include "commands/viz_module.h"

#include <cstring>

namespace recur::cli {
Command plot_command();
Command report_command();
}  // namespace recur::cli

extern "C" __attribute__((visibility("default"))) const recur::cli::Command* recur_viz_command(
    const char* name) {
  static const recur::cli::Command plot = recur::cli::plot_command();
  static const recur::cli::Command report = recur::cli::report_command();
  if (std::strcmp(name, "plot") == 0) return &plot;
  if (std::strcmp(name, "report") == 0) return &report;
  return nullptr;
}
