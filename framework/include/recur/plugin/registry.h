// The registry of component factories, keyed by (kind, name). It belongs to a context
// object (PluginHost), never to a global. Plugins add to it through a PluginRegistrar,
// which remembers which file each factory came from.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recur/core/error.h"
#include "recur/plugin/component.h"

namespace recur {

class Registry {
 public:
  struct Entry {
    Factory factory;
    std::string plugin;  // plugin name
    std::string file;    // file it was loaded from
  };

  // Adds a factory; a duplicate (kind, name) is a PluginError naming both files.
  void add(std::string kind, std::string name, Factory factory, std::string plugin,
           std::string file);

  bool contains(std::string_view kind, std::string_view name) const;
  const Entry& find(std::string_view kind, std::string_view name) const;  // PluginError lists names
  std::vector<std::string> names(std::string_view kind) const;
  std::vector<std::pair<std::string, std::string>> all() const;  // (kind, name) sorted

  // Creates a component of interface T (T::kKind names its kind).
  template <class T>
  std::unique_ptr<T> create(std::string_view name, const config::Section& settings,
                            const BuildContext& context) const;

 private:
  std::map<std::pair<std::string, std::string>, Entry, std::less<>> entries_;
};

// Handed to a plugin's register function.
class PluginRegistrar {
 public:
  PluginRegistrar(Registry& registry, std::string plugin, std::string file);

  template <class T, class F>
  void add(std::string name, F&& make) {
    add_factory(T::kKind, std::move(name),
                [make = std::forward<F>(make)](const config::Section& s,
                                               const BuildContext& c) -> std::unique_ptr<Component> {
                  return make(s, c);
                });
  }
  void add_factory(std::string kind, std::string name, Factory factory);

  // Names registered through this registrar, as (kind, name).
  const std::vector<std::pair<std::string, std::string>>& added() const { return added_; }

 private:
  Registry& registry_;
  std::string plugin_;
  std::string file_;
  std::vector<std::pair<std::string, std::string>> added_;
};

template <class T>
std::unique_ptr<T> Registry::create(std::string_view name, const config::Section& settings,
                                    const BuildContext& context) const {
  const Entry& e = find(T::kKind, name);
  std::unique_ptr<Component> c = e.factory(settings, context);
  if (!c) throw PluginError(std::string(T::kKind) + " '" + std::string(name) + "' from " + e.file + ": factory returned nothing");
  T* typed = dynamic_cast<T*>(c.get());
  if (!typed) {
    throw PluginError(std::string(T::kKind) + " '" + std::string(name) + "' from " + e.file +
                      " does not implement the " + T::kKind + " interface");
  }
  c.release();
  return std::unique_ptr<T>(typed);
}

}  // namespace recur
