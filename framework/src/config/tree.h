// recur's own YAML tree (private to the config layer). yaml-cpp's Node model expands
// aliases and keeps only the last of duplicate keys; this tree is built from parser
// events instead, so every node keeps its position and nothing is merged silently.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "recur/config/section.h"

namespace recur::config::detail {

// 1-based line and column.
struct Pos {
  int line = 0;
  int column = 0;
};

struct Node;

struct Entry {
  std::string key;
  Pos key_pos;
  std::unique_ptr<Node> value;
};

struct Node {
  enum class Kind { null, scalar, mapping, sequence };
  Kind kind = Kind::null;
  Pos pos;
  std::string text;                          // scalar
  std::vector<Entry> entries;                // mapping, in file order
  std::vector<std::unique_ptr<Node>> items;  // sequence

  const Entry* find(std::string_view key) const;
};

// A parsed file: the root mapping plus what messages and relative paths need.
struct Document {
  std::string file;
  std::filesystem::path base_dir;
  bool paths_inside_base_dir = false;  // LoadLimits::paths_inside_base_dir
  std::unique_ptr<Node> root;
};

// Builds the tree of `text`, enforcing `limits`; throws ConfigError.
std::shared_ptr<const Document> parse_document(std::string_view text, const std::string& file,
                                               const std::filesystem::path& base_dir,
                                               const LoadLimits& limits);

// The text of a YAML file, refusing a file larger than limits.max_file_bytes before
// reading it (and reading no more than that from a stream); throws ConfigError.
std::string read_yaml_file(const std::filesystem::path& file, const LoadLimits& limits);

// What a node is, for messages: the quoted scalar, "null", "a mapping" or "a sequence".
std::string describe(const Node& node);
// `text` in double quotes, escaped, shortened if long.
std::string quote(std::string_view text);

// "file:line:col: path: message" as a ConfigError.
[[noreturn]] void raise(const std::string& file, Pos pos, const std::string& path,
                        const std::string& message);

// Dotted key path of `key` inside `parent` ("" is the root).
std::string join_path(const std::string& parent, std::string_view key);

}  // namespace recur::config::detail
