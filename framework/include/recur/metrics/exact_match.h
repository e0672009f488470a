// Exact match: the share of hypotheses equal to one of their references, on 0-100.
// Both sides are compared after whitespace normalisation (leading and trailing Unicode
// whitespace removed, every inner run replaced by one space); the comparison is
// case-sensitive and punctuation counts ("flag: Egypt" != "flag Egypt" != "Flag: Egypt").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace recur::metrics {

// The text compared: words split on Unicode whitespace, joined by single spaces.
std::string normalise_whitespace(std::string_view text);

// references[k][i] is the k-th reference of segment i (as corpus_bleu); empty
// references are ignored.
double corpus_exact_match(const std::vector<std::string>& hypotheses,
                          const std::vector<std::vector<std::string>>& references);

}  // namespace recur::metrics
