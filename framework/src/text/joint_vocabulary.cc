#include "recur/text/joint_vocabulary.h"

#include <numeric>
#include <vector>

namespace recur::text {

bool shares_vocabulary(const Tokenizer& source, const Tokenizer& target) {
  if (&source == &target) return true;
  if (source.vocab_size() != target.vocab_size() || source.pad_id() != target.pad_id() ||
      source.bos_id() != target.bos_id() || source.eos_id() != target.eos_id() ||
      source.unk_id() != target.unk_id()) {
    return false;
  }
  std::vector<std::int64_t> ids(static_cast<std::size_t>(source.vocab_size()));
  std::iota(ids.begin(), ids.end(), 0);
  return source.pieces(ids) == target.pieces(ids);
}

}  // namespace recur::text
