#include "extended_vocabulary.h"

#include <algorithm>

#include "recur/text/joint_vocabulary.h"
#include "recur/core/error.h"
#include "recur/pipeline/pipeline.h"

namespace recur::tasks {

ExtendedVocabulary::ExtendedVocabulary(const Tokenizer& target, const SurfaceTokenizer& surfaces)
    : target_(target), surfaces_(surfaces), vocab_(target.vocab_size()), unk_(target.unk_id()) {}

const SurfaceTokenizer* ExtendedVocabulary::surfaces_of(const Pipeline& p, bool enabled) {
  if (!enabled || !p.source_tokenizer() || !text::shares_vocabulary(*p.source_tokenizer(), p.target_tokenizer())) {
    return nullptr;
  }
  return dynamic_cast<const SurfaceTokenizer*>(&p.target_tokenizer());
}

std::vector<std::int64_t> ExtendedVocabulary::extend_source(std::string_view text,
                                                            const std::vector<std::int64_t>& ids,
                                                            OovWords& oovs) const {
  oovs.clear();
  std::vector<std::int64_t> out = ids;
  if (std::find(ids.begin(), ids.end(), unk_) == ids.end()) return out;
  const std::vector<std::string> words = surfaces_.surfaces(text);
  const std::size_t n = std::min(words.size(), ids.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i] != unk_ || words[i].empty()) continue;
    auto found = std::find(oovs.begin(), oovs.end(), words[i]);
    if (found == oovs.end()) found = oovs.insert(oovs.end(), words[i]);
    out[i] = vocab_ + (found - oovs.begin());
  }
  return out;
}

void ExtendedVocabulary::extend_target(std::string_view text, std::vector<std::int64_t>& ids,
                                       const OovWords& oovs) const {
  if (oovs.empty() || std::find(ids.begin(), ids.end(), unk_) == ids.end()) return;
  const std::vector<std::string> words = surfaces_.surfaces(text);
  const std::size_t n = std::min(words.size(), ids.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i] != unk_) continue;
    auto found = std::find(oovs.begin(), oovs.end(), words[i]);
    if (found != oovs.end()) ids[i] = vocab_ + (found - oovs.begin());
  }
}

namespace {

// The OOV word of extended id `id` (Error if the source has no such word).
const std::string& oov_word(std::int64_t id, std::int64_t vocab, const OovWords& oovs) {
  const auto k = static_cast<std::size_t>(id - vocab);
  if (k >= oovs.size()) {
    throw Error("extended vocabulary: id " + std::to_string(id) + " names OOV word " + std::to_string(k) +
                " of a source that has " + std::to_string(oovs.size()));
  }
  return oovs[k];
}

}  // namespace

std::string ExtendedVocabulary::decode(const std::vector<std::int64_t>& ids, const OovWords& oovs) const {
  if (std::none_of(ids.begin(), ids.end(), [&](std::int64_t id) { return id >= vocab_; })) {
    return target_.decode(ids);
  }
  std::vector<std::string> words(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] >= vocab_) words[i] = oov_word(ids[i], vocab_, oovs);
  }
  return surfaces_.decode_words(ids, words);
}

std::vector<std::string> ExtendedVocabulary::pieces(const std::vector<std::int64_t>& ids, const OovWords& oovs) const {
  std::vector<std::int64_t> known = ids;
  for (std::int64_t& id : known) {
    if (id >= vocab_) id = unk_;
  }
  std::vector<std::string> out = target_.pieces(known);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] >= vocab_) out[i] = oov_word(ids[i], vocab_, oovs);
  }
  return out;
}

}  // namespace recur::tasks
