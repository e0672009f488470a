#include "tree.h"

#include <fmt/format.h>

#include "recur/core/error.h"

namespace recur::config {

std::string Mark::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

namespace detail {

const Entry* Node::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::string quote(std::string_view text) {
  // Long values are cut so a message stays one readable line.
  constexpr std::size_t kMaxShown = 60;
  std::string out = "\"";
  std::size_t shown = 0;
  for (char c : text) {
    if (shown++ == kMaxShown) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string describe(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null: return "null";
    case Node::Kind::scalar: return quote(node.text);
    case Node::Kind::mapping: return "a mapping";
    case Node::Kind::sequence: return "a sequence";
  }
  return "?";
}

void raise(const std::string& file, Pos pos, const std::string& path, const std::string& message) {
  Mark mark{file, pos.line, pos.column};
  std::string text = path.empty() ? mark.str() + ": " + message : mark.str() + ": " + path + ": " + message;
  // Keys are the file's text too: a quoted key may hold a newline or a terminal escape.
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  throw ConfigError(out);
}

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out = parent;
  out += '.';
  out += key;
  return out;
}

}  // namespace detail
}  // namespace recur::config
