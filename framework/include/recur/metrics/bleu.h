// Corpus BLEU (Papineni et al., 2002), computed as sacreBLEU 2.x computes it, so that
// scores are comparable with published ones. Defaults equal sacreBLEU's corpus_bleu:
// 13a tokenisation, n-grams up to 4, "exp" smoothing, brevity penalty against the
// closest reference length (ties: the shorter), mixed case. Scores are on 0-100.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace recur::metrics {

enum class BleuTokenize { k13a, kNone };
// none, floor (Chen & Cherry method 1), add-k (method 2), exp (method 3, mteval's).
enum class BleuSmoothing { kNone, kFloor, kAddK, kExp };

struct BleuOptions {
  int max_order = 4;
  BleuTokenize tokenize = BleuTokenize::k13a;
  BleuSmoothing smoothing = BleuSmoothing::kExp;
  // For floor and add-k; a negative value means sacreBLEU's default (0.1 and 1).
  double smooth_value = -1.0;
  // Average only over orders the hypothesis has n-grams of (for sentence-level BLEU).
  bool effective_order = false;
};

// Sufficient statistics: they add up over segments.
struct BleuStats {
  std::vector<std::int64_t> correct;  // clipped n-gram matches per order (1..max_order)
  std::vector<std::int64_t> total;    // hypothesis n-grams per order
  std::int64_t hyp_len = 0;
  std::int64_t ref_len = 0;
  BleuStats& operator+=(const BleuStats& other);
};

struct BleuScore {
  double score = 0.0;               // 0-100
  std::vector<double> precisions;   // 0-100 per order, after smoothing
  double brevity_penalty = 0.0;
  BleuStats stats;
};

// sacreBLEU's 13a tokeniser (mteval-v13a): unescapes a few entities, splits off
// punctuation, and returns the tokens joined by single spaces.
std::string tokenize_13a(std::string_view line);

// Statistics of one segment against its references (empty references are ignored;
// a segment needs at least one non-empty reference).
BleuStats bleu_segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                             const BleuOptions& options = {});
BleuScore compute_bleu(const BleuStats& stats, const BleuOptions& options = {});

// references[k][i] is the k-th reference of segment i (one stream per reference, as
// sacreBLEU). Every stream must have as many lines as hypotheses. Invalid UTF-8 and
// missing references are Errors naming the segment.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, const BleuOptions& options = {});

}  // namespace recur::metrics
