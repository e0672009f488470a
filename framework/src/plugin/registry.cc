#include "recur/plugin/registry.h"

namespace recur {
namespace {

std::string in_quotes(std::string_view s) {
  std::string out(1, '\'');
  out.append(s).push_back('\'');
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

void Registry::add(std::string kind, std::string name, Factory factory, std::string plugin,
                   std::string file) {
  if (kind.empty() || name.empty()) {
    throw PluginError("plugin " + in_quotes(plugin) + " (" + file +
                      ") registers a component with an empty kind or name");
  }
  if (!factory) {
    throw PluginError("plugin " + in_quotes(plugin) + " (" + file + ") registers " + kind + " " +
                      in_quotes(name) + " without a factory");
  }
  auto it = entries_.find(ComponentId(kind, name));
  if (it != entries_.end()) {
    const Entry& old = it->second;
    throw PluginError("duplicate " + kind + " " + in_quotes(name) + ": registered by plugin " +
                      in_quotes(old.plugin) + " (" + old.file + ") and again by plugin " +
                      in_quotes(plugin) + " (" + file + ")");
  }
  entries_.emplace(ComponentId(std::move(kind), std::move(name)),
                   Entry{std::move(factory), std::move(plugin), std::move(file)});
}

void Registry::remove(std::string_view kind, std::string_view name) {
  auto it = entries_.find(ComponentId(kind, name));
  if (it != entries_.end()) entries_.erase(it);
}

bool Registry::contains(std::string_view kind, std::string_view name) const {
  return entries_.find(ComponentId(kind, name)) != entries_.end();
}

const Registry::Entry& Registry::find(std::string_view kind, std::string_view name) const {
  auto it = entries_.find(ComponentId(kind, name));
  if (it != entries_.end()) return it->second;
  const std::vector<std::string> known = names(kind);
  std::string message = "unknown " + std::string(kind) + " " + in_quotes(name) + ": ";
  if (known.empty()) {
    message += "no plugin loaded provides a " + std::string(kind);
  } else {
    message += "known " + std::string(kind) + " names are " + joined(known);
  }
  throw PluginError(message);
}

std::vector<std::string> Registry::names(std::string_view kind) const {
  std::vector<std::string> out;
  for (const auto& [id, entry] : entries_) {
    if (id.first == kind) out.push_back(id.second);
  }
  return out;
}

std::vector<ComponentId> Registry::all() const {
  std::vector<ComponentId> out;
  out.reserve(entries_.size());
  for (const auto& [id, entry] : entries_) out.push_back(id);
  return out;
}

PluginRegistrar::PluginRegistrar(Registry& registry, std::string plugin, std::string file)
    : registry_(registry), plugin_(std::move(plugin)), file_(std::move(file)) {}

void PluginRegistrar::add_factory(std::string kind, std::string name, Factory factory) {
  if (!duplicate_ && registry_.contains(kind, name)) duplicate_ = ComponentId(kind, name);
  try {
    registry_.add(kind, name, std::move(factory), plugin_, file_);
  } catch (const PluginError& e) {
    if (!error_) error_ = e.what();
    throw;
  }
  added_.emplace_back(std::move(kind), std::move(name));
}

void PluginRegistrar::rollback() {
  for (const ComponentId& id : added_) registry_.remove(id.first, id.second);
  added_.clear();
}

}  // namespace recur
