#include "recur/search/shortlist.h"

#include <algorithm>
#include <string>

#include "recur/core/error.h"

namespace recur::search {

Shortlist::Shortlist(std::int64_t target_vocab, std::vector<std::int64_t> offsets,
                     std::vector<std::int32_t> targets, std::vector<std::int32_t> by_frequency,
                     std::int64_t learned_top_k)
    : target_vocab_(target_vocab),
      offsets_(std::move(offsets)),
      targets_(std::move(targets)),
      by_frequency_(std::move(by_frequency)) {
  if (target_vocab_ < 1) {
    throw Error("the target vocabulary size must be positive, got " + std::to_string(target_vocab_));
  }
  if (offsets_.size() < 2 || offsets_.front() != 0 ||
      offsets_.back() != static_cast<std::int64_t>(targets_.size())) {
    throw Error("the offsets must start at 0 and end at the number of targets (" + std::to_string(targets_.size()) +
                ") with at least one source id");
  }
  for (std::size_t s = 1; s < offsets_.size(); ++s) {
    if (offsets_[s] < offsets_[s - 1]) {
      throw Error("the offsets decrease at source id " + std::to_string(s - 1));
    }
    max_candidates_ = std::max(max_candidates_, offsets_[s] - offsets_[s - 1]);
  }
  if (learned_top_k != 0 && learned_top_k < max_candidates_) {
    throw Error("a list holds " + std::to_string(max_candidates_) + " candidates, more than the top_k of " +
                std::to_string(learned_top_k) + " it was learned with");
  }
  learned_top_k_ = learned_top_k != 0 ? learned_top_k : max_candidates_;
  auto check_ids = [&](const std::vector<std::int32_t>& ids, const char* what) {
    for (std::int32_t id : ids) {
      if (id < 0 || id >= target_vocab_) {
        throw Error(std::string(what) + " target id " + std::to_string(id) + ", outside [0, " +
                    std::to_string(target_vocab_) + ")");
      }
    }
  };
  check_ids(targets_, "the candidates hold");
  check_ids(by_frequency_, "the frequency order holds");
  std::vector<bool> seen(static_cast<std::size_t>(target_vocab_), false);
  for (std::int32_t id : by_frequency_) {
    if (seen[static_cast<std::size_t>(id)]) {
      throw Error("the frequency order lists target id " + std::to_string(id) + " twice");
    }
    seen[static_cast<std::size_t>(id)] = true;
  }
}

std::span<const std::int32_t> Shortlist::candidates(std::int64_t source_id) const {
  if (source_id < 0 || source_id >= source_vocab()) return {};
  const auto s = static_cast<std::size_t>(source_id);
  return std::span<const std::int32_t>(targets_).subspan(static_cast<std::size_t>(offsets_[s]),
                                                          static_cast<std::size_t>(offsets_[s + 1] - offsets_[s]));
}

std::vector<std::int64_t> Shortlist::output_ids(std::span<const std::int64_t> source_ids,
                                                const ShortlistOptions& o,
                                                std::span<const std::int64_t> always) const {
  std::vector<char> in(static_cast<std::size_t>(target_vocab_), 0);
  std::int64_t count = 0;
  auto add = [&](std::int64_t id) {
    char& mark = in[static_cast<std::size_t>(id)];
    count += mark == 0 ? 1 : 0;
    mark = 1;
  };
  std::vector<char> source_seen(static_cast<std::size_t>(source_vocab()), 0);
  for (std::int64_t s : source_ids) {
    if (s < 0 || s >= source_vocab() || source_seen[static_cast<std::size_t>(s)]) continue;
    source_seen[static_cast<std::size_t>(s)] = 1;
    const auto list = candidates(s);
    const auto k = std::min<std::size_t>(list.size(), static_cast<std::size_t>(std::max<std::int64_t>(0, o.top_k)));
    for (std::size_t i = 0; i < k; ++i) add(list[i]);
  }
  for (std::int64_t id : always) {
    if (id >= 0 && id < target_vocab_) add(id);
  }
  // The most frequent ids, then the next ones until the width is a multiple of the
  // granule (or the whole vocabulary).
  std::size_t next = 0;
  for (; next < by_frequency_.size() && static_cast<std::int64_t>(next) < o.frequent; ++next) add(by_frequency_[next]);
  const std::int64_t width =
      std::min(target_vocab_, (count + kShortlistGranule - 1) / kShortlistGranule * kShortlistGranule);
  for (; next < by_frequency_.size() && count < width; ++next) add(by_frequency_[next]);
  for (std::int64_t id = 0; id < target_vocab_ && count < width; ++id) add(id);  // ids the corpus never had

  std::vector<std::int64_t> ids;
  ids.reserve(static_cast<std::size_t>(count));
  for (std::int64_t id = 0; id < target_vocab_; ++id) {
    if (in[static_cast<std::size_t>(id)]) ids.push_back(id);
  }
  return ids;
}

std::vector<std::int64_t> Shortlist::output_ids(const Tensor& source_ids, const ShortlistOptions& options,
                                                std::span<const std::int64_t> always) const {
  if (!source_ids.defined() || source_ids.dtype() != DType::i64) {
    throw ShapeError("shortlist: source ids must be an i64 tensor");
  }
  return output_ids(std::span<const std::int64_t>(source_ids.data<std::int64_t>(),
                                                  static_cast<std::size_t>(source_ids.numel())),
                    options, always);
}

std::optional<config::OptionProblem> check(const ShortlistOptions& o, const Shortlist* table) {
  if (o.top_k < 0) return config::OptionProblem{"top_k", "expected an integer >= 0, got " + std::to_string(o.top_k)};
  if (o.frequent < 0) {
    return config::OptionProblem{"frequent", "expected an integer >= 0, got " + std::to_string(o.frequent)};
  }
  if (table && o.top_k > table->learned_top_k()) {
    return config::OptionProblem{"top_k", "the table keeps at most " + std::to_string(table->learned_top_k()) +
                                              " candidates per source piece, got " + std::to_string(o.top_k) +
                                              " (rebuild it with recur shortlist --top-k)"};
  }
  return std::nullopt;
}

}  // namespace recur::search
