#include "recur/metrics/cider.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "corpus.h"
#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::metrics {
namespace {

constexpr std::u32string_view kPunctuation = U"'\"`()[]{}.?!,:;-";

// N-grams of one caption: tokens joined by ' ' (tokens hold no whitespace) -> count.
using Counts = std::unordered_map<std::string, int>;

struct Vector {
  std::vector<std::unordered_map<std::string, double>> weights;  // per order
  std::vector<double> norms;                                     // per order
  int length = 0;                                                // bigrams
};

Counts ngram_counts(std::string_view caption, int max_order) {
  const std::vector<std::string> words = cider_tokens(caption);
  Counts counts;
  for (int n = 1; n <= max_order; ++n) {
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      std::string gram = words[i];
      for (int k = 1; k < n; ++k) gram += ' ' + words[i + k];
      ++counts[gram];
    }
  }
  return counts;
}

int order_of(const std::string& gram) {
  int spaces = 0;
  for (char c : gram) spaces += c == ' ';
  return spaces + 1;
}

// TF-IDF weights; an n-gram no reference has gets the largest idf, log |I|.
Vector vectorise(const Counts& counts, const std::unordered_map<std::string, int>& df,
                 double log_images, int max_order) {
  Vector v;
  v.weights.resize(max_order);
  v.norms.assign(max_order, 0.0);
  for (const auto& [gram, tf] : counts) {
    const int n = order_of(gram) - 1;
    const auto it = df.find(gram);
    const double frequency = it == df.end() ? 0.0 : it->second;
    const double weight = tf * (log_images - std::log(std::max(1.0, frequency)));
    v.weights[n][gram] = weight;
    v.norms[n] += weight * weight;
    if (n == 1) v.length += tf;
  }
  for (double& norm : v.norms) norm = std::sqrt(norm);
  return v;
}

// Sum over orders of the clipped, length-penalised cosine similarity.
double similarity(const Vector& hyp, const Vector& ref, const CiderOptions& o) {
  const double delta = hyp.length - ref.length;
  const double penalty = std::exp(-(delta * delta) / (2.0 * o.sigma * o.sigma));
  double sum = 0.0;
  for (int n = 0; n < o.max_order; ++n) {
    double dot = 0.0;
    for (const auto& [gram, weight] : hyp.weights[n]) {
      const auto it = ref.weights[n].find(gram);
      if (it != ref.weights[n].end()) dot += std::min(weight, it->second) * it->second;
    }
    if (hyp.norms[n] != 0.0 && ref.norms[n] != 0.0) dot /= hyp.norms[n] * ref.norms[n];
    sum += dot * penalty;
  }
  return sum;
}

void check_options(const CiderOptions& o) {
  if (o.max_order < 1) throw Error("cider-d: max_order must be at least 1");
  if (!(o.sigma > 0.0)) throw Error("cider-d: sigma must be positive");
}

}  // namespace

std::vector<std::string> cider_tokens(std::string_view caption) {
  std::vector<std::string> tokens;
  for (const std::u32string& word :
       text::split_whitespace(text::to_lower(text::decode_utf8(caption)))) {
    const std::size_t begin = word.find_first_not_of(kPunctuation);
    if (begin == std::u32string::npos) continue;
    const std::size_t end = word.find_last_not_of(kPunctuation);
    tokens.push_back(text::encode_utf8(std::u32string_view(word).substr(begin, end + 1 - begin)));
  }
  return tokens;
}

CiderScore corpus_cider_d(const std::vector<std::string>& hypotheses,
                          const std::vector<std::vector<std::string>>& references,
                          const CiderOptions& options) {
  check_options(options);
  // First pass: n-gram counts, and document frequencies over the reference sets.
  std::vector<Counts> hyp_counts;
  std::vector<std::vector<Counts>> ref_counts;
  std::unordered_map<std::string, int> df;
  detail::for_each_segment("cider-d", hypotheses, references,
                           [&](std::string_view hyp, const std::vector<std::string_view>& refs) {
                             hyp_counts.push_back(ngram_counts(hyp, options.max_order));
                             ref_counts.emplace_back();
                             std::unordered_set<std::string> seen;
                             for (std::string_view r : detail::usable_references(refs)) {
                               ref_counts.back().push_back(ngram_counts(r, options.max_order));
                               for (const auto& [gram, count] : ref_counts.back().back()) {
                                 if (seen.insert(gram).second) ++df[gram];
                               }
                             }
                           });
  CiderScore result;
  if (hypotheses.empty()) return result;
  const double log_images = std::log(static_cast<double>(hypotheses.size()));
  double total = 0.0;
  for (std::size_t i = 0; i < hyp_counts.size(); ++i) {
    const Vector hyp = vectorise(hyp_counts[i], df, log_images, options.max_order);
    double sum = 0.0;
    for (const Counts& ref : ref_counts[i]) {
      sum += similarity(hyp, vectorise(ref, df, log_images, options.max_order), options);
    }
    const double score = 10.0 * sum / options.max_order / ref_counts[i].size();
    result.segments.push_back(score);
    total += score;
  }
  result.score = total / hypotheses.size();
  return result;
}

}  // namespace recur::metrics
