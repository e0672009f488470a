// Where plugins are looked for. The built-in directory is found from librecur.so's own
// location, so a build tree and a relocated install tree both find their own plugins.
#include <dlfcn.h>

#include <cstdlib>
#include <string_view>

#include "recur/plugin/host.h"

namespace recur {

const char* origin_name(SearchDir::Origin origin) {
  switch (origin) {
    case SearchDir::Origin::explicit_path:
      return "--plugin-path";
    case SearchDir::Origin::environment:
      return "RECUR_PLUGIN_PATH";
    case SearchDir::Origin::builtin:
      return "built-in";
  }
  return "?";
}

std::filesystem::path builtin_plugin_dir() {
  Dl_info info{};
  // Any address inside librecur names the file it was loaded from.
  if (dladdr(reinterpret_cast<void*>(&builtin_plugin_dir), &info) == 0 || !info.dli_fname) {
    return {};
  }
  const std::filesystem::path libdir = std::filesystem::absolute(info.dli_fname).parent_path();
  // RECUR_PLUGIN_DIR_FROM_LIBDIR: the plugin directory relative to the library
  // directory, a compile definition ("recur/plugins" in the default layout).
  return (libdir / RECUR_PLUGIN_DIR_FROM_LIBDIR).lexically_normal();
}

std::vector<SearchDir> plugin_search_path(const std::vector<std::filesystem::path>& explicit_paths,
                                          const char* environment) {
  std::vector<SearchDir> dirs;
  for (const auto& p : explicit_paths) dirs.push_back({p, SearchDir::Origin::explicit_path});
  std::string_view rest = environment ? environment : "";
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view entry = rest.substr(0, colon);
    // An empty entry would mean the current directory to some tools: never here.
    if (!entry.empty()) dirs.push_back({std::string(entry), SearchDir::Origin::environment});
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  // RECUR_BUILTIN_PLUGINS=0 leaves the built-in directory out (tests, or a user who
  // wants only their own plugins).
  const char* builtin_switch = std::getenv("RECUR_BUILTIN_PLUGINS");
  if (builtin_switch && std::string_view(builtin_switch) == "0") return dirs;
  std::filesystem::path builtin = builtin_plugin_dir();
  if (!builtin.empty()) dirs.push_back({builtin, SearchDir::Origin::builtin});
  return dirs;
}

}  // namespace recur
