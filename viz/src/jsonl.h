// Reading JSON lines records, checked field by field (private to viz/src): every error
// names FILE:LINE and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recur/core/error.h"

namespace recur::viz::jsonl {

using nlohmann::json;

// Where a record came from, for error messages: "FILE:LINE".
struct Place {
  std::string file;
  std::uint64_t line;
  [[noreturn]] void fail(const std::string& field, const std::string& message) const;
};

const json& field(const json& j, const char* name, const Place& at);
std::vector<std::string> strings(const json& j, const char* name, const Place& at);
std::uint64_t count(const json& j, const char* name, const Place& at);

// Calls `parse` on every non-blank line of `file` as a JSON object.
void for_each_record(const std::filesystem::path& file,
                     const std::function<void(const json&, const Place&)>& parse);

// The records answering `lines` (Record::line), in that order; every record when `lines`
// is empty. A line with no record is an error listing the lines the file covers.
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

}  // namespace recur::viz::jsonl
