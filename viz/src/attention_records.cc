#include "recur/viz/attention_records.h"

#include "jsonl.h"

namespace recur::viz {
namespace {

using jsonl::count;
using jsonl::field;
using jsonl::json;
using jsonl::Place;
using jsonl::strings;
using jsonl::for_each_record;
using jsonl::select;

// `rows` rows of `width` numbers each.
std::vector<std::vector<float>> matrix(const json& j, std::size_t rows, std::size_t width,
                                       const std::string& rows_are, const std::string& width_is,
                                       const Place& at) {
  const json& v = field(j, "attention", at);
  if (!v.is_array()) at.fail("attention", "expected a list of rows");
  if (v.size() != rows) {
    at.fail("attention", "expected " + std::to_string(rows) + " rows (" + rows_are + "), found " +
                             std::to_string(v.size()));
  }
  std::vector<std::vector<float>> result;
  for (std::size_t r = 0; r < v.size(); ++r) {
    const json& row = v[r];
    const std::string where = "row " + std::to_string(r) + ": ";
    if (!row.is_array() || row.size() != width) {
      at.fail("attention", where + "expected " + std::to_string(width) + " numbers (" + width_is +
                               "), found " +
                               (row.is_array() ? std::to_string(row.size()) : row.dump()));
    }
    std::vector<float>& out = result.emplace_back();
    for (const json& x : row) {
      if (!x.is_number()) at.fail("attention", where + "not a number: " + x.dump());
      out.push_back(x.get<float>());
    }
  }
  return result;
}

}  // namespace

std::vector<TextAttention> read_text_attention(const std::filesystem::path& file,
                                               const std::vector<std::uint64_t>& lines) {
  std::vector<TextAttention> all;
  for_each_record(file, [&](const json& j, const Place& at) {
    if (j.contains("grid")) {
      at.fail("grid", "this is image attention (captioning): use 'recur plot image-attention'");
    }
    TextAttention r;
    r.line = count(j, "line", at);
    r.source = strings(j, "source", at);
    r.target = strings(j, "target", at);
    r.weights = matrix(j, r.target.size(), r.source.size(), "one per target piece",
                       "one per source piece", at);
    all.push_back(std::move(r));
  });
  return select(file, std::move(all), lines);
}

std::vector<ImageAttention> read_image_attention(const std::filesystem::path& file,
                                                 const std::vector<std::uint64_t>& lines) {
  std::vector<ImageAttention> all;
  for_each_record(file, [&](const json& j, const Place& at) {
    ImageAttention r;
    r.line = count(j, "line", at);
    const json& path = field(j, "path", at);
    if (!path.is_string()) at.fail("path", "expected a string, found " + path.dump());
    r.path = path.get<std::string>();
    r.words = strings(j, "words", at);
    const json& grid = field(j, "grid", at);
    const bool empty = r.words.empty() && grid.is_array() && grid.empty();
    if (!empty) {
      if (!grid.is_array() || grid.size() != 2 || !grid[0].is_number_unsigned() ||
          !grid[1].is_number_unsigned() || grid[0].get<std::uint64_t>() == 0 ||
          grid[1].get<std::uint64_t>() == 0 || grid[0].get<std::uint64_t>() > 4096 ||
          grid[1].get<std::uint64_t>() > 4096) {
        at.fail("grid", "expected [GH, GW] with two positive integers, found " + grid.dump());
      }
      r.grid_h = grid[0].get<int>();
      r.grid_w = grid[1].get<int>();
    }
    r.weights = matrix(j, r.words.size(), static_cast<std::size_t>(r.grid_h) * r.grid_w,
                       "one per word", "GH*GW", at);
    all.push_back(std::move(r));
  });
  return select(file, std::move(all), lines);
}

}  // namespace recur::viz
