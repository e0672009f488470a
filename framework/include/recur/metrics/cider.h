// CIDEr-D (Vedantam, Zitnick and Parikh, 2015), computed as the coco-caption
// `pycocoevalcap` CiderScorer computes it, so that scores are comparable with published
// captioning results (which report it x100: 1.153 here is "115.3" in a paper).
//
// For a candidate c and the references S of its image:
//   g_n(s)    TF-IDF vector of the n-grams of s: count x (log |I| - log max(1, df)), where
//             df counts the images among whose references the n-gram occurs and |I| is
//             the number of images: document frequencies come from the references scored;
//   length(s) number of *bigrams* of s, max(0, words - 1): pycocoevalcap counts the
//             n-gram index 1, and recur keeps that so that numbers agree;
//   sim_n     sum over n-grams of c of min(g_c, g_s) g_s / (|g_c| |g_s|) (clipping; 0 when
//             a norm is 0), times exp(-(length(c) - length(s))^2 / (2 sigma^2));
//   CIDEr-D   10 x mean over n = 1..4 of the mean over s in S of sim_n(c, s).
// The corpus score is the mean over images (segments). A caption of fewer than 4 words
// has no 4-grams, so even a perfect one scores below 10 (7.5 for three words).
//
// Tokenisation (pycocoevalcap runs the Stanford PTBTokenizer, which needs Java): text
// is lowercased (recur::text::to_lower) and split on Unicode whitespace; the PTB
// punctuation characters ' " ` ( ) [ ] { } . ? ! , : ; - are stripped from both ends of
// each token, and tokens that held only punctuation vanish. Inner hyphens and other
// symbols stay ("medium-light", "#"). This equals PTB's output on plain captions; it
// differs where PTB splits words ("don't" -> "do n't") or keeps an abbreviation's dot.
// scripts/reference/cider_d.py is an independent stdlib implementation of all this.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace recur::metrics {

struct CiderOptions {
  int max_order = 4;
  double sigma = 6.0;
};

struct CiderScore {
  double score = 0.0;             // mean of `segments` (pycocoevalcap scale, not x100)
  std::vector<double> segments;   // per segment (image)
};

// The tokens CIDEr-D counts (see above).
std::vector<std::string> cider_tokens(std::string_view caption);

// references[k][i] is the k-th reference of segment i (as corpus_bleu); empty
// references are ignored, so segments may have different numbers of references.
CiderScore corpus_cider_d(const std::vector<std::string>& hypotheses,
                          const std::vector<std::vector<std::string>>& references,
                          const CiderOptions& options = {});

}  // namespace recur::metrics
