// A shortlist file and the pipeline's search.shortlist settings: a table read back equals
// the one written, and every defect of a file is an IoError naming it.
#include "recur/pipeline/shortlist_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "framework/nn/temp_dir.h"
#include "recur/config/section.h"
#include "recur/core/error.h"
#include "recur/nn/safetensors.h"

namespace recur {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

search::Shortlist table() { return search::Shortlist(6, {0, 2, 2, 3}, {4, 1, 5}, {1, 4, 5, 0}); }

// The IoError message of loading `path` ("" if it loads).
std::string load_error(const std::filesystem::path& path) {
  try {
    load_shortlist(path);
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

TEST(ShortlistFile, ReadsBackWhatItWrote) {
  TempDir dir;
  save_shortlist(dir / "sl.safetensors", table(), {{"pairs", "8"}});
  const search::Shortlist t = load_shortlist(dir / "sl.safetensors");
  EXPECT_EQ(t.target_vocab(), 6);
  EXPECT_EQ(t.offsets(), table().offsets());
  EXPECT_EQ(t.targets(), table().targets());
  EXPECT_EQ(t.by_frequency(), table().by_frequency());
  EXPECT_EQ(t.learned_top_k(), 2);  // the longest list, written as the metadata top_k
  EXPECT_EQ(safetensors::File::open(dir / "sl.safetensors").metadata().at("pairs"), "8");
}

TEST(ShortlistFile, DefectsAreErrorsNamingTheFile) {
  TempDir dir;
  const auto file = dir / "sl.safetensors";
  EXPECT_THAT(load_error(dir / "missing.safetensors"), HasSubstr("missing.safetensors"));

  save_shortlist(file, table());
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 5);  // truncated
  EXPECT_THAT(load_error(file), HasSubstr(file.string()));

  std::ofstream(file, std::ios::binary | std::ios::trunc) << "not a shortlist at all";
  EXPECT_THAT(load_error(file), HasSubstr(file.string()));

  // A safetensors file of something else.
  safetensors::save(file, {{"offsets", Tensor::zeros({2})}});
  EXPECT_THAT(load_error(file), HasSubstr(file.string() + ": not a shortlist (metadata format"));

  // The right format with arrays that do not fit: a target id outside the vocabulary.
  const auto i64 = [](std::vector<std::int64_t> v) {
    return Tensor::from<std::int64_t>({static_cast<std::int64_t>(v.size())}, std::span<const std::int64_t>(v));
  };
  const auto i32 = [](std::vector<std::int32_t> v) {
    return Tensor::from<std::int32_t>({static_cast<std::int64_t>(v.size())}, std::span<const std::int32_t>(v));
  };
  const std::map<std::string, std::string> meta{{"format", "recur-shortlist"}, {"version", "1"}, {"target_vocab", "6"}};
  safetensors::save(file, {{"offsets", i64({0, 1})}, {"targets", i32({9})}, {"by_frequency", i32({0})}}, meta);
  EXPECT_THAT(load_error(file), HasSubstr(file.string() + ": corrupt shortlist: the candidates hold target id 9"));
  // A missing tensor, a tensor of the wrong type, another version.
  safetensors::save(file, {{"offsets", i64({0, 1})}, {"targets", i32({1})}}, meta);
  EXPECT_THAT(load_error(file), HasSubstr(file.string() + ": not a shortlist: no tensor 'by_frequency'"));
  safetensors::save(file, {{"offsets", i64({0, 1})}, {"targets", i64({1})}, {"by_frequency", i32({0})}}, meta);
  EXPECT_THAT(load_error(file), HasSubstr("'targets' must be i32"));
  auto v2 = meta;
  v2["version"] = "2";
  safetensors::save(file, {{"offsets", i64({0, 1})}, {"targets", i32({1})}, {"by_frequency", i32({0})}}, v2);
  EXPECT_THAT(load_error(file), HasSubstr(file.string() + ": shortlist version '2'"));
}

std::optional<ShortlistSettings> parse(const std::string& yaml) {
  const config::Section root = config::load_string(yaml, "p.yaml", "/models/m");
  return parse_shortlist_settings(root.optional_section("search"));
}

std::string parse_error(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ShortlistSettings, ParsedFromTheSearchSection) {
  EXPECT_FALSE(parse("search: {beam_size: 5}\n"));
  auto s = parse("search:\n  shortlist: {file: sl.safetensors, top_k: 20, frequent: 300, enabled: false}\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->file, std::filesystem::path("/models/m/sl.safetensors"));
  EXPECT_EQ(s->options.top_k, 20);
  EXPECT_EQ(s->options.frequent, 300);
  EXPECT_FALSE(s->enabled);
  s = parse("search:\n  shortlist: {file: sl.safetensors}\n");
  EXPECT_EQ(s->options.top_k, 50);
  EXPECT_TRUE(s->enabled);

  EXPECT_THAT(parse_error("search:\n  shortlist: {top_k: 5}\n"), HasSubstr("search.shortlist"));
  EXPECT_THAT(parse_error("search:\n  shortlist: {file: a, top_k: -1}\n"), HasSubstr("p.yaml:2:"));
  EXPECT_THAT(parse_error("search:\n  shortlist: {file: a, top_k: -1}\n"), HasSubstr("search.shortlist.top_k"));
  EXPECT_THAT(parse_error("search:\n  shortlist: {file: a, topk: 5}\n"), HasSubstr("topk"));
}

}  // namespace
}  // namespace recur
