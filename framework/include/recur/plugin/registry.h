// The registry of component factories, keyed by (kind, name). It belongs to a context
// object (PluginHost), never to a global. Plugins add to it through a PluginRegistrar,
// which remembers which file each factory came from.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recur/core/error.h"
#include "recur/plugin/component.h"

namespace recur {

// (kind, name), e.g. ("tokenizer", "sentencepiece").
using ComponentId = std::pair<std::string, std::string>;

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
  // Removes an entry if present (undoing a plugin whose registration failed).
  void remove(std::string_view kind, std::string_view name);

  bool contains(std::string_view kind, std::string_view name) const;
  // PluginError for an unknown name, listing the names that exist for the kind.
  const Entry& find(std::string_view kind, std::string_view name) const;
  std::vector<std::string> names(std::string_view kind) const;  // sorted
  std::vector<ComponentId> all() const;                         // sorted
  std::size_t size() const { return entries_.size(); }

  // Creates a component of interface T (T::kKind names its kind).
  template <class T>
  std::unique_ptr<T> create(std::string_view name, const config::Section& settings,
                            const BuildContext& context) const;

 private:
  std::map<ComponentId, Entry, std::less<>> entries_;
};

// Handed to a plugin's register function. Factories reach the registry at once; the
// host calls rollback() if the plugin then fails, so a refused plugin leaves nothing.
class PluginRegistrar {
 public:
  PluginRegistrar(Registry& registry, std::string plugin, std::string file);

  template <class T, class F>
  void add(std::string name, F&& make) {
    add_factory(T::kKind, std::move(name),
                [make = std::forward<F>(make)](const config::Section& s, const BuildContext& c)
                    -> std::unique_ptr<Component> { return make(s, c); });
  }
  // Throws PluginError on a duplicate or an empty kind/name, and remembers the error
  // so that a plugin swallowing it is still refused.
  void add_factory(std::string kind, std::string name, Factory factory);

  // Names registered through this registrar, as (kind, name), in order of addition.
  const std::vector<ComponentId>& added() const { return added_; }
  // The first error add_factory raised, if any.
  const std::optional<std::string>& error() const { return error_; }
  // The first (kind, name) added that another plugin had already registered, if any.
  const std::optional<ComponentId>& duplicate() const { return duplicate_; }
  // Removes every factory this registrar added.
  void rollback();

 private:
  Registry& registry_;
  std::string plugin_;
  std::string file_;
  std::vector<ComponentId> added_;
  std::optional<std::string> error_;
  std::optional<ComponentId> duplicate_;
};

template <class T>
std::unique_ptr<T> Registry::create(std::string_view name, const config::Section& settings,
                                    const BuildContext& context) const {
  const Entry& e = find(T::kKind, name);
  const std::string what = std::string(T::kKind) + " '" + std::string(name) + "' from " + e.file;
  std::unique_ptr<Component> c = e.factory(settings, context);
  if (!c) throw PluginError(what + ": factory returned nothing");
  T* typed = dynamic_cast<T*>(c.get());
  if (!typed) throw PluginError(what + " does not implement the " + T::kKind + " interface");
  c.release();
  return std::unique_ptr<T>(typed);
}

}  // namespace recur
