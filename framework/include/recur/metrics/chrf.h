// chrF (Popović, 2015), computed as sacreBLEU 2.x computes it. Defaults equal sacreBLEU's
// CHRF(): character n-grams up to 6, no word n-grams, beta 2, whitespace removed before
// counting, mixed case, "effective order" averaging (eps_smoothing off). Characters are
// Unicode code points. With several references a segment takes the statistics of the
// reference that gives it the best F score. Scores are on 0-100.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace recur::metrics {

struct ChrfOptions {
  int char_order = 6;
  double beta = 2.0;
  bool whitespace = false;     // keep whitespace characters in the n-grams
  bool eps_smoothing = false;  // chrF++.py / Moses / NLTK style averaging instead
};

// Per order n = 1..char_order: hypothesis n-grams, reference n-grams, matches.
struct ChrfStats {
  std::vector<std::int64_t> hyp, ref, match;
  ChrfStats& operator+=(const ChrfStats& other);
};

ChrfStats chrf_segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                             const ChrfOptions& options = {});
double compute_chrf(const ChrfStats& stats, const ChrfOptions& options = {});

// references[k][i] is the k-th reference of segment i (as corpus_bleu).
double corpus_chrf(const std::vector<std::string>& hypotheses,
                   const std::vector<std::vector<std::string>>& references, const ChrfOptions& options = {});

}  // namespace recur::metrics
