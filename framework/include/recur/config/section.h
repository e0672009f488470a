// A mapping of a pipeline YAML (the whole file, or one component's settings) with typed,
// checked access. Each component parses its settings struct from a Section in one place:
//
//   DecoderSettings s;
//   s.hidden_size = sec.positive<std::int64_t>("hidden_size", 256);
//   s.attention   = sec.one_of("attention", {"dot", "general", "mlp"}, "general");
//   sec.finish();   // unknown keys are errors
//
// Every error is a ConfigError of the form
//   pipeline.yaml:12:5: decoder.hidden_size: expected a positive integer, got "big"
// naming the file as the caller gave it, the line:column of the offending value (of the
// section, for a missing key), the dotted key path, what was expected and what was found.
// Relative paths resolve against the directory of the YAML file.
//
// Scalar rules (YAML 1.2 core schema, narrowed): booleans are true/false (also True,
// TRUE, False, FALSE) and never yes/no/on/off; integers are decimal with an optional
// sign, in range of the type; reals accept integers and scientific notation, never
// inf or nan. Quoting is syntax only: "12" reads as the integer 12. An empty value
// (`key:` or `key: ~`) is null, which no scalar read accepts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recur::config {

// Position of a node in its source file (1-based line and column).
struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:col"
};

class Section {
 public:
  struct Impl;
  explicit Section(std::shared_ptr<Impl> impl);
  ~Section();
  Section(const Section&);
  Section& operator=(const Section&);

  // Dotted key path of this section ("" for the document root), and its position.
  const std::string& path() const;
  Mark mark() const;
  // Directory the YAML file lives in (for relative paths).
  const std::filesystem::path& base_dir() const;

  // Neither counts as reading a key for finish().
  bool has(std::string_view key) const;
  std::vector<std::string> keys() const;  // in file order

  // Typed scalar reads. T is one of bool, int, std::int64_t, float, double, std::string.
  // Without a default the key is required.
  template <class T>
  T get(std::string_view key) const;
  template <class T>
  T get(std::string_view key, T fallback) const;
  // Integer or real number > 0 (>= 0 for non_negative).
  template <class T>
  T positive(std::string_view key, std::optional<T> fallback = std::nullopt) const;
  template <class T>
  T non_negative(std::string_view key, std::optional<T> fallback = std::nullopt) const;
  // A real number in [lo, hi].
  double in_range(std::string_view key, double lo, double hi,
                  std::optional<double> fallback = std::nullopt) const;
  // A string from a fixed set.
  std::string one_of(std::string_view key, std::initializer_list<std::string_view> allowed,
                     std::optional<std::string> fallback = std::nullopt) const;
  // A path, resolved against base_dir() if relative (so is a relative fallback; an empty
  // fallback stays empty). Outside base_dir() it is an error when the file was loaded
  // with LoadLimits::paths_inside_base_dir.
  std::filesystem::path path_value(std::string_view key,
                                   std::optional<std::filesystem::path> fallback = std::nullopt) const;
  // A sequence of scalars.
  template <class T>
  std::vector<T> list(std::string_view key, std::optional<std::vector<T>> fallback = std::nullopt) const;

  // A nested mapping (required, or empty if absent with optional_section()). A key with
  // an empty value (`search:` with every setting commented out) is an empty section.
  Section section(std::string_view key) const;
  Section optional_section(std::string_view key) const;
  // A sequence of mappings (required; `key: []` is an empty one).
  std::vector<Section> sections(std::string_view key) const;

  // Throws ConfigError at the key's value (or the section, if the key is absent).
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  // Throws ConfigError naming the first key of this section that no read asked for,
  // listing the keys that were asked for. Sub-sections are checked by their own finish().
  void finish() const;

  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// Limits that keep a hostile file from crashing or hanging the loader. yaml-cpp's
// scanner holds every token of a flow collection until the collection closes, at up to
// ~250 bytes of memory per byte of input (a file of "[[[[..."), so the file size is what
// bounds memory and time: 256 KiB (100 times a real pipeline) costs at most ~70 MB and
// a quarter of a second. yaml-cpp refuses nesting deeper than 500 levels on its own.
struct LoadLimits {
  std::size_t max_file_bytes = 256 << 10;
  int max_depth = 32;
  std::size_t max_nodes = 100000;
  // Every path_value() must lie inside the file's directory (symbolic links resolved):
  // a model folder's files are its own, never `../../elsewhere` (a ConfigError at the key).
  bool paths_inside_base_dir = false;
};

// Parses a YAML file: one document whose root is a mapping. Anchors, aliases, explicit
// tags, non-scalar keys and duplicate keys are errors, and so is breaking `limits`
// (the file size is checked before anything is parsed).
Section load_file(const std::filesystem::path& file, const LoadLimits& limits = {});
// Parses YAML text; `name` stands for the file in messages, `base_dir` for relative paths.
Section load_string(std::string_view text, const std::string& name,
                    const std::filesystem::path& base_dir, const LoadLimits& limits = {});

}  // namespace recur::config
