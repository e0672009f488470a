#include "recur/plugin/host.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <string>

#include "crash_note.h"
#include "file_trust.h"
#include "recur/core/logging.h"
#include "recur/plugin/abi.h"
#include "shared_library.h"

namespace fs = std::filesystem;

namespace recur {
namespace {

fs::path canonical_or_normal(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p).lexically_normal() : c;
}

bool is_plugin_file_name(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 6 && name.starts_with("lib") && name.ends_with(".so");
}

// lib*.so files of a directory, sorted by name.
std::vector<fs::path> plugin_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    std::error_code ec;
    if (is_plugin_file_name(e.path()) && e.is_regular_file(ec)) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string abi_string(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Checks the descriptor fields, in the order the ABI promises, before anything of the
// plugin runs. Returns the reason for refusal, or "" if the descriptor is acceptable.
std::string check_descriptor(const RecurPluginDescriptor& d) {
  if (d.abi_major != RECUR_ABI_MAJOR || d.abi_minor > RECUR_ABI_MINOR) {
    return "incompatible ABI (plugin: " + abi_string(d.abi_major, d.abi_minor) +
           ", recur: " + abi_string(RECUR_ABI_MAJOR, RECUR_ABI_MINOR) + ")";
  }
  const std::string tag = d.toolchain ? d.toolchain : "(none)";
  if (tag != RECUR_TOOLCHAIN_TAG) {
    return "incompatible toolchain (plugin: " + tag + ", recur: " RECUR_TOOLCHAIN_TAG ")";
  }
  if (!d.name || !*d.name) return "the plugin descriptor has no name";
  if (!d.register_components) {
    return "plugin '" + std::string(d.name) + "' has no register_components function";
  }
  return "";
}

}  // namespace

PluginHost::PluginHost() = default;
PluginHost::PluginHost(PluginHostOptions options) : options_(options) {}
PluginHost::~PluginHost() = default;
PluginHost::PluginHost(PluginHost&&) noexcept = default;
PluginHost& PluginHost::operator=(PluginHost&&) noexcept = default;

void PluginHost::load_search_path(const std::vector<fs::path>& explicit_paths) {
  std::vector<SearchDir> dirs = plugin_search_path(explicit_paths, std::getenv("RECUR_PLUGIN_PATH"));
  // First registration wins: built-in components are registered before anyone else's.
  if (!options_.allow_builtin_override) {
    std::stable_partition(dirs.begin(), dirs.end(), [](const SearchDir& d) {
      return d.origin == SearchDir::Origin::builtin;
    });
  }
  for (const SearchDir& dir : dirs) load_path(dir.path, dir.origin);
}

void PluginHost::load_path(const fs::path& path, SearchDir::Origin origin) {
  searched_.push_back({path, origin});
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (origin == SearchDir::Origin::builtin) return;  // a tree without plugins yet
    refused_.push_back(
        {path, "cannot load plugin " + path.string() + ": no such file or directory"});
    return;
  }
  if (!fs::is_directory(path, ec)) {
    try_file(path, origin);
    return;
  }
  std::vector<fs::path> files;
  try {
    files = plugin_files_in(path);
  } catch (const fs::filesystem_error& e) {
    refused_.push_back(
        {path, "cannot read plugin directory " + path.string() + ": " + e.code().message()});
    return;
  }
  for (const fs::path& f : files) try_file(f, origin);
}

void PluginHost::try_file(const fs::path& file, SearchDir::Origin origin) {
  const fs::path canonical = canonical_or_normal(file);
  if (std::find(tried_.begin(), tried_.end(), canonical) != tried_.end()) return;
  tried_.push_back(canonical);
  try {
    load_file(file, origin);  // as named: the trust check looks at the link too
  } catch (const PluginError& e) {
    log().info("{}", e.what());
    refused_.push_back({canonical, e.what()});
  }
}

void PluginHost::load_file(const fs::path& file, SearchDir::Origin origin) {
  const fs::path canonical = canonical_or_normal(file);
  for (const LoadedPlugin& p : plugins_) {
    if (p.file == canonical) return;
  }
  if (std::string why = untrusted_reason(file); !why.empty()) {
    throw PluginError("cannot load plugin " + canonical.string() + ": " + why);
  }
  // If the plugin's code crashes us, the last line on stderr names it.
  log().debug("loading plugin {}", canonical.string());
  std::unique_ptr<SharedLibrary> library;
  {
    FatalSignalNote note(canonical);
    library = std::make_unique<SharedLibrary>(canonical);
    register_plugin(*library, origin);
  }
  libraries_.push_back(std::move(library));
  const LoadedPlugin& p = plugins_.back();
  log().info("loaded plugin {} {} from {}", p.name, p.version, p.file.string());
}

void PluginHost::register_plugin(SharedLibrary& library, SearchDir::Origin origin) {
  const std::string file = library.file().string();
  auto refuse = [&](const std::string& reason) {
    return PluginError("cannot load plugin " + file + ": " + reason);
  };
  void* symbol = library.symbol(RECUR_PLUGIN_ENTRY_SYMBOL);
  if (!symbol) throw refuse("no " RECUR_PLUGIN_ENTRY_SYMBOL " symbol (not a recur plugin)");
  const RecurPluginDescriptor* d = reinterpret_cast<RecurPluginEntry>(symbol)();
  if (!d) throw refuse(RECUR_PLUGIN_ENTRY_SYMBOL " returned no descriptor");
  if (std::string reason = check_descriptor(*d); !reason.empty()) throw refuse(reason);

  const std::string name = d->name;
  for (const LoadedPlugin& p : plugins_) {
    if (p.name == name) {
      throw refuse("plugin '" + name + "' is already loaded from " + p.file.string());
    }
  }
  PluginRegistrar registrar(registry_, name, file);
  // A duplicate of a built-in component says so (and how to allow it).
  auto failure = [&](std::string reason) {
    registrar.rollback();
    if (const auto& dup = registrar.duplicate(); dup && origin != SearchDir::Origin::builtin) {
      const Registry::Entry& owner = registry_.find(dup->first, dup->second);
      for (const LoadedPlugin& p : plugins_) {
        if (p.name == owner.plugin && p.origin == SearchDir::Origin::builtin) {
          reason = dup->first + " '" + dup->second + "' is provided by the built-in plugin '" +
                   p.name + "' (" + owner.file +
                   "); a plugin may not replace a built-in component unless allowed "
                   "(--allow-plugin-override)";
        }
      }
    }
    return refuse(reason);
  };
  try {
    d->register_components(registrar);
  } catch (const std::exception& e) {
    throw failure(registrar.error() ? *registrar.error()
                                    : "register_components failed: " + std::string(e.what()));
  } catch (...) {
    throw failure("register_components threw an exception that is not a std::exception");
  }
  // A plugin that caught its own duplicate error is refused all the same.
  if (registrar.error()) throw failure(*registrar.error());
  plugins_.push_back(
      {name, d->version ? d->version : "", library.file(), registrar.added(), origin});
}

}  // namespace recur
