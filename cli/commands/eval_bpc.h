// `recur eval --metric bpc -m MODEL_DIR -i TEXT`: how well a language model predicts a
// text, every token scored exactly once in order, the state carried through the whole
// text (token_stream.h): bits per character (code points + line breaks), perplexity
// per token, and the counts.
#pragma once

#include "command.h"

namespace recur::cli {

int run_bpc(const po::variables_map& args);

}  // namespace recur::cli
