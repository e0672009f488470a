// Section: typed reads of scalar values.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <limits>
#include <type_traits>

#include "recur/core/error.h"
#include "recur/core/file_checks.h"
#include "scalar.h"
#include "section_impl.h"

namespace recur::config {

using detail::Entry;
using detail::Node;

namespace {

template <class T>
constexpr bool kIsInt = std::is_same_v<T, int> || std::is_same_v<T, std::int64_t>;

// A scalar read as T: the value, or why not.
template <class T>
struct Converted {
  std::optional<T> value;
  bool out_of_range = false;
};

template <class T>
Converted<T> convert(const Node& node) {
  if (node.kind != Node::Kind::scalar) return {};
  if constexpr (std::is_same_v<T, std::string>) {
    return {node.text};
  } else if constexpr (std::is_same_v<T, bool>) {
    return {detail::to_bool(node.text)};
  } else if constexpr (kIsInt<T>) {
    bool overflow = false;
    auto v = detail::to_int(node.text, overflow);
    if (v && (*v < std::numeric_limits<T>::min() || *v > std::numeric_limits<T>::max())) {
      return {std::nullopt, true};
    }
    if (!v) return {std::nullopt, overflow};
    return {static_cast<T>(*v)};
  } else {
    bool overflow = false;
    auto v = detail::to_real(node.text, overflow);
    if (v && std::abs(*v) > static_cast<double>(std::numeric_limits<T>::max())) return {std::nullopt, true};
    if (!v) return {std::nullopt, overflow};
    return {static_cast<T>(*v)};
  }
}

// What a read of T expects, for messages; `lo` is the smallest value allowed (ints).
template <class T>
std::string expected(bool out_of_range, std::string_view what = {}, std::int64_t lo = 0) {
  if constexpr (std::is_same_v<T, std::string>) {
    return "a string";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "true or false";
  } else {
    std::string base(what.empty() ? (kIsInt<T> ? "an integer" : "a number") : what);
    if (!out_of_range) return base;
    if constexpr (kIsInt<T>) {
      if (what.empty()) lo = std::numeric_limits<T>::min();
      return fmt::format("{} in [{}, {}]", base, lo, std::numeric_limits<T>::max());
    } else {
      return fmt::format("{} within the range of {}", base, std::is_same_v<T, float> ? "float" : "double");
    }
  }
}

template <class T>
T read(Section::Impl& impl, std::string_view key, const T* fallback) {
  const Entry* e = impl.lookup(key);
  if (!e) {
    if (fallback) return *fallback;
    impl.missing(key);
  }
  Converted<T> c = convert<T>(*e->value);
  if (!c.value) impl.mismatch(*e, expected<T>(c.out_of_range));
  return *c.value;
}

// A number with a lower bound: > 0 (strict) or >= 0.
template <class T>
T read_bounded(Section::Impl& impl, std::string_view key, const std::optional<T>& fallback, bool strict) {
  static_assert(kIsInt<T> || std::is_floating_point_v<T>);
  const Entry* e = impl.lookup(key);
  if (!e) {
    if (fallback) return *fallback;
    impl.missing(key);
  }
  std::string what = strict ? "a positive " : "a non-negative ";
  what += kIsInt<T> ? "integer" : "number";
  Converted<T> c = convert<T>(*e->value);
  if (!c.value || (strict ? !(*c.value > 0) : !(*c.value >= 0))) {
    impl.mismatch(*e, expected<T>(c.out_of_range, what, strict ? 1 : 0));
  }
  return *c.value;
}

}  // namespace

template <class T>
T Section::get(std::string_view key) const {
  return read<T>(*impl_, key, nullptr);
}

template <class T>
T Section::get(std::string_view key, T fallback) const {
  return read<T>(*impl_, key, &fallback);
}

template <class T>
T Section::positive(std::string_view key, std::optional<T> fallback) const {
  return read_bounded<T>(*impl_, key, fallback, true);
}

template <class T>
T Section::non_negative(std::string_view key, std::optional<T> fallback) const {
  return read_bounded<T>(*impl_, key, fallback, false);
}

double Section::in_range(std::string_view key, double lo, double hi, std::optional<double> fallback) const {
  const Entry* e = impl_->lookup(key);
  if (!e) {
    if (fallback) return *fallback;
    impl_->missing(key);
  }
  Converted<double> c = convert<double>(*e->value);
  if (!c.value || !(*c.value >= lo && *c.value <= hi)) {
    impl_->mismatch(*e, fmt::format("a number in [{}, {}]", lo, hi));
  }
  return *c.value;
}

std::string Section::one_of(std::string_view key, std::initializer_list<std::string_view> allowed,
                            std::optional<std::string> fallback) const {
  const Entry* e = impl_->lookup(key);
  if (!e) {
    if (fallback) return *fallback;
    impl_->missing(key);
  }
  const Node& v = *e->value;
  if (v.kind == Node::Kind::scalar) {
    for (std::string_view a : allowed) {
      if (v.text == a) return v.text;
    }
  }
  impl_->mismatch(*e, fmt::format("one of ({})", fmt::join(allowed, ", ")));
}

std::filesystem::path Section::path_value(std::string_view key,
                                          std::optional<std::filesystem::path> fallback) const {
  const Entry* e = impl_->lookup(key);
  std::filesystem::path p;
  if (!e) {
    if (!fallback) impl_->missing(key);
    // A relative default resolves like a written value; an empty one stays empty.
    if (fallback->empty()) return *fallback;
    p = fallback->is_absolute() ? *fallback : base_dir() / *fallback;
  } else {
    const Node& v = *e->value;
    if (v.kind != Node::Kind::scalar || v.text.empty()) impl_->mismatch(*e, "a path");
    p = std::filesystem::path(v.text);
    if (!p.is_absolute()) p = base_dir() / p;
  }
  if (impl_->doc->paths_inside_base_dir) {
    try {
      // p already includes base_dir(): absolute, so check_inside does not prefix it again.
      check_inside(base_dir().empty() ? std::filesystem::path(".") : base_dir(), std::filesystem::absolute(p));
    } catch (const IoError& err) {
      fail(key, std::string(err.what()) + "; a model folder's files must be inside it (--allow-external-files allows it)");
    }
  }
  return p;
}

template <class T>
std::vector<T> Section::list(std::string_view key, std::optional<std::vector<T>> fallback) const {
  const Entry* e = impl_->lookup(key);
  if (!e) {
    if (fallback) return *fallback;
    impl_->missing(key);
  }
  if (e->value->kind != Node::Kind::sequence) impl_->mismatch(*e, "a sequence");
  std::vector<T> out;
  const auto& items = e->value->items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Converted<T> c = convert<T>(*items[i]);
    if (!c.value) {
      detail::raise(impl_->doc->file, items[i]->pos,
                    fmt::format("{}[{}]", detail::join_path(impl_->path, key), i),
                    fmt::format("expected {}, got {}", expected<T>(c.out_of_range), describe(*items[i])));
    }
    out.push_back(std::move(*c.value));
  }
  return out;
}

