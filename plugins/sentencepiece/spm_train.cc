#include "spm_train.h"

#include <sentencepiece_trainer.h>

#include <fstream>
#include <optional>
#include <string>
#include <unordered_map>

#include "recur/core/error.h"

namespace recur::plugins {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWho = "sentencepiece trainer: ";

void check(const TokenizerTrainOptions& o) {
  if (o.vocab_size < 5) throw Error(std::string(kWho) + "vocab_size must be at least 5 (4 specials and a piece)");
  if (!o.model_type.empty() && o.model_type != "unigram" && o.model_type != "bpe" && o.model_type != "char" &&
      o.model_type != "word") {
    throw Error(std::string(kWho) + "model_type must be unigram, bpe, char or word, got \"" + o.model_type + "\"");
  }
  if (!(o.character_coverage > 0.0 && o.character_coverage <= 1.0)) {
    throw Error(std::string(kWho) + "character_coverage must be in (0, 1]");
  }
  if (o.threads < 1 || o.sample_lines < 0) throw Error(std::string(kWho) + "invalid threads or sample_lines");
  if (o.model.empty() || o.model.filename().empty()) throw Error(std::string(kWho) + "the model path is empty");
  if (o.corpora.empty()) throw Error(std::string(kWho) + "no corpus");
}

std::string joined(const std::vector<fs::path>& files) {
  std::string out;
  for (const fs::path& f : files) out += (out.empty() ? "" : ", ") + f.string();
  return out;
}

// Whether the file has a line with a non-blank character (SentencePiece has nothing to
// learn from blank lines, and fails with an internal check on an empty input).
bool has_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(std::string(kWho) + "cannot open the corpus " + file.string());
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r\f\v") != std::string::npos) return true;
  }
  return false;
}

// A temporary file removed when it goes out of scope, whatever happened.
class TemporaryFile {
 public:
  explicit TemporaryFile(fs::path path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Writes the corpora one after the other, each ending with a newline.
void concatenate(const std::vector<fs::path>& corpora, const fs::path& out_file) {
  std::ofstream out(out_file, std::ios::binary);
  if (!out) throw IoError(out_file.string() + ": cannot open for writing");
  for (const fs::path& c : corpora) {
    std::ifstream in(c, std::ios::binary);
    if (!in) throw IoError(std::string(kWho) + "cannot open the corpus " + c.string());
    std::string line;
    while (std::getline(in, line)) out << line << '\n';
  }
  out.flush();
  if (!out) throw IoError(out_file.string() + ": write error");
}

}  // namespace

void train_sentencepiece(const TokenizerTrainOptions& o) {
  check(o);
  bool any_text = false;
  for (const fs::path& c : o.corpora) {
    if (!fs::is_regular_file(c)) {
      throw IoError(std::string(kWho) + "corpus " + c.string() + " does not exist or is not a file");
    }
    any_text = any_text || has_text(c);
  }
  if (!any_text) {
    throw IoError(std::string(kWho) + "nothing to train the model " + o.model.string() + " on: " +
                  joined(o.corpora) + (o.corpora.size() > 1 ? " have" : " has") + " no text");
  }
  std::optional<TemporaryFile> joint;
  fs::path input = o.corpora.front();
  if (o.corpora.size() > 1) {
    joint.emplace(fs::path(o.model.string() + ".corpus.txt"));
    concatenate(o.corpora, joint->path());
    input = joint->path();
  }
  const fs::path prefix = o.model.parent_path() / o.model.stem();
  // A map, not a command line: paths with spaces or '=' pass through untouched.
  const std::unordered_map<std::string, std::string> args = {
      {"input", input.string()},
      {"model_prefix", prefix.string()},
      {"vocab_size", std::to_string(o.vocab_size)},
      {"model_type", o.model_type.empty() ? "unigram" : o.model_type},
      {"character_coverage", std::to_string(o.character_coverage)},
      {"input_sentence_size", std::to_string(o.sample_lines)},
      {"shuffle_input_sentence", "true"},
      {"num_threads", std::to_string(o.threads)},
      {"hard_vocab_limit", o.exact_vocab_size ? "true" : "false"},
      {"pad_id", "0"},
      {"bos_id", "1"},
      {"eos_id", "2"},
      {"unk_id", "3"},
      {"pad_piece", "<pad>"},
      {"minloglevel", "1"},
  };
  const auto status = sentencepiece::SentencePieceTrainer::Train(args);
  if (!status.ok()) {
    throw IoError(std::string(kWho) + "training on " + joined(o.corpora) + " failed: " + status.ToString());
  }
  fs::path written = prefix;
  written += ".model";
  if (written != o.model) fs::rename(written, o.model);
}

std::unique_ptr<TokenizerTrainer> sentencepiece_trainer_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<SentencePieceTrainer>();
}

}  // namespace recur::plugins
