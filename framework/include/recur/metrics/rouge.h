// ROUGE-N and ROUGE-L (Lin, 2004) F-measures, as Google's rouge-score package computes
// them (its default tokenizer, without stemming).
//
// Tokens (rouge_tokens): the text is lowercased (recur::text::to_lower, Unicode) and
// split at every ASCII character that is not a letter or a digit, so "apt-get's" gives
// "apt", "get", "s" exactly as rouge-score's tokenizer does on ASCII text; non-ASCII
// characters stay inside tokens (rouge-score would drop them: "l'été" -> "l", "été").
//
// ROUGE-N: with C = clipped count of hypothesis n-grams found in the reference,
//   P = C / hypothesis n-grams,  R = C / reference n-grams.
// ROUGE-L: with L = LCS length in tokens, P = L / |hyp|, R = L / |ref|.
// Both: F = (1 + beta^2) P R / (R + beta^2 P), F = 0 when C or L is 0 (so when either
// side is empty). beta = 1 by default (rouge-score's F1). With several references a
// segment takes the best F. The corpus score is the mean segment F, times 100.
// Checked against rouge-score's published example (tests/framework/metrics/rouge_test.cc).
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

using RougeScore = RougeLScore;

// The tokens every ROUGE variant compares (see above).
std::vector<std::u32string> rouge_tokens(std::string_view text);

// ROUGE-N of one segment and of a corpus (n >= 1).
RougeScore rouge_n_segment(std::string_view hypothesis, std::string_view reference, int n,
                           const RougeOptions& options = {});
double corpus_rouge_n(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, int n,
                      const RougeOptions& options = {});

// Length of the longest common subsequence of two token sequences.
std::size_t lcs_length(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b);

RougeLScore rouge_l_segment(std::string_view hypothesis, std::string_view reference,
                            const RougeOptions& options = {});

// references[k][i] is the k-th reference of segment i (as corpus_bleu). 0-100.
double corpus_rouge_l(const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, const RougeOptions& options = {});

}  // namespace recur::metrics
