#include "recur/metrics/rouge.h"

#include <algorithm>
#include <map>

#include "corpus.h"
#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::metrics {
namespace {

std::vector<std::u32string> tokens_of(std::string_view sentence) { return rouge_tokens(sentence); }

RougeScore f_measure(std::size_t matches, std::size_t hyp, std::size_t ref, double beta) {
  RougeScore s;
  if (matches == 0) return s;
  s.precision = static_cast<double>(matches) / static_cast<double>(hyp);
  s.recall = static_cast<double>(matches) / static_cast<double>(ref);
  const double b2 = beta * beta;
  s.f = (1.0 + b2) * s.precision * s.recall / (s.recall + b2 * s.precision);
  return s;
}

RougeLScore score_tokens(const std::vector<std::u32string>& hyp, const std::vector<std::u32string>& ref,
                         double beta) {
  return f_measure(lcs_length(hyp, ref), hyp.size(), ref.size(), beta);
}

using NGramCounts = std::map<std::vector<std::u32string>, std::size_t>;

NGramCounts ngrams(const std::vector<std::u32string>& tokens, int n) {
  NGramCounts counts;
  const auto k = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i + k <= tokens.size(); ++i) {
    ++counts[std::vector<std::u32string>(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                         tokens.begin() + static_cast<std::ptrdiff_t>(i + k))];
  }
  return counts;
}

RougeScore score_ngrams(const std::vector<std::u32string>& hyp, const std::vector<std::u32string>& ref,
                        int n, double beta) {
  const NGramCounts h = ngrams(hyp, n), r = ngrams(ref, n);
  std::size_t matches = 0, hyp_total = 0, ref_total = 0;
  for (const auto& [gram, count] : h) {
    hyp_total += count;
    if (auto it = r.find(gram); it != r.end()) matches += std::min(count, it->second);
  }
  for (const auto& [gram, count] : r) ref_total += count;
  return f_measure(matches, hyp_total, ref_total, beta);
}

void check_options(const RougeOptions& o) {
  if (!(o.beta > 0.0)) throw Error("rouge: beta must be positive");
}

// Mean over segments of the best F against any reference, times 100.
template <class Score>
double corpus_mean(const char* name, const std::vector<std::string>& hypotheses,
                   const std::vector<std::vector<std::string>>& references, const Score& score) {
  double sum = 0.0;
  detail::for_each_segment(name, hypotheses, references,
                           [&](std::string_view hyp, const std::vector<std::string_view>& refs) {
                             const std::vector<std::u32string> h = tokens_of(hyp);
                             double best = 0.0;
                             for (std::string_view r : detail::usable_references(refs)) {
                               best = std::max(best, score(h, tokens_of(r)).f);
                             }
                             sum += best;
                           });
  return hypotheses.empty() ? 0.0 : 100.0 * sum / static_cast<double>(hypotheses.size());
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
  return corpus_mean("rouge-l", hypotheses, references,
                     [&](const auto& h, const auto& r) { return score_tokens(h, r, options.beta); });
}

std::vector<std::u32string> rouge_tokens(std::string_view text) {
  std::vector<std::u32string> tokens;
  std::u32string current;
  for (char32_t c : text::to_lower(text::decode_utf8(text))) {
    const bool ascii_separator = c < 0x80 && !((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9'));
    if (ascii_separator || text::is_space(c)) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

RougeScore rouge_n_segment(std::string_view hypothesis, std::string_view reference, int n,
                           const RougeOptions& options) {
  check_options(options);
  if (n < 1) throw Error("rouge-n: n must be at least 1");
  return score_ngrams(tokens_of(hypothesis), tokens_of(reference), n, options.beta);
}

double corpus_rouge_n(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, int n,
                      const RougeOptions& options) {
  check_options(options);
  if (n < 1) throw Error("rouge-n: n must be at least 1");
  return corpus_mean("rouge-n", hypotheses, references,
                     [&](const auto& h, const auto& r) { return score_ngrams(h, r, n, options.beta); });
}

}  // namespace recur::metrics
