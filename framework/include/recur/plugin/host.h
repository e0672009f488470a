// PluginHost: the context object that loads plugin libraries and owns the Registry they
// fill. There is no global host; the CLI (or a test, or an embedding program) makes one.
//
//   recur::PluginHost host;
//   host.load_search_path({"/my/plugins"});   // --plugin-path, RECUR_PLUGIN_PATH, built-in
//   auto tok = host.registry().create<recur::Tokenizer>("sentencepiece", settings, ctx);
//
// A file that cannot be used is refused with one PluginError message naming it; loading
// carries on with the other files. Loaded libraries stay resident for the life of the
// process (factories and the type information of components live in them).
//
// Plugins run in-process, with recur's rights: before dlopen, a file or directory that
// others may write to is refused (see file_trust.h); a crash while a plugin loads names
// the file on stderr; a component of a built-in plugin cannot be replaced (or
// duplicated) by another plugin unless PluginHostOptions::allow_builtin_override.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "recur/plugin/registry.h"

namespace recur {

class SharedLibrary;

// Where plugins are looked for, in order, and why.
struct SearchDir {
  enum class Origin { explicit_path, environment, builtin };
  std::filesystem::path path;
  Origin origin;
};

struct LoadedPlugin {
  std::string name;
  std::string version;
  std::filesystem::path file;
  std::vector<ComponentId> components;  // in order of registration
  SearchDir::Origin origin = SearchDir::Origin::explicit_path;
};

struct RefusedFile {
  std::filesystem::path file;
  std::string reason;  // the full PluginError message
};

struct PluginHostOptions {
  // Let a plugin of --plugin-path or RECUR_PLUGIN_PATH provide a (kind, name) that a
  // built-in plugin provides: the search path is then loaded in its order, first wins,
  // and the built-in plugin is refused as a duplicate. Off: the built-in directory is
  // loaded first and a plugin repeating one of its components is refused.
  bool allow_builtin_override = false;
};
// "--plugin-path", "RECUR_PLUGIN_PATH" or "built-in".
const char* origin_name(SearchDir::Origin origin);

// The plugin directory of the build or install tree librecur.so belongs to
// (<libdir>/recur/plugins), found from librecur's own location.
std::filesystem::path builtin_plugin_dir();

// The search order: explicit paths, then the colon-separated `environment` value (empty
// entries skipped), then the built-in directory (left out when the environment variable
// RECUR_BUILTIN_PLUGINS is "0"). Never the current directory.
std::vector<SearchDir> plugin_search_path(const std::vector<std::filesystem::path>& explicit_paths,
                                          const char* environment);

class PluginHost {
 public:
  PluginHost();
  explicit PluginHost(PluginHostOptions options);
  ~PluginHost();
  PluginHost(PluginHost&&) noexcept;
  PluginHost& operator=(PluginHost&&) noexcept;
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads from every entry of plugin_search_path(explicit_paths, $RECUR_PLUGIN_PATH):
  // the built-in directory first unless allow_builtin_override, then the others in
  // order. A missing built-in directory is not an error; a missing explicit or
  // environment entry is refused. Never throws for a bad file: see refused().
  void load_search_path(const std::vector<std::filesystem::path>& explicit_paths);
  // A directory (every lib*.so in it, sorted by name) or one plugin file. Files already
  // tried are skipped; each refusal is recorded in refused() and loading carries on.
  void load_path(const std::filesystem::path& path,
                 SearchDir::Origin origin = SearchDir::Origin::explicit_path);
  // Loads one plugin file, or throws the PluginError that refuses it (not recorded in
  // refused()). A file already loaded is not loaded twice.
  void load_file(const std::filesystem::path& file,
                 SearchDir::Origin origin = SearchDir::Origin::explicit_path);

  Registry& registry() { return registry_; }
  const Registry& registry() const { return registry_; }
  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  const std::vector<RefusedFile>& refused() const { return refused_; }
  // Every directory or file searched so far, in order.
  const std::vector<SearchDir>& searched() const { return searched_; }

 private:
  void try_file(const std::filesystem::path& file, SearchDir::Origin origin);
  void register_plugin(SharedLibrary& library, SearchDir::Origin origin);

  PluginHostOptions options_;
  Registry registry_;
  std::vector<std::unique_ptr<SharedLibrary>> libraries_;  // loaded plugins only
  std::vector<std::filesystem::path> tried_;               // canonical paths
  std::vector<LoadedPlugin> plugins_;
  std::vector<RefusedFile> refused_;
  std::vector<SearchDir> searched_;
};

}  // namespace recur
