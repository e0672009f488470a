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
// Relative paths resolve against the directory of the YAML file.
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

  bool has(std::string_view key) const;
  std::vector<std::string> keys() const;

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
  // A path, resolved against base_dir() if relative.
  std::filesystem::path path_value(std::string_view key,
                                   std::optional<std::filesystem::path> fallback = std::nullopt) const;
  // A sequence of scalars.
  template <class T>
  std::vector<T> list(std::string_view key, std::optional<std::vector<T>> fallback = std::nullopt) const;

  // A nested mapping (required, or empty if absent with optional_section()).
  Section section(std::string_view key) const;
  Section optional_section(std::string_view key) const;
  // A sequence of mappings.
  std::vector<Section> sections(std::string_view key) const;

  // Throws ConfigError at the key's position (or the section's, if the key is absent).
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  // Throws ConfigError naming the first key of this section never read.
  void finish() const;

  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// Limits that keep a hostile file from crashing or hanging the loader.
struct LoadLimits {
  std::size_t max_file_bytes = 4 << 20;
  int max_depth = 32;
  std::size_t max_nodes = 100000;
};

// Parses a YAML file. Anchors and aliases are rejected; duplicate keys are errors.
Section load_file(const std::filesystem::path& file, const LoadLimits& limits = {});
// Parses YAML text; `name` stands for the file in messages, `base_dir` for relative paths.
Section load_string(std::string_view text, const std::string& name,
                    const std::filesystem::path& base_dir, const LoadLimits& limits = {});

}  // namespace recur::config
