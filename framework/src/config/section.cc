// Section: structure (sub-sections, unknown keys, errors) and loading.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>

#include "recur/core/error.h"
#include "section_impl.h"

namespace recur::config {

using detail::Entry;
using detail::Node;
using detail::Pos;

const Entry* Section::Impl::lookup(std::string_view key) {
  if (known.find(key) == known.end()) known.emplace(key);
  return node ? node->find(key) : nullptr;
}

void Section::Impl::fail_at(Pos at, std::string_view key, const std::string& message) const {
  detail::raise(doc->file, at, detail::join_path(path, key), message);
}

void Section::Impl::mismatch(const Entry& entry, std::string_view what) const {
  fail_at(entry.value->pos, entry.key, fmt::format("expected {}, got {}", what, describe(*entry.value)));
}

void Section::Impl::missing(std::string_view key) const {
  fail_at(pos, key, "required key is missing");
}

namespace {

// The record of a sub-section, shared by every Section handed out for it.
std::shared_ptr<Section::Impl> child(Section::Impl& parent, std::string path, const Node* node, Pos pos) {
  std::shared_ptr<Section::Impl>& slot = parent.children[path];
  if (!slot) {
    slot = std::make_shared<Section::Impl>();
    slot->doc = parent.doc;
    slot->node = node;
    slot->path = std::move(path);
    slot->pos = pos;
  }
  return slot;
}

}  // namespace

Section::Section(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Section::~Section() = default;
Section::Section(const Section&) = default;
Section& Section::operator=(const Section&) = default;

const std::string& Section::path() const { return impl_->path; }

Mark Section::mark() const { return Mark{impl_->doc->file, impl_->pos.line, impl_->pos.column}; }

const std::filesystem::path& Section::base_dir() const { return impl_->doc->base_dir; }

bool Section::has(std::string_view key) const {
  return impl_->node && impl_->node->find(key) != nullptr;
}

std::vector<std::string> Section::keys() const {
  std::vector<std::string> out;
  if (impl_->node) {
    for (const Entry& e : impl_->node->entries) out.push_back(e.key);
  }
  return out;
}

Section Section::section(std::string_view key) const {
  const Entry* e = impl_->lookup(key);
  if (!e) impl_->missing(key);
  const Node& v = *e->value;
  // `decoder:` with every setting left out (or commented out) is an empty section.
  if (v.kind != Node::Kind::mapping && v.kind != Node::Kind::null) impl_->mismatch(*e, "a mapping");
  const Node* node = v.kind == Node::Kind::mapping ? &v : nullptr;
  return Section(child(*impl_, detail::join_path(impl_->path, key), node, e->key_pos));
}

Section Section::optional_section(std::string_view key) const {
  if (impl_->node && impl_->node->find(key)) return section(key);
  impl_->lookup(key);
  return Section(child(*impl_, detail::join_path(impl_->path, key), nullptr, impl_->pos));
}

std::vector<Section> Section::sections(std::string_view key) const {
  const Entry* e = impl_->lookup(key);
  if (!e) impl_->missing(key);
  if (e->value->kind != Node::Kind::sequence) impl_->mismatch(*e, "a sequence of mappings");
  std::vector<Section> out;
  const auto& items = e->value->items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string path = fmt::format("{}[{}]", detail::join_path(impl_->path, key), i);
    if (items[i]->kind != Node::Kind::mapping) {
      detail::raise(impl_->doc->file, items[i]->pos, path,
                    "expected a mapping, got " + describe(*items[i]));
    }
    out.emplace_back(child(*impl_, std::move(path), items[i].get(), items[i]->pos));
  }
  return out;
}

void Section::fail(std::string_view key, const std::string& message) const {
  const Entry* e = impl_->node ? impl_->node->find(key) : nullptr;
  impl_->fail_at(e ? e->value->pos : impl_->pos, key, message);
}

void Section::finish() const {
  if (!impl_->node) return;
  for (const Entry& e : impl_->node->entries) {
    if (impl_->known.count(e.key)) continue;
    std::string expected = impl_->known.empty()
                               ? "this section takes no keys"
                               : "expected one of: " + fmt::format("{}", fmt::join(impl_->known, ", "));
    impl_->fail_at(e.key_pos, e.key, "unknown key (" + expected + ")");
  }
}

namespace {

Section root_section(std::shared_ptr<const detail::Document> doc) {
  auto impl = std::make_shared<Section::Impl>();
  impl->node = doc->root.get();
  impl->pos = impl->node->pos.line > 0 ? impl->node->pos : Pos{1, 1};
  impl->doc = std::move(doc);
  return Section(std::move(impl));
}

// Reads at most max_bytes + 1 bytes, so a huge or endless file (a FIFO, /dev/zero)
// costs no more than the limit.
std::string read_bounded(const std::filesystem::path& file, std::size_t max_bytes) {
  std::error_code ec;
  auto status = std::filesystem::status(file, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw ConfigError(fmt::format("{}: cannot read the file: {}", file.string(), ec.message()));
  }
  if (!std::filesystem::exists(status)) {
    throw ConfigError(fmt::format("{}: cannot read the file: no such file", file.string()));
  }
  if (std::filesystem::is_directory(status)) {
    throw ConfigError(fmt::format("{}: is a directory, not a YAML file", file.string()));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot open the file", file.string()));
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= max_bytes && in.read(chunk, sizeof chunk).gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw ConfigError(fmt::format("{}: read error", file.string()));
  if (text.size() > max_bytes) {
    throw ConfigError(fmt::format("{}: file is larger than the limit of {} bytes", file.string(), max_bytes));
  }
  return text;
}

}  // namespace

std::string detail::read_yaml_file(const std::filesystem::path& file, const LoadLimits& limits) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(file, ec)) {
    auto size = std::filesystem::file_size(file, ec);
    if (!ec && size > limits.max_file_bytes) {
      throw ConfigError(fmt::format("{}: file is {} bytes, more than the limit of {} bytes", file.string(),
                                    size, limits.max_file_bytes));
    }
  }
  return read_bounded(file, limits.max_file_bytes);
}

Section load_file(const std::filesystem::path& file, const LoadLimits& limits) {
  const std::string text = detail::read_yaml_file(file, limits);
  return root_section(detail::parse_document(text, file.string(), file.parent_path(), limits));
}

Section load_string(std::string_view text, const std::string& name, const std::filesystem::path& base_dir,
                    const LoadLimits& limits) {
  return root_section(detail::parse_document(text, name, base_dir, limits));
}

}  // namespace recur::config
