#include "recur/metrics/rouge.h"

#include <algorithm>

#include "corpus.h"
#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::metrics {
namespace {

std::vector<std::u32string> tokens_of(std::string_view sentence) {
  return text::split_whitespace(text::to_lower(text::decode_utf8(sentence)));
}

RougeLScore score_tokens(const std::vector<std::u32string>& hyp, const std::vector<std::u32string>& ref,
                         double beta) {
  RougeLScore s;
  const std::size_t lcs = lcs_length(hyp, ref);
  if (lcs == 0) return s;
  s.precision = static_cast<double>(lcs) / hyp.size();
  s.recall = static_cast<double>(lcs) / ref.size();
  const double b2 = beta * beta;
  s.f = (1.0 + b2) * s.precision * s.recall / (s.recall + b2 * s.precision);
  return s;
}

void check_options(const RougeOptions& o) {
  if (!(o.beta > 0.0)) throw Error("rouge-l: beta must be positive");
}

}  // namespace

std::size_t lcs_length(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b) {
  // One row of the classic dynamic programme: row[j] = LCS(a[0..i), b[0..j)).
  std::vector<std::size_t> row(b.size() + 1, 0);
  for (const std::u32string& x : a) {
    std::size_t diagonal = 0;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = (x == b[j - 1]) ? diagonal + 1 : std::max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.size()];
}

RougeLScore rouge_l_segment(std::string_view hypothesis, std::string_view reference, const RougeOptions& options) {
  check_options(options);
  return score_tokens(tokens_of(hypothesis), tokens_of(reference), options.beta);
}

double corpus_rouge_l(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, const RougeOptions& options) {
  check_options(options);
  double sum = 0.0;
  detail::for_each_segment("rouge-l", hypotheses, references,
                           [&](std::string_view hyp, const std::vector<std::string_view>& refs) {
                             const std::vector<std::u32string> h = tokens_of(hyp);
                             double best = 0.0;
                             for (std::string_view r : detail::usable_references(refs)) {
                               best = std::max(best, score_tokens(h, tokens_of(r), options.beta).f);
                             }
                             sum += best;
                           });
  return hypotheses.empty() ? 0.0 : 100.0 * sum / static_cast<double>(hypotheses.size());
}

}  // namespace recur::metrics
