#include "recur/pipeline/shortlist_file.h"

#include <span>

#include "recur/config/section.h"
#include "recur/core/error.h"
#include "recur/nn/safetensors.h"

namespace recur {

namespace {

constexpr const char* kFormat = "recur-shortlist";
constexpr const char* kVersion = "1";

template <class T>
std::vector<T> values(const safetensors::File& f, const char* name, DType dtype, std::int64_t rank) {
  if (!f.contains(name)) throw IoError(f.name() + ": not a shortlist: no tensor '" + name + "'");
  const Tensor t = f.get(name);
  if (t.dtype() != dtype || t.rank() != rank) {
    throw IoError(f.name() + ": shortlist tensor '" + name + "' must be " + std::string(dtype_name(dtype)) +
                  " of rank " + std::to_string(rank) + ", got " + std::string(dtype_name(t.dtype())) + " " +
                  shape_str(t.shape()));
  }
  const T* p = t.data<T>();
  return std::vector<T>(p, p + t.numel());
}

}  // namespace

std::optional<ShortlistSettings> parse_shortlist_settings(const config::Section& search) {
  if (!search.has("shortlist")) return std::nullopt;
  const config::Section s = search.section("shortlist");
  ShortlistSettings out;
  out.file = s.path_value("file");
  out.options.top_k = s.get<std::int64_t>("top_k", out.options.top_k);
  out.options.frequent = s.get<std::int64_t>("frequent", out.options.frequent);
  out.enabled = s.get<bool>("enabled", out.enabled);
  s.finish();
  if (auto problem = search::check(out.options)) s.fail(problem->key, problem->message);
  return out;
}

search::Shortlist load_shortlist(const std::filesystem::path& path) {
  const safetensors::File f = safetensors::File::open(path);  // IoError naming the file
  const auto& meta = f.metadata();
  auto field = [&](const char* key) -> std::string {
    auto it = meta.find(key);
    return it == meta.end() ? std::string() : it->second;
  };
  if (field("format") != kFormat) {
    throw IoError(path.string() + ": not a shortlist (metadata format '" + field("format") + "', expected '" +
                  kFormat + "')");
  }
  if (field("version") != kVersion) {
    throw IoError(path.string() + ": shortlist version '" + field("version") + "', this recur reads version " +
                  kVersion);
  }
  std::int64_t target_vocab = 0;
  try {
    target_vocab = std::stoll(field("target_vocab"));
  } catch (const std::exception&) {
    throw IoError(path.string() + ": shortlist metadata target_vocab '" + field("target_vocab") +
                  "' is not an integer");
  }
  std::int64_t top_k = 0;  // optional: the longest list stands for it
  if (!field("top_k").empty()) {
    try {
      top_k = std::stoll(field("top_k"));
    } catch (const std::exception&) {
      throw IoError(path.string() + ": shortlist metadata top_k '" + field("top_k") + "' is not an integer");
    }
  }
  try {
    return search::Shortlist(target_vocab, values<std::int64_t>(f, "offsets", DType::i64, 1),
                             values<std::int32_t>(f, "targets", DType::i32, 1),
                             values<std::int32_t>(f, "by_frequency", DType::i32, 1), top_k);
  } catch (const IoError&) {
    throw;
  } catch (const Error& e) {
    throw IoError(path.string() + ": corrupt shortlist: " + e.what());
  }
}

void save_shortlist(const std::filesystem::path& path, const search::Shortlist& table,
                    const std::map<std::string, std::string>& metadata) {
  auto i64 = [](const std::vector<std::int64_t>& v) {
    return Tensor::from<std::int64_t>({static_cast<std::int64_t>(v.size())}, std::span<const std::int64_t>(v));
  };
  auto i32 = [](const std::vector<std::int32_t>& v) {
    return Tensor::from<std::int32_t>({static_cast<std::int64_t>(v.size())}, std::span<const std::int32_t>(v));
  };
  std::map<std::string, std::string> meta = metadata;
  meta.insert_or_assign("format", std::string(kFormat));
  meta.insert_or_assign("version", std::string(kVersion));
  meta.insert_or_assign("target_vocab", std::to_string(table.target_vocab()));
  meta.insert_or_assign("top_k", std::to_string(table.learned_top_k()));
  safetensors::save(path, {{"offsets", i64(table.offsets())}, {"targets", i32(table.targets())},
                           {"by_frequency", i32(table.by_frequency())}},
                    meta);
}

}  // namespace recur
