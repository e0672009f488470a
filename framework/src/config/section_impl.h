// Section's shared state (private to the config layer).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "recur/config/section.h"
#include "tree.h"

namespace recur::config {

struct Section::Impl {
  std::shared_ptr<const detail::Document> doc;
  const detail::Node* node = nullptr;  // a mapping; null for an absent or empty section
  std::string path;
  detail::Pos pos;  // where the section is named (its key, or the root mapping)
  // Keys the component asked for, present or not: finish() reports the others and
  // lists these as the expected ones.
  std::set<std::string, std::less<>> known;
  // Sub-sections handed out, by relative name ("decoder", "layers[2]"), so asking twice
  // shares one record of known keys.
  std::map<std::string, std::shared_ptr<Impl>, std::less<>> children;

  // The entry of `key`, recording the key as known.
  const detail::Entry* lookup(std::string_view key);
  [[noreturn]] void fail_at(detail::Pos at, std::string_view key, const std::string& message) const;
  // "expected <what>, got <node>" at the node of `entry`.
  [[noreturn]] void mismatch(const detail::Entry& entry, std::string_view what) const;
  [[noreturn]] void missing(std::string_view key) const;
};

}  // namespace recur::config
