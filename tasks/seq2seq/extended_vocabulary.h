// The extended vocabulary of copy attention (pointer-generator, See et al. 2017) on the
// task side: a source word outside the target vocabulary can still be copied into the
// output (docs/text-models.md, "Extended vocabulary").
//
// An OOV is a source token whose id is the unknown id (with a joint SentencePiece model:
// characters the model does not cover; with a word vocabulary: rare words). Each source
// numbers its own OOVs in order of first appearance, by surface text: the k-th distinct
// one gets the extended id V + k everywhere it occurs. The decoder's memory then holds
// these ids (Memory::source_ids), so the attention mass on an OOV is the probability of
// its extended id; search may choose it; the output writes the OOV's text. In training,
// a target token that is unknown and equal to one of its source's OOVs gets that OOV's
// extended id, so copying it is what the loss rewards. A batch's rows each have their own
// list; the decoder sizes its distribution by the largest extended id of the batch.
//
// In use when the source and target share one vocabulary (recur/text/joint_vocabulary.h), the target
// tokenizer is a SurfaceTokenizer (sentencepiece, char, whitespace) and the pipeline does
// not say `extended_vocabulary: false`. A decoder without copy ignores it: a target id
// beyond its columns is scored as unk (teacher_forcing_loss) and it never returns one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "recur/surface_tokenizer.h"
#include "recur/tokenizer.h"

namespace recur {
class Pipeline;
}

namespace recur::tasks {

// One source's OOV words; word k has the extended id vocab + k.
using OovWords = std::vector<std::string>;

class ExtendedVocabulary {
 public:
  // `target` must also be the SurfaceTokenizer `surfaces` (the same object).
  ExtendedVocabulary(const Tokenizer& target, const SurfaceTokenizer& surfaces);

  // The extended vocabulary of a seq2seq pipeline, or nullptr if not in use (above).
  static const SurfaceTokenizer* surfaces_of(const Pipeline& pipeline, bool enabled);

  // `ids`: encode(text) of a source, possibly cropped, with eos after it. Returns the ids
  // with each unknown id replaced by its extended id, and fills `oovs`.
  std::vector<std::int64_t> extend_source(std::string_view text, const std::vector<std::int64_t>& ids,
                                          OovWords& oovs) const;
  // `ids`: encode(text) of a target. Unknown ids whose text is one of `oovs` become its
  // extended id (in place).
  void extend_target(std::string_view text, std::vector<std::int64_t>& ids, const OovWords& oovs) const;
  // The text of output ids, ids >= vocab written as their OOV word.
  std::string decode(const std::vector<std::int64_t>& ids, const OovWords& oovs) const;
  // The pieces of ids (side files), extended ids written as their OOV word.
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids, const OovWords& oovs) const;

 private:
  const Tokenizer& target_;
  const SurfaceTokenizer& surfaces_;
  std::int64_t vocab_, unk_;
};

}  // namespace recur::tasks
