#include "attention_json.h"

#include <nlohmann/json.hpp>

namespace recur::tasks {

void write_attention_json(std::ostream& out, std::uint64_t line,
                          const std::vector<std::int64_t>& source_ids,
                          const search::Hypothesis* best, const Tokenizer& source,
                          const Tokenizer& target) {
  nlohmann::json j;
  j["line"] = line;
  j["source"] = source_ids.empty() ? std::vector<std::string>{} : source.pieces(source_ids);
  std::vector<std::string> target_pieces;
  nlohmann::json matrix = nlohmann::json::array();
  if (best) {
    target_pieces = target.pieces(best->ids);
    if (best->attention.size() > best->ids.size()) target_pieces.push_back("</s>");
    for (const auto& row : best->attention) {
      // Only the real source positions: the row may be padded to the batch width.
      std::vector<float> r(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(std::min(row.size(), source_ids.size())));
      matrix.push_back(r);
    }
  }
  j["target"] = target_pieces;
  j["attention"] = matrix;
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace recur::tasks
