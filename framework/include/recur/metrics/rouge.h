// ROUGE-L (Lin, 2004), F-measure of the longest common subsequence.
//
// Definition used by recur: hypothesis and reference are lowercased (recur::text::
// to_lower) and split on whitespace into tokens. With L = LCS length in tokens,
//   P = L / |hyp|,  R = L / |ref|,  F = (1 + beta^2) P R / (R + beta^2 P),
// and F = 0 when L = 0 (so when either side is empty). beta = 1 by default (the F1 of
// Google's rouge-score package). With several references a segment takes the best F.
// The corpus score is the mean segment F, times 100. No stemming, no stop words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace recur::metrics {

struct RougeOptions {
  double beta = 1.0;
};

struct RougeLScore {
  double precision = 0.0;  // 0-1
  double recall = 0.0;     // 0-1
  double f = 0.0;          // 0-1
};

// Length of the longest common subsequence of two token sequences.
std::size_t lcs_length(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b);

RougeLScore rouge_l_segment(std::string_view hypothesis, std::string_view reference,
                            const RougeOptions& options = {});

// references[k][i] is the k-th reference of segment i (as corpus_bleu). 0-100.
double corpus_rouge_l(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, const RougeOptions& options = {});

}  // namespace recur::metrics
