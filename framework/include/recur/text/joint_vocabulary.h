// Whether a seq2seq pipeline's source ids are also target ids: the condition under which
// the tasks give the decoder Memory::source_ids (copy attention scatters them onto the
// target vocabulary, so ids of another vocabulary would copy the wrong tokens), and a
// vocabulary shortlist lets a source piece propose itself (search/shortlist_learning.h).
#pragma once

#include "recur/tokenizer.h"

namespace recur::text {

// True if both tokenizers have the same size, special ids and piece for every id (one
// model for source and target, e.g. a joint SentencePiece vocabulary).
bool shares_vocabulary(const Tokenizer& source, const Tokenizer& target);

}  // namespace recur::text
