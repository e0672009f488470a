// The executable's side of the viz module (viz_module.h).
#include "commands/viz_module.h"

#include <dlfcn.h>

#include <string>

#include "recur/core/error.h"
#include "recur/plugin/host.h"

namespace recur::cli {

namespace {

using Entry = const Command* (*)(const char*);

Entry load_entry() {
  const auto file = builtin_plugin_dir().parent_path() / "librecur_viz_commands.so";
  // Never closed: the commands' code stays mapped until exit.
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw Error(file.string() + ": cannot load the plot commands: " + dlerror());
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "recur_viz_command"));
  if (!entry) throw Error(file.string() + ": no recur_viz_command entry point");
  return entry;
}

template <const char* kName>
const Command& load() {
  static const Entry entry = load_entry();
  const Command* command = entry(kName);
  if (!command) throw Error(std::string("the viz module has no command '") + kName + "'");
  return *command;
}

constexpr char kPlot[] = "plot";
constexpr char kReport[] = "report";

}  // namespace

Command plot_stand_in() {
  return {kPlot, kPlotSummary, "...", nullptr, nullptr, &load<kPlot>};
}

Command report_stand_in() {
  return {kReport, kReportSummary, "...", nullptr, nullptr, &load<kReport>};
}

}  // namespace recur::cli
