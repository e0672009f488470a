#include "recur/metrics/chrf.h"

#include <unordered_map>

#include "corpus.h"
#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::metrics {
namespace {

// N-gram keys are views into the segment's characters, which must outlive them.
using CharNgrams = std::vector<std::unordered_map<std::u32string_view, std::int64_t>>;

std::u32string characters(std::string_view sentence, const ChrfOptions& o) {
  std::u32string chars = text::decode_utf8(sentence);
  if (!o.whitespace) std::erase_if(chars, [](char32_t c) { return text::is_space(c); });
  return chars;
}

CharNgrams count_char_ngrams(std::u32string_view chars, int char_order) {
  CharNgrams out(char_order);
  for (std::size_t n = 1; n <= out.size(); ++n) {
    for (std::size_t i = 0; i + n <= chars.size(); ++i) ++out[n - 1][chars.substr(i, n)];
  }
  return out;
}

ChrfStats match(const CharNgrams& hyp, const CharNgrams& ref) {
  ChrfStats s;
  for (std::size_t n = 0; n < hyp.size(); ++n) {
    std::int64_t hyp_count = 0, ref_count = 0, matches = 0;
    for (const auto& [ngram, count] : hyp[n]) {
      hyp_count += count;
      const auto it = ref[n].find(ngram);
      if (it != ref[n].end()) matches += std::min(count, it->second);
    }
    for (const auto& entry : ref[n]) ref_count += entry.second;
    // sacreBLEU counts no hypothesis n-grams of an order the reference lacks.
    s.hyp.push_back(ref[n].empty() ? 0 : hyp_count);
    s.ref.push_back(ref_count);
    s.match.push_back(matches);
  }
  return s;
}

void check_options(const ChrfOptions& o) {
  if (o.char_order < 1) throw Error("chrf: char_order must be at least 1");
  if (!(o.beta > 0.0)) throw Error("chrf: beta must be positive");
}

}  // namespace

ChrfStats& ChrfStats::operator+=(const ChrfStats& other) {
  if (hyp.empty()) {
    hyp.assign(other.hyp.size(), 0);
    ref.assign(other.ref.size(), 0);
    match.assign(other.match.size(), 0);
  }
  if (other.hyp.size() != hyp.size()) throw Error("chrf: adding statistics of different orders");
  for (std::size_t n = 0; n < hyp.size(); ++n) {
    hyp[n] += other.hyp[n];
    ref[n] += other.ref[n];
    match[n] += other.match[n];
  }
  return *this;
}

double compute_chrf(const ChrfStats& stats, const ChrfOptions& options) {
  check_options(options);
  const std::size_t order = static_cast<std::size_t>(options.char_order);
  if (stats.hyp.size() != order || stats.ref.size() != order || stats.match.size() != order) {
    throw Error("chrf: statistics do not have " + std::to_string(order) + " orders");
  }
  constexpr double kEps = 1e-16;
  const double factor = options.beta * options.beta;
  double eps_score = 0.0, avg_prec = 0.0, avg_rec = 0.0;
  int effective_order = 0;
  for (std::size_t n = 0; n < order; ++n) {
    const double prec = stats.hyp[n] > 0 ? static_cast<double>(stats.match[n]) / stats.hyp[n] : kEps;
    const double rec = stats.ref[n] > 0 ? static_cast<double>(stats.match[n]) / stats.ref[n] : kEps;
    const double denom = factor * prec + rec;
    eps_score += denom > 0.0 ? (1.0 + factor) * prec * rec / denom : kEps;
    if (stats.hyp[n] > 0 && stats.ref[n] > 0) {
      avg_prec += prec;
      avg_rec += rec;
      ++effective_order;
    }
  }
  if (options.eps_smoothing) return 100.0 * eps_score / static_cast<double>(order);
  if (effective_order == 0) return 0.0;
  avg_prec /= effective_order;
  avg_rec /= effective_order;
  if (avg_prec + avg_rec == 0.0) return 0.0;
  return 100.0 * (1.0 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec);
}

ChrfStats chrf_segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                             const ChrfOptions& options) {
  check_options(options);
  const std::u32string hyp_chars = characters(hypothesis, options);
  const CharNgrams hyp = count_char_ngrams(hyp_chars, options.char_order);
  ChrfStats best;
  double best_f = -1.0;
  for (std::string_view ref : detail::usable_references(references)) {
    const std::u32string ref_chars = characters(ref, options);
    ChrfStats s = match(hyp, count_char_ngrams(ref_chars, options.char_order));
    const double f = compute_chrf(s, options);
    if (f > best_f) best_f = f, best = std::move(s);
  }
  return best;
}

double corpus_chrf(const std::vector<std::string>& hypotheses,
                   const std::vector<std::vector<std::string>>& references, const ChrfOptions& options) {
  check_options(options);
  ChrfStats total;
  total.hyp.assign(options.char_order, 0);
  total.ref.assign(options.char_order, 0);
  total.match.assign(options.char_order, 0);
  detail::for_each_segment("chrf", hypotheses, references,
                           [&](std::string_view hyp, const std::vector<std::string_view>& refs) {
                             total += chrf_segment_stats(hyp, refs, options);
                           });
  return compute_chrf(total, options);
}

}  // namespace recur::metrics
