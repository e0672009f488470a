// `recur plugins`: what the plugin search path holds, what loaded and what was refused.
#include <iostream>

#include "command.h"
#include "options.h"

namespace recur::cli {
namespace {

void declare(CommandOptions& options) { add_plugin_options(options.named); }

void print_search_path(const PluginHost& host) {
  std::cout << "search path:\n";
  for (const SearchDir& dir : host.searched()) {
    std::error_code ec;
    const bool absent = !std::filesystem::exists(dir.path, ec);
    std::cout << "  " << dir.path.string() << " (" << origin_name(dir.origin)
              << (absent ? ", absent" : "") << ")\n";
  }
}

void print_loaded(const PluginHost& host) {
  if (host.plugins().empty()) {
    std::cout << "no plugins loaded\n";
    return;
  }
  std::cout << "plugins loaded: " << host.plugins().size() << "\n";
  for (const LoadedPlugin& p : host.plugins()) {
    std::cout << "  " << p.name << " " << p.version << "  " << p.file.string() << "\n";
    if (p.components.empty()) std::cout << "    (no components)\n";
    for (const auto& [kind, name] : p.components)
      std::cout << "    " << kind << "/" << name << "\n";
  }
}

void print_refused(const PluginHost& host) {
  if (host.refused().empty()) return;
  std::cout << "files refused: " << host.refused().size() << "\n";
  for (const RefusedFile& r : host.refused()) std::cout << "  " << r.reason << "\n";
}

int run(const po::variables_map& args) {
  const PluginHost host = load_plugins(args, /*warn_refused=*/false);
  print_search_path(host);
  print_loaded(host);
  print_refused(host);
  return 0;
}

}  // namespace

Command plugins_command() {
  return {"plugins", "list the plugins loaded, what they provide, and the files refused",
          "[--plugin-path DIR]...", &declare, &run};
}

}  // namespace recur::cli
