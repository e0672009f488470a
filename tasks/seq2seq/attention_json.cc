#include "attention_json.h"

#include <nlohmann/json.hpp>

namespace recur::tasks {

void write_attention_json(std::ostream& out, std::uint64_t line, const std::vector<std::string>& source,
                          std::size_t source_length, const search::Hypothesis* best,
                          std::vector<std::string> target) {
  nlohmann::json j;
  j["line"] = line;
  j["source"] = source;
  nlohmann::json matrix = nlohmann::json::array();
  if (best) {
    if (best->attention.size() > best->ids.size()) target.push_back("</s>");
    for (const auto& row : best->attention) {
      // Only the real source positions: the row may be padded to the batch width.
      std::vector<float> r(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(std::min(row.size(), source_length)));
      matrix.push_back(r);
    }
  } else {
    target.clear();
  }
  j["target"] = target;
  j["attention"] = matrix;
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace recur::tasks
