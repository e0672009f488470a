// Shared by the tokenizer plugin tests: the test corpora's folder, the corpus models are
// trained on, and the message of the Error a call throws.
#pragma once

#include <filesystem>
#include <string>

#include "recur/core/error.h"

namespace recur::plugins::tokenizer_tests {

inline const std::filesystem::path kTokenizerData =
    std::filesystem::path(RECUR_TEST_DATA_DIR) / "tokenizers";
// 90 lines of English, French and German, the corpus tokenizers are trained on.
inline const std::filesystem::path kMixedCorpus = kTokenizerData / "corpus_en_fr_de.txt";

// Message of the Error thrown by f, or "" if none.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace recur::plugins::tokenizer_tests
