#include "recur/search/shortlist_learning.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "recur/core/error.h"

namespace recur::search {

namespace {

// The distinct ids of a sentence, sorted; an Error naming the pair if one is out of range.
std::vector<std::int32_t> distinct(const std::vector<std::int64_t>& ids, std::int64_t vocab, std::size_t pair,
                                   const char* side) {
  std::vector<std::int32_t> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    if (id < 0 || id >= vocab) {
      throw Error("shortlist: pair " + std::to_string(pair + 1) + ": " + side + " id " + std::to_string(id) +
                  " is outside the vocabulary [0, " + std::to_string(vocab) + ")");
    }
    out.push_back(static_cast<std::int32_t>(id));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Scored {
  double score;
  std::uint32_t together;
  std::int32_t target;
};

// k log(k / expected), 0 for k = 0.
double term(double k, double expected) { return k > 0 ? k * std::log(k / expected) : 0.0; }

// Dunning's log-likelihood ratio G2 of the 2x2 table of pairs with / without s and t
// (n pairs); negative for a negative association (s and t together less than chance).
double log_likelihood_ratio(double st, double s, double t, double n) {
  const double s_not_t = s - st, t_not_s = t - st, neither = n - s - t + st;
  const double g2 = 2.0 * (term(st, s * t / n) + term(s_not_t, s * (n - t) / n) + term(t_not_s, (n - s) * t / n) +
                           term(neither, (n - s) * (n - t) / n));
  return st * n >= s * t ? g2 : -g2;
}

}  // namespace

Shortlist learn_shortlist(const std::vector<std::vector<std::int64_t>>& source,
                          const std::vector<std::vector<std::int64_t>>& target, const ShortlistLearning& l) {
  if (source.size() != target.size()) {
    throw Error("shortlist: " + std::to_string(source.size()) + " source sentences but " +
                std::to_string(target.size()) + " target sentences");
  }
  if (l.source_vocab < 1 || l.target_vocab < 1 || l.top_k < 1) {
    throw Error("shortlist: vocabulary sizes and top_k must be positive");
  }
  const auto vs = static_cast<std::size_t>(l.source_vocab), vt = static_cast<std::size_t>(l.target_vocab);
  std::vector<std::vector<std::int32_t>> src(source.size()), tgt(target.size());
  std::vector<std::uint32_t> source_count(vs, 0), target_count(vt, 0);
  for (std::size_t i = 0; i < source.size(); ++i) {
    src[i] = distinct(source[i], l.source_vocab, i, "source");
    tgt[i] = distinct(target[i], l.target_vocab, i, "target");
    for (std::int32_t s : src[i]) ++source_count[static_cast<std::size_t>(s)];
    for (std::int32_t t : tgt[i]) ++target_count[static_cast<std::size_t>(t)];
  }

  std::vector<std::int64_t> offsets{0};
  std::vector<std::int32_t> targets;
  const std::size_t block = std::max<std::size_t>(1, (std::size_t{64} << 20) / (vt * sizeof(std::uint32_t)));
  std::vector<std::uint32_t> together;
  std::vector<Scored> scored;
  for (std::size_t lo = 0; lo < vs; lo += block) {
    const std::size_t hi = std::min(vs, lo + block);
    together.assign((hi - lo) * vt, 0);
    for (std::size_t i = 0; i < src.size(); ++i) {
      auto first = std::lower_bound(src[i].begin(), src[i].end(), static_cast<std::int32_t>(lo));
      for (auto s = first; s != src[i].end() && static_cast<std::size_t>(*s) < hi; ++s) {
        std::uint32_t* row = together.data() + (static_cast<std::size_t>(*s) - lo) * vt;
        for (std::int32_t t : tgt[i]) ++row[static_cast<std::size_t>(t)];
      }
    }
    for (std::size_t s = lo; s < hi; ++s) {
      const std::uint32_t* row = together.data() + (s - lo) * vt;
      scored.clear();
      const bool copy = l.joint && s < vt && target_count[s] > 0;
      for (std::size_t t = 0; t < vt; ++t) {
        if (row[t] == 0 || (copy && t == s)) continue;
        const double score =
            l.score == ShortlistScore::dice
                ? 2.0 * row[t] / static_cast<double>(source_count[s] + target_count[t])
                : log_likelihood_ratio(row[t], source_count[s], target_count[t], static_cast<double>(src.size()));
        if (score < l.min_score) continue;
        scored.push_back({score, row[t], static_cast<std::int32_t>(t)});
      }
      const std::size_t keep = std::min(scored.size(), static_cast<std::size_t>(l.top_k) - (copy ? 1 : 0));
      std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep), scored.end(),
                        [](const Scored& a, const Scored& b) {
                          if (a.score != b.score) return a.score > b.score;
                          if (a.together != b.together) return a.together > b.together;
                          return a.target < b.target;
                        });
      if (copy) targets.push_back(static_cast<std::int32_t>(s));
      for (std::size_t j = 0; j < keep; ++j) targets.push_back(scored[j].target);
      offsets.push_back(static_cast<std::int64_t>(targets.size()));
    }
  }

  std::vector<std::int32_t> by_frequency(vt);
  for (std::size_t t = 0; t < vt; ++t) by_frequency[t] = static_cast<std::int32_t>(t);
  std::stable_sort(by_frequency.begin(), by_frequency.end(), [&](std::int32_t a, std::int32_t b) {
    return target_count[static_cast<std::size_t>(a)] > target_count[static_cast<std::size_t>(b)];
  });
  return Shortlist(l.target_vocab, std::move(offsets), std::move(targets), std::move(by_frequency), l.top_k);
}

}  // namespace recur::search
