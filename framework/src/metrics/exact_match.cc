#include "recur/metrics/exact_match.h"

#include "corpus.h"
#include "recur/text/utf8.h"

namespace recur::metrics {

std::string normalise_whitespace(std::string_view text) {
  std::string out;
  for (const std::string& word : text::split_whitespace(text)) {
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

double corpus_exact_match(const std::vector<std::string>& hypotheses,
                          const std::vector<std::vector<std::string>>& references) {
  std::size_t matches = 0;
  detail::for_each_segment("exact", hypotheses, references,
                           [&](std::string_view hyp, const std::vector<std::string_view>& refs) {
                             const std::string h = normalise_whitespace(hyp);
                             for (std::string_view r : detail::usable_references(refs)) {
                               if (normalise_whitespace(r) == h) {
                                 ++matches;
                                 break;
                               }
                             }
                           });
  return hypotheses.empty() ? 0.0 : 100.0 * matches / hypotheses.size();
}

}  // namespace recur::metrics
