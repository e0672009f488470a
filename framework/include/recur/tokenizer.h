// Tokenizer interface: text <-> ids. Plugins: sentencepiece, char, whitespace.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "recur/plugin/component.h"

namespace recur {

class Tokenizer : public Component {
 public:
  static constexpr const char* kKind = "tokenizer";
  ~Tokenizer() override;

  // Ids of the text, without bos/eos. Unknown pieces map to unk_id().
  virtual std::vector<std::int64_t> encode(std::string_view text) const = 0;
  // Text of the ids; pad/bos/eos are skipped. An id outside [0, vocab_size()) is an Error.
  virtual std::string decode(const std::vector<std::int64_t>& ids) const = 0;
  // Surface pieces of ids (for attention output).
  virtual std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const = 0;
  virtual std::int64_t vocab_size() const = 0;

  virtual std::int64_t pad_id() const = 0;
  virtual std::int64_t bos_id() const = 0;
  virtual std::int64_t eos_id() const = 0;
  virtual std::int64_t unk_id() const = 0;
};

}  // namespace recur
