// What copying source words outside the vocabulary needs from a tokenizer (the extended
// vocabulary of copy attention, docs/text-models.md): the text each token of an encoded
// text stands for, and text made of tokens some of which are such words. A tokenizer may
// also derive from it; the seq2seq tasks find it with dynamic_cast on the target
// tokenizer. Plugins: sentencepiece, char, whitespace. Since ABI 4.3.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace recur {

class SurfaceTokenizer {
 public:
  virtual ~SurfaceTokenizer();

  // One string per id of encode(text), in order: the piece of text that id stands for,
  // as decode_words() takes it back (for an unknown piece: the characters themselves).
  virtual std::vector<std::string> surfaces(std::string_view text) const = 0;
  // The text of tokens: token i is words[i] when that is not empty (a copied word, any
  // text; ids[i] is then ignored), else ids[i] as decode() reads it. Both the same length.
  virtual std::string decode_words(const std::vector<std::int64_t>& ids,
                                   const std::vector<std::string>& words) const = 0;
};

}  // namespace recur
