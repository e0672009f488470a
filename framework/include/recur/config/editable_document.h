// A pipeline YAML as a document to edit and write back, for programs that derive one
// pipeline file from another (a model folder's pipeline.yaml from the training one).
// Settings are read through Section (section.h); this only edits and emits. It is the
// one way outside the config layer to touch YAML: no other part of recur includes a
// YAML library.
//
//   auto doc = config::EditableDocument::load_file("train.yaml");
//   doc.remove("train");
//   doc.set("weights", "model.safetensors");
//   doc.rewrite_file_settings({"encoder"}, [](const std::string& key, const fs::path& file)
//                             -> std::optional<std::string> { return file.filename().string(); });
//   write(doc.emit());
#pragma once

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "recur/config/section.h"

namespace recur::config {

class EditableDocument {
 public:
  struct Impl;  // the config layer's

  // Parses a file with the checks and limits of load_file() (a file that load_file()
  // refuses is refused here with the same ConfigError).
  static EditableDocument load_file(const std::filesystem::path& file, const LoadLimits& limits = {});
  // Parses YAML text; `name` stands for the file in messages, `base_dir` resolves
  // relative file settings.
  static EditableDocument load_string(std::string_view text, const std::string& name,
                                      const std::filesystem::path& base_dir,
                                      const LoadLimits& limits = {});
  ~EditableDocument();
  EditableDocument(EditableDocument&&) noexcept;
  EditableDocument& operator=(EditableDocument&&) noexcept;

  // Top-level keys only.
  bool has(std::string_view key) const;
  // Removes the key and its value; nothing happens if it is absent.
  void remove(std::string_view key);
  // Whether the mapping at `path` (keys from the root) has `key`.
  bool has_setting(std::initializer_list<std::string_view> path, std::string_view key) const;
  // Removes `keys` from the mapping at `path` (keys from the root); absent ones are skipped.
  void remove_settings(std::initializer_list<std::string_view> path, std::initializer_list<std::string_view> keys);
  // Sets the key to a string scalar, replacing its value or adding it at the end.
  void set(std::string_view key, const std::string& value);

  // Called with a setting's key and the file its value names (resolved against the
  // document's directory if relative); a returned string replaces the value.
  using FileRewrite =
      std::function<std::optional<std::string>(const std::string& key, const std::filesystem::path& file)>;
  // Visits, in file order, every scalar setting of the mapping at `path` (keys from the
  // root, e.g. {"source", "tokenizer"}) whose value names an existing regular file. A
  // path that is absent or not a mapping visits nothing.
  void rewrite_file_settings(std::initializer_list<std::string_view> path, const FileRewrite& rewrite);

  // The document as YAML text: keys keep their order, comments are dropped.
  std::string emit() const;

 private:
  explicit EditableDocument(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace recur::config
