#include "recur/viz/attention_records.h"

#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "recur/core/error.h"

namespace recur::viz {
namespace {

using nlohmann::json;

// Where a record came from, for error messages: "FILE:LINE".
struct Place {
  std::string file;
  std::uint64_t line;
  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw Error(file + ":" + std::to_string(line) + ": field '" + field + "': " + message);
  }
};

const json& field(const json& j, const char* name, const Place& at) {
  auto it = j.find(name);
  if (it == j.end()) at.fail(name, "missing");
  return *it;
}

std::vector<std::string> strings(const json& j, const char* name, const Place& at) {
  const json& v = field(j, name, at);
  if (!v.is_array()) at.fail(name, "expected a list of strings");
  std::vector<std::string> result;
  for (const json& s : v) {
    if (!s.is_string()) at.fail(name, "expected a list of strings, found " + s.dump());
    result.push_back(s.get<std::string>());
  }
  return result;
}

std::uint64_t count(const json& j, const char* name, const Place& at) {
  const json& v = field(j, name, at);
  if (!v.is_number_unsigned()) at.fail(name, "expected a non-negative integer, found " + v.dump());
  return v.get<std::uint64_t>();
}

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

// Calls `parse` on every non-blank line of `file` as a JSON object.
void for_each_record(const std::filesystem::path& file,
                     const std::function<void(const json&, const Place&)>& parse) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot open " + file.string());
  std::string text;
  Place at{file.string(), 0};
  while (std::getline(in, text)) {
    ++at.line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw Error(at.file + ":" + std::to_string(at.line) + ": not a JSON object");
    }
    parse(j, at);
  }
  if (in.bad()) throw IoError("cannot read " + file.string());
}

// The records answering `lines`, in that order.
template <typename Record>
std::vector<Record> select(const std::filesystem::path& file, std::vector<Record> all,
                           const std::vector<std::uint64_t>& lines) {
  if (lines.empty()) return all;
  std::map<std::uint64_t, std::size_t> index;
  for (std::size_t i = 0; i < all.size(); ++i) index.emplace(all[i].line, i);
  std::vector<Record> result;
  for (std::uint64_t line : lines) {
    auto it = index.find(line);
    if (it == index.end()) {
      throw Error(file.string() + ": no record for line " + std::to_string(line) +
                  (all.empty() ? std::string(" (the file has no records)")
                               : " (records cover lines " + std::to_string(index.begin()->first) +
                                     "-" + std::to_string(index.rbegin()->first) + ")"));
    }
    result.push_back(all[it->second]);
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