// The types the header promises.
template bool Section::get<bool>(std::string_view) const;
template int Section::get<int>(std::string_view) const;
template std::int64_t Section::get<std::int64_t>(std::string_view) const;
template float Section::get<float>(std::string_view) const;
template double Section::get<double>(std::string_view) const;
template std::string Section::get<std::string>(std::string_view) const;
template bool Section::get<bool>(std::string_view, bool) const;
template int Section::get<int>(std::string_view, int) const;
template std::int64_t Section::get<std::int64_t>(std::string_view, std::int64_t) const;
template float Section::get<float>(std::string_view, float) const;
template double Section::get<double>(std::string_view, double) const;
template std::string Section::get<std::string>(std::string_view, std::string) const;

template int Section::positive<int>(std::string_view, std::optional<int>) const;
template std::int64_t Section::positive<std::int64_t>(std::string_view, std::optional<std::int64_t>) const;
template float Section::positive<float>(std::string_view, std::optional<float>) const;
template double Section::positive<double>(std::string_view, std::optional<double>) const;
template int Section::non_negative<int>(std::string_view, std::optional<int>) const;
template std::int64_t Section::non_negative<std::int64_t>(std::string_view, std::optional<std::int64_t>) const;
template float Section::non_negative<float>(std::string_view, std::optional<float>) const;
template double Section::non_negative<double>(std::string_view, std::optional<double>) const;

template std::vector<bool> Section::list<bool>(std::string_view, std::optional<std::vector<bool>>) const;
template std::vector<int> Section::list<int>(std::string_view, std::optional<std::vector<int>>) const;
template std::vector<std::int64_t> Section::list<std::int64_t>(std::string_view,
                                                               std::optional<std::vector<std::int64_t>>) const;
template std::vector<float> Section::list<float>(std::string_view, std::optional<std::vector<float>>) const;
template std::vector<double> Section::list<double>(std::string_view, std::optional<std::vector<double>>) const;
template std::vector<std::string> Section::list<std::string>(std::string_view,
                                                             std::optional<std::vector<std::string>>) const;

}  // namespace recur::config
