// The `sentencepiece` tokenizer: a SentencePiece model (.model file) from
// libsentencepiece.
//
// Special ids come from the model: bos (<s>), eos (</s>) and unk must exist in it (an
// IoError naming the file otherwise). pad may be absent (spm_train's default is
// pad_id=-1): then recur appends one id after the model's pieces for padding, so
// pad_id() == vocab_size() - 1 == the model's piece count; it is never produced by
// encode and decodes to nothing. Models trained by train_sentencepiece() (spm_train.h)
// have pad 0, bos 1, eos 2, unk 3, the same layout as the char and whitespace tokenizers.
//
// Surfaces (SurfaceTokenizer): each id's piece as the model segmented the text; an
// unknown piece is the characters it covers (never whitespace: that is a piece), and
// decode_words() writes a given word where an id's piece would go, so "▁" + "Š" + "eba"
// decodes as " Šeba".
//
// Pipeline settings:
//   model: spm.model     # relative to the YAML's directory
#pragma once

#include <filesystem>
#include <memory>

#include "recur/plugin/component.h"
#include "recur/surface_tokenizer.h"
#include "recur/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace recur::plugins {

class SentencePieceTokenizer final : public Tokenizer, public SurfaceTokenizer {
 public:
  explicit SentencePieceTokenizer(const std::filesystem::path& model);
  ~SentencePieceTokenizer() override;

  std::vector<std::int64_t> encode(std::string_view text) const override;
  std::string decode(const std::vector<std::int64_t>& ids) const override;
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override;
  std::int64_t vocab_size() const override { return vocab_size_; }
  std::vector<std::string> surfaces(std::string_view text) const override;
  std::string decode_words(const std::vector<std::int64_t>& ids,
                           const std::vector<std::string>& words) const override;

  std::int64_t pad_id() const override { return pad_; }
  std::int64_t bos_id() const override { return bos_; }
  std::int64_t eos_id() const override { return eos_; }
  std::int64_t unk_id() const override { return unk_; }

  // True if pad is the extra id recur appended (the model has no pad piece).
  bool pad_is_appended() const { return vocab_size_ > model_pieces_; }

 private:
  void check_id(std::int64_t id) const;

  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
  std::int64_t model_pieces_ = 0;
  std::int64_t vocab_size_ = 0;
  std::int64_t pad_ = 0, bos_ = 0, eos_ = 0, unk_ = 0;
};

struct SentencePieceSettings {
  std::filesystem::path model;
};

SentencePieceSettings parse_sentencepiece_settings(const config::Section& section);
std::unique_ptr<Tokenizer> sentencepiece_tokenizer_factory(const config::Section& section,
                                                           const BuildContext& context);

}  // namespace recur::plugins
