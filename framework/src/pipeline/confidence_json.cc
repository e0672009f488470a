#include "recur/pipeline/confidence_json.h"

#include <cmath>
#include <string>
#include <nlohmann/json.hpp>

#include "recur/core/error.h"

namespace recur {

void write_confidence_json(std::ostream& out, std::uint64_t line, const std::vector<std::int64_t>& chosen,
                           const search::StepCandidates& steps, const Tokenizer& target) {
  write_confidence_json(out, line, chosen, steps, target.eos_id(),
                        [&target](const std::vector<std::int64_t>& ids) { return target.pieces(ids); });
}

void write_confidence_json(std::ostream& out, std::uint64_t line, const std::vector<std::int64_t>& chosen,
                           const search::StepCandidates& steps, std::int64_t eos_id, const PiecesOf& pieces_of) {
  nlohmann::json tokens = nlohmann::json::array(), top = nlohmann::json::array();
  if (!steps.empty()) {
    if (steps.size() != chosen.size() + 1) {
      // Appended, not "literal" + std::to_string(): GCC 12 warns falsely on the latter
      // (-Wrestrict, its bug 105329).
      std::string message = "confidence: ";
      message.append(std::to_string(steps.size())).append(" steps for ");
      message.append(std::to_string(chosen.size())).append(" chosen tokens and eos");
      throw ShapeError(message);
    }
    std::vector<std::int64_t> with_eos = chosen;
    with_eos.push_back(eos_id);
    for (const std::string& piece : pieces_of(with_eos)) tokens.push_back(piece);
    for (const auto& step : steps) {
      std::vector<std::int64_t> ids;
      for (const auto& c : step) ids.push_back(c.id);
      const std::vector<std::string> pieces = pieces_of(ids);
      nlohmann::json row = nlohmann::json::array();
      // Six decimals: enough to read and to plot, a third of the bytes of a float's digits.
      for (std::size_t i = 0; i < step.size(); ++i) {
        row.push_back({pieces[i], std::round(static_cast<double>(step[i].probability) * 1e6) / 1e6});
      }
      top.push_back(std::move(row));
    }
  }
  nlohmann::json j;
  j["line"] = line;
  j["tokens"] = std::move(tokens);
  j["top_k"] = std::move(top);
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace recur
