// Builds the config tree from yaml-cpp's event parser, refusing what recur's pipelines
// never need and a hostile file could abuse: anchors and aliases (exponential expansion),
// duplicate keys (silently dropped by yaml-cpp's Node model), explicit tags, deep
// nesting, huge node counts and more than one document. Each check fires on the event
// that breaks it, so parsing stops before a bad input costs anything.
#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

#include "recur/core/error.h"
#include "tree.h"

namespace recur::config::detail {
namespace {

Pos to_pos(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

// yaml-cpp's messages quote the offending byte as is, which can be a control character
// or half of a UTF-8 sequence; a message must stay printable text.
std::string printable(const std::string& message) {
  std::string out;
  for (char c : message) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, const LoadLimits& limits) : file_(file), limits_(limits) {}

  std::unique_ptr<Node> take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) raise(file_, to_pos(mark), "", "only one YAML document is allowed");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    if (expects_key()) fail(to_pos(mark), "", "a mapping key must not be empty");
    add(make(Node::Kind::null, mark));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    fail(to_pos(mark), value_path(), "aliases are not allowed (recur YAML has no anchors or aliases)");
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    fail(to_pos(mark), value_path(),
         fmt::format("anchor '&{}' is not allowed (recur YAML has no anchors or aliases)", name));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (expects_key()) return set_key(mark, value);
    auto node = make(Node::Kind::scalar, mark);
    node->text = value;
    add(std::move(node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, Node::Kind::sequence);
  }
  void OnSequenceEnd() override { stack_.pop_back(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, Node::Kind::mapping);
  }
  void OnMapEnd() override { stack_.pop_back(); }

 private:
  struct Frame {
    Node* node = nullptr;
    std::string path;
    bool has_key = false;  // a mapping's key was read, its value is next
    std::string key;
    Pos key_pos;
    std::unordered_map<std::string, int> key_lines;  // duplicate detection
  };

  [[noreturn]] void fail(Pos pos, const std::string& path, const std::string& message) const {
    raise(file_, pos, path, message);
  }

  bool expects_key() const {
    return !stack_.empty() && stack_.back().node->kind == Node::Kind::mapping &&
           !stack_.back().has_key;
  }

  // Key path of the value the parser is about to deliver.
  std::string value_path() const {
    if (stack_.empty()) return "";
    const Frame& f = stack_.back();
    if (f.node->kind == Node::Kind::sequence) {
      return fmt::format("{}[{}]", f.path, f.node->items.size());
    }
    return f.has_key ? join_path(f.path, f.key) : f.path;
  }

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) const {
    // yaml-cpp reports the anchor's name through OnAnchor first; this is a safety net.
    if (anchor != YAML::NullAnchor) {
      fail(to_pos(mark), value_path(), "anchors are not allowed (recur YAML has no anchors or aliases)");
    }
  }

  void check_tag(const YAML::Mark& mark, const std::string& tag) const {
    // "?" marks a plain node, "!" a quoted scalar; anything else was written explicitly.
    if (tag.empty() || tag == "?" || tag == "!") return;
    fail(to_pos(mark), value_path(), fmt::format("tag '{}' is not allowed", tag));
  }

  std::unique_ptr<Node> make(Node::Kind kind, const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes) {
      fail(to_pos(mark), "", fmt::format("more than {} YAML nodes", limits_.max_nodes));
    }
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->pos = to_pos(mark);
    return node;
  }

  void set_key(const YAML::Mark& mark, const std::string& key) {
    if (++nodes_ > limits_.max_nodes) {
      fail(to_pos(mark), "", fmt::format("more than {} YAML nodes", limits_.max_nodes));
    }
    Frame& f = stack_.back();
    Pos pos = to_pos(mark);
    auto [it, inserted] = f.key_lines.emplace(key, pos.line);
    if (!inserted) {
      fail(pos, join_path(f.path, key),
           fmt::format("duplicate key '{}' (first at line {})", key, it->second));
    }
    f.has_key = true;
    f.key = key;
    f.key_pos = pos;
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, Node::Kind kind) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    const char* what = kind == Node::Kind::mapping ? "a mapping" : "a sequence";
    if (expects_key()) {
      fail(to_pos(mark), stack_.back().path, fmt::format("a mapping key must be a scalar, got {}", what));
    }
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      fail(to_pos(mark), value_path(), fmt::format("nesting deeper than {} levels", limits_.max_depth));
    }
    std::string path = value_path();
    auto node = make(kind, mark);
    Node* raw = node.get();
    add(std::move(node));
    Frame frame;
    frame.node = raw;
    frame.path = std::move(path);
    stack_.push_back(std::move(frame));
  }

  void add(std::unique_ptr<Node> node) {
    if (stack_.empty()) {
      if (node->kind != Node::Kind::mapping) {
        fail(node->pos, "", fmt::format("expected a mapping at the top of the file, got {}", describe(*node)));
      }
      root_ = std::move(node);
      return;
    }
    Frame& f = stack_.back();
    if (f.node->kind == Node::Kind::sequence) {
      f.node->items.push_back(std::move(node));
      return;
    }
    // yaml-cpp places an empty value at the next token, often on a later line; the key
    // is where the reader looks.
    if (node->kind == Node::Kind::null && node->pos.line != f.key_pos.line) node->pos = f.key_pos;
    f.node->entries.push_back(Entry{std::move(f.key), f.key_pos, std::move(node)});
    f.has_key = false;
  }

  const std::string& file_;
  const LoadLimits& limits_;
  std::vector<Frame> stack_;
  std::unique_ptr<Node> root_;
  int documents_ = 0;
  std::size_t nodes_ = 0;
};

}  // namespace

std::shared_ptr<const Document> parse_document(std::string_view text, const std::string& file,
                                               const std::filesystem::path& base_dir,
                                               const LoadLimits& limits) {
  if (text.size() > limits.max_file_bytes) {
    throw ConfigError(fmt::format("{}: file is {} bytes, more than the limit of {} bytes", file,
                                  text.size(), limits.max_file_bytes));
  }
  auto doc = std::make_shared<Document>();
  doc->file = file;
  doc->base_dir = base_dir;
  doc->paths_inside_base_dir = limits.paths_inside_base_dir;
  std::istringstream in{std::string(text)};
  TreeBuilder builder(doc->file, limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    raise(file, to_pos(e.mark), "", fmt::format("nesting deeper than {} levels", e.depth()));
  } catch (const YAML::Exception& e) {
    raise(file, to_pos(e.mark), "", printable(e.msg));
  }
  doc->root = builder.take_root();
  if (!doc->root) raise(file, Pos{1, 1}, "", "the file holds no YAML mapping (it is empty)");
  return doc;
}

}  // namespace recur::config::detail
