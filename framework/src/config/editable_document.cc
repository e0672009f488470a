#include "recur/config/editable_document.h"

#include <yaml-cpp/yaml.h>

#include "recur/core/error.h"
#include "tree.h"

namespace recur::config {

struct EditableDocument::Impl {
  std::filesystem::path base_dir;
  YAML::Node root;
};

namespace {

// The text is first parsed by the checking builder (anchors, duplicate keys, limits: the
// same errors as load_string), then by yaml-cpp's Node model, which can be edited and
// emitted.
EditableDocument::Impl parse(std::string_view text, const std::string& name,
                             const std::filesystem::path& base_dir, const LoadLimits& limits) {
  detail::parse_document(text, name, base_dir, limits);
  try {
    return {base_dir, YAML::Load(std::string(text))};
  } catch (const YAML::Exception& e) {
    throw ConfigError(name + ": " + e.what());
  }
}

}  // namespace

EditableDocument EditableDocument::load_file(const std::filesystem::path& file, const LoadLimits& limits) {
  const std::string text = detail::read_yaml_file(file, limits);
  return EditableDocument(std::make_unique<Impl>(parse(text, file.string(), file.parent_path(), limits)));
}

EditableDocument EditableDocument::load_string(std::string_view text, const std::string& name,
                                               const std::filesystem::path& base_dir,
                                               const LoadLimits& limits) {
  return EditableDocument(std::make_unique<Impl>(parse(text, name, base_dir, limits)));
}

EditableDocument::EditableDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EditableDocument::~EditableDocument() = default;
EditableDocument::EditableDocument(EditableDocument&&) noexcept = default;
EditableDocument& EditableDocument::operator=(EditableDocument&&) noexcept = default;

bool EditableDocument::has(std::string_view key) const {
  const YAML::Node& root = impl_->root;
  return static_cast<bool>(root[std::string(key)]);
}

void EditableDocument::remove(std::string_view key) { impl_->root.remove(std::string(key)); }

void EditableDocument::set(std::string_view key, const std::string& value) {
  impl_->root[std::string(key)] = value;
}

namespace {

// The mapping at `path` below `root`, or an undefined node.
YAML::Node mapping_at(const YAML::Node& root, std::initializer_list<std::string_view> path) {
  YAML::Node node = root;
  for (std::string_view key : path) {
    if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& map = node;  // the const operator[] never adds the key
    YAML::Node child = map[std::string(key)];
    if (!child) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(child);
  }
  return node.IsMap() ? node : YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

bool EditableDocument::has_setting(std::initializer_list<std::string_view> path, std::string_view key) const {
  const YAML::Node node = mapping_at(impl_->root, path);
  if (!node.IsDefined()) return false;
  const YAML::Node& map = node;
  return static_cast<bool>(map[std::string(key)]);
}

void EditableDocument::remove_settings(std::initializer_list<std::string_view> path,
                                       std::initializer_list<std::string_view> keys) {
  YAML::Node node = mapping_at(impl_->root, path);
  if (!node.IsDefined()) return;
  for (std::string_view key : keys) node.remove(std::string(key));
}

void EditableDocument::rewrite_file_settings(std::initializer_list<std::string_view> path,
                                             const FileRewrite& rewrite) {
  YAML::Node node = impl_->root;
  for (std::string_view key : path) {
    if (!node.IsMap()) return;
    const YAML::Node& map = node;  // the const operator[] never adds the key
    YAML::Node child = map[std::string(key)];
    if (!child) return;
    node.reset(child);
  }
  if (!node.IsMap()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->second.IsScalar()) continue;
    const std::filesystem::path value = it->second.Scalar();
    const std::filesystem::path file = value.is_absolute() ? value : impl_->base_dir / value;
    std::error_code ec;
    if (value.empty() || !std::filesystem::is_regular_file(file, ec)) continue;
    if (std::optional<std::string> replacement = rewrite(it->first.Scalar(), file)) {
      it->second = *replacement;
    }
  }
}

std::string EditableDocument::emit() const {
  YAML::Emitter emitter;
  emitter << impl_->root;
  return std::string(emitter.c_str()) + "\n";
}

}  // namespace recur::config
