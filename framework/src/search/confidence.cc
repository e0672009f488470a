#include "recur/search/confidence.h"

#include <string>

#include "recur/core/error.h"
#include "recur/ops/softmax.h"
#include "row_picks.h"

namespace recur::search {

std::vector<StepCandidates> next_token_candidates(Decoder& decoder, const Memory& memory,
                                                  const std::vector<std::vector<std::int64_t>>& prefixes,
                                                  const std::vector<std::vector<std::int64_t>>& chosen,
                                                  std::int64_t bos_id, std::int64_t k) {
  if (prefixes.size() != chosen.size()) {
    throw ShapeError("confidence: " + std::to_string(prefixes.size()) + " prefixes for " +
                     std::to_string(chosen.size()) + " outputs");
  }
  if (k < 1) throw Error("confidence: k must be at least 1, got " + std::to_string(k));
  const auto b = static_cast<std::int64_t>(chosen.size());
  if (b == 0) return {};
  std::size_t longest = 0;
  for (std::size_t r = 0; r < chosen.size(); ++r) longest = std::max(longest, prefixes[r].size() + chosen[r].size());
  // bos + prefix + chosen: the last position predicts what follows the last chosen token.
  // Rows are padded with bos; positions after a row's end are never read.
  const auto t = static_cast<std::int64_t>(longest) + 1;
  std::vector<std::int64_t> ids(static_cast<std::size_t>(b * t), bos_id);
  for (std::size_t r = 0; r < chosen.size(); ++r) {
    std::int64_t* row = ids.data() + static_cast<std::int64_t>(r) * t;
    std::size_t at = 1;
    for (std::int64_t id : prefixes[r]) row[at++] = id;
    for (std::int64_t id : chosen[r]) row[at++] = id;
  }
  const Tensor log_probs = ops::log_softmax(decoder.forward(memory, Tensor::from<std::int64_t>({b, t}, ids)), -1);
  if (log_probs.rank() != 3 || log_probs.dim(0) != b || log_probs.dim(1) != t) {
    throw ShapeError("confidence: the decoder's forward gave " + shape_str(log_probs.shape()) + " for ids " +
                     shape_str({b, t}));
  }
  const std::int64_t v = log_probs.dim(2);
  const float* lp = log_probs.data<float>();
  std::vector<StepCandidates> result(chosen.size());
  for (std::size_t r = 0; r < chosen.size(); ++r) {
    const std::size_t first = prefixes[r].size();  // the position that chose chosen[r][0]
    for (std::size_t s = first; s <= first + chosen[r].size(); ++s) {
      const float* row = lp + (static_cast<std::int64_t>(r) * t + static_cast<std::int64_t>(s)) * v;
      std::vector<Candidate>& step = result[r].emplace_back();
      for (const auto& [value, id] : detail::top_k(row, v, k)) step.push_back({id, std::exp(value)});
    }
  }
  return result;
}

}  // namespace recur::search
