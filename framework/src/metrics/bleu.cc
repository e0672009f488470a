#include "recur/metrics/bleu.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "corpus.h"
#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::metrics {
namespace {

// N-gram keys are views into a segment's tokenised text: tokens are joined by single
// spaces, so an n-gram is the substring from its first token's start to its last's end.
using NgramCounts = std::unordered_map<std::string_view, std::int64_t>;

struct Tokenized {
  std::string text;                                      // tokens joined by ' '
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) of each token
};

// sacreBLEU: tokenizer(sentence.rstrip()), then str.split().
Tokenized preprocess(std::string_view sentence, BleuTokenize tokenize) {
  std::u32string code = text::decode_utf8(sentence);
  while (!code.empty() && text::is_space(code.back())) code.pop_back();
  const std::string stripped = text::encode_utf8(code);
  Tokenized t;
  for (const std::string& token :
       text::split_whitespace(tokenize == BleuTokenize::k13a ? tokenize_13a(stripped) : stripped)) {
    if (!t.text.empty()) t.text.push_back(' ');
    t.spans.emplace_back(t.text.size(), t.text.size() + token.size());
    t.text += token;
  }
  return t;
}

// `t` must outlive the result.
NgramCounts count_ngrams(const Tokenized& t, int max_order) {
  NgramCounts counts;
  const std::string_view all = t.text;
  for (std::size_t n = 1; n <= static_cast<std::size_t>(max_order); ++n) {
    for (std::size_t i = 0; i + n <= t.spans.size(); ++i) {
      const std::size_t begin = t.spans[i].first;
      ++counts[all.substr(begin, t.spans[i + n - 1].second - begin)];
    }
  }
  return counts;
}

int order_of(std::string_view ngram) {
  return 1 + static_cast<int>(std::count(ngram.begin(), ngram.end(), ' '));
}

std::int64_t closest_ref_len(std::int64_t hyp_len, const std::vector<std::int64_t>& ref_lens) {
  std::int64_t best = -1;
  for (std::int64_t len : ref_lens) {
    const std::int64_t diff = std::llabs(hyp_len - len);
    const std::int64_t best_diff = std::llabs(hyp_len - best);
    if (best < 0 || diff < best_diff || (diff == best_diff && len < best)) best = len;
  }
  return best;
}

double default_smooth_value(const BleuOptions& o) {
  if (o.smooth_value >= 0.0) return o.smooth_value;
  return o.smoothing == BleuSmoothing::kAddK ? 1.0 : 0.1;
}

void check_options(const BleuOptions& o) {
  if (o.max_order < 1) throw Error("bleu: max_order must be at least 1");
}

}  // namespace

BleuStats& BleuStats::operator+=(const BleuStats& other) {
  if (correct.empty()) {
    correct.assign(other.correct.size(), 0);
    total.assign(other.total.size(), 0);
  }
  if (other.correct.size() != correct.size()) throw Error("bleu: adding statistics of different orders");
  for (std::size_t n = 0; n < correct.size(); ++n) {
    correct[n] += other.correct[n];
    total[n] += other.total[n];
  }
  hyp_len += other.hyp_len;
  ref_len += other.ref_len;
  return *this;
}

BleuStats bleu_segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                             const BleuOptions& options) {
  check_options(options);
  const std::vector<std::string_view> usable = detail::usable_references(references);
  std::vector<Tokenized> refs;
  refs.reserve(usable.size());  // no reallocation: ref_max holds views into these
  NgramCounts ref_max;
  std::vector<std::int64_t> ref_lens;
  for (std::string_view ref : usable) {
    refs.push_back(preprocess(ref, options.tokenize));
    ref_lens.push_back(static_cast<std::int64_t>(refs.back().spans.size()));
    for (const auto& [ngram, count] : count_ngrams(refs.back(), options.max_order)) {
      std::int64_t& best = ref_max[ngram];
      best = std::max(best, count);
    }
  }
  const Tokenized hyp = preprocess(hypothesis, options.tokenize);
  BleuStats stats;
  stats.correct.assign(options.max_order, 0);
  stats.total.assign(options.max_order, 0);
  stats.hyp_len = static_cast<std::int64_t>(hyp.spans.size());
  stats.ref_len = closest_ref_len(stats.hyp_len, ref_lens);
  for (const auto& [ngram, count] : count_ngrams(hyp, options.max_order)) {
    const int n = order_of(ngram) - 1;
    stats.total[n] += count;
    const auto it = ref_max.find(ngram);
    if (it != ref_max.end()) stats.correct[n] += std::min(count, it->second);
  }
  return stats;
}

BleuScore compute_bleu(const BleuStats& stats, const BleuOptions& options) {
  check_options(options);
  const std::size_t order = static_cast<std::size_t>(options.max_order);
  if (stats.correct.size() != order || stats.total.size() != order) {
    throw Error("bleu: statistics have " + std::to_string(stats.correct.size()) + " orders, expected " +
                std::to_string(order));
  }
  BleuScore result;
  result.stats = stats;
  result.precisions.assign(order, 0.0);
  if (stats.hyp_len < stats.ref_len) {
    result.brevity_penalty =
        stats.hyp_len > 0 ? std::exp(1.0 - static_cast<double>(stats.ref_len) / stats.hyp_len) : 0.0;
  } else {
    result.brevity_penalty = 1.0;
  }
  // No match at any order: 0 whatever the smoothing (sacreBLEU issue #141).
  if (std::all_of(stats.correct.begin(), stats.correct.end(), [](std::int64_t c) { return c == 0; })) {
    return result;
  }
  const double smooth = default_smooth_value(options);
  double exp_factor = 1.0;
  std::size_t eff_order = order;
  for (std::size_t n = 0; n < order; ++n) {
    double correct = static_cast<double>(stats.correct[n]);
    double total = static_cast<double>(stats.total[n]);
    if (options.smoothing == BleuSmoothing::kAddK && n > 0) correct += smooth, total += smooth;
    if (total == 0.0) break;
    if (options.effective_order) eff_order = n + 1;
    if (correct == 0.0) {
      if (options.smoothing == BleuSmoothing::kExp) {
        exp_factor *= 2.0;
        result.precisions[n] = 100.0 / (exp_factor * total);
      } else if (options.smoothing == BleuSmoothing::kFloor) {
        result.precisions[n] = 100.0 * smooth / total;
      }
    } else {
      result.precisions[n] = 100.0 * correct / total;
    }
  }
  // sacreBLEU takes log(0) as -9999999999, which makes the score 0 (to double precision).
  double log_sum = 0.0;
  for (std::size_t n = 0; n < eff_order; ++n) {
    log_sum += result.precisions[n] > 0.0 ? std::log(result.precisions[n]) : -9999999999.0;
  }
  result.score = result.brevity_penalty * std::exp(log_sum / static_cast<double>(eff_order));
  return result;
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, const BleuOptions& options) {
  check_options(options);
  BleuStats total;
  total.correct.assign(options.max_order, 0);
  total.total.assign(options.max_order, 0);
  detail::for_each_segment("bleu", hypotheses, references,
                           [&](std::string_view hyp, const std::vector<std::string_view>& refs) {
                             total += bleu_segment_stats(hyp, refs, options);
                           });
  return compute_bleu(total, options);
}

}  // namespace recur::metrics
