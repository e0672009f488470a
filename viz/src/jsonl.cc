#include "jsonl.h"

#include <fstream>

namespace recur::viz::jsonl {

void Place::fail(const std::string& name, const std::string& message) const {
  throw Error(file + ":" + std::to_string(line) + ": field '" + name + "': " + message);
}

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

}  // namespace recur::viz::jsonl
