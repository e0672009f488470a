#include "recur/viz/confidence_records.h"

#include <cmath>

#include "jsonl.h"

namespace recur::viz {
namespace {

using jsonl::json;
using jsonl::Place;

// One step's candidates: a non-empty list of [piece, probability in [0, 1]].
std::vector<TokenCandidate> candidates(const json& row, std::size_t step, const Place& at) {
  const std::string where = "step " + std::to_string(step) + ": ";
  if (!row.is_array() || row.empty()) {
    at.fail("top_k", where + "expected a non-empty list of [piece, probability], found " + row.dump());
  }
  std::vector<TokenCandidate> result;
  for (const json& pair : row) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_number()) {
      at.fail("top_k", where + "expected [piece, probability], found " + pair.dump());
    }
    const double p = pair[1].get<double>();
    if (!std::isfinite(p) || p < 0 || p > 1) {
      at.fail("top_k", where + "a probability is in [0, 1], found " + pair[1].dump());
    }
    result.push_back({pair[0].get<std::string>(), static_cast<float>(p)});
  }
  return result;
}

}  // namespace

std::vector<TokenConfidence> read_confidence(const std::filesystem::path& file,
                                             const std::vector<std::uint64_t>& lines) {
  std::vector<TokenConfidence> all;
  jsonl::for_each_record(file, [&](const json& j, const Place& at) {
    if (j.contains("attention")) {
      at.fail("attention", "this is an attention record: use 'recur plot attention' (or write --confidence FILE)");
    }
    TokenConfidence r;
    r.line = jsonl::count(j, "line", at);
    r.tokens = jsonl::strings(j, "tokens", at);
    const json& top = jsonl::field(j, "top_k", at);
    if (!top.is_array()) at.fail("top_k", "expected a list of steps");
    if (top.size() != r.tokens.size()) {
      at.fail("top_k", "expected " + std::to_string(r.tokens.size()) + " steps (one per token), found " +
                           std::to_string(top.size()));
    }
    for (std::size_t s = 0; s < top.size(); ++s) r.top_k.push_back(candidates(top[s], s, at));
    all.push_back(std::move(r));
  });
  return jsonl::select(file, std::move(all), lines);
}

}  // namespace recur::viz
