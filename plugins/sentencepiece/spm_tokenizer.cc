#include "spm_tokenizer.h"

#include <sentencepiece_processor.h>

#include "recur/core/error.h"

namespace recur::plugins {

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& model)
    : sp_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
  if (!std::filesystem::is_regular_file(model)) {
    throw IoError("sentencepiece model " + model.string() + " does not exist or is not a file");
  }
  const auto status = sp_->Load(model.string());
  if (!status.ok()) throw IoError("cannot load sentencepiece model " + model.string() + ": " + status.ToString());
  model_pieces_ = sp_->GetPieceSize();
  unk_ = sp_->unk_id();
  bos_ = sp_->bos_id();
  eos_ = sp_->eos_id();
  if (bos_ < 0 || eos_ < 0) {
    throw IoError("sentencepiece model " + model.string() +
                  " has no bos or eos piece (recur needs both: train with bos_id and eos_id >= 0)");
  }
  pad_ = sp_->pad_id() >= 0 ? sp_->pad_id() : model_pieces_;
  vocab_size_ = pad_ == model_pieces_ ? model_pieces_ + 1 : model_pieces_;
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

void SentencePieceTokenizer::check_id(std::int64_t id) const {
  if (id < 0 || id >= vocab_size_) {
    throw Error("sentencepiece tokenizer: token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                std::to_string(vocab_size_) + ")");
  }
}

std::vector<std::int64_t> SentencePieceTokenizer::encode(std::string_view text) const {
  std::vector<int> ids;
  const auto status = sp_->Encode(text, &ids);
  if (!status.ok()) throw Error("sentencepiece tokenizer: cannot encode: " + status.ToString());
  return {ids.begin(), ids.end()};
}

std::string SentencePieceTokenizer::decode(const std::vector<std::int64_t>& ids) const {
  std::vector<int> kept;
  kept.reserve(ids.size());
  for (std::int64_t id : ids) {
    check_id(id);
    if (id != pad_ && id != bos_ && id != eos_) kept.push_back(static_cast<int>(id));
  }
  std::string out;
  const auto status = sp_->Decode(kept, &out);
  if (!status.ok()) throw Error("sentencepiece tokenizer: cannot decode: " + status.ToString());
  return out;
}

std::vector<std::string> SentencePieceTokenizer::surfaces(std::string_view text) const {
  sentencepiece::ImmutableSentencePieceText spt;
  const auto status = sp_->Encode(text, spt.mutable_proto());
  if (!status.ok()) throw Error("sentencepiece tokenizer: cannot encode: " + status.ToString());
  std::vector<std::string> out;
  out.reserve(spt.pieces_size());
  for (const auto& piece : spt.pieces()) out.push_back(piece.piece());
  return out;
}

std::string SentencePieceTokenizer::decode_words(const std::vector<std::int64_t>& ids,
                                                 const std::vector<std::string>& words) const {
  if (words.size() != ids.size()) {
    throw Error("sentencepiece tokenizer: " + std::to_string(words.size()) + " words for " +
                std::to_string(ids.size()) + " ids");
  }
  std::vector<std::string> kept;
  kept.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!words[i].empty()) {
      kept.push_back(words[i]);
      continue;
    }
    check_id(ids[i]);
    if (ids[i] != pad_ && ids[i] != bos_ && ids[i] != eos_) kept.push_back(sp_->IdToPiece(static_cast<int>(ids[i])));
  }
  std::string out;
  const auto status = sp_->Decode(kept, &out);
  if (!status.ok()) throw Error("sentencepiece tokenizer: cannot decode: " + status.ToString());
  return out;
}

std::vector<std::string> SentencePieceTokenizer::pieces(const std::vector<std::int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    check_id(id);
    out.push_back(id == model_pieces_ ? std::string("<pad>") : sp_->IdToPiece(static_cast<int>(id)));
  }
  return out;
}

}  // namespace recur::plugins
