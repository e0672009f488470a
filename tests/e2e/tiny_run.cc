#include "tiny_run.h"

#include <fstream>

namespace recur::testing {

namespace fs = std::filesystem;

namespace {

std::string pipeline_yaml(const fs::path& data, const fs::path& dir, const std::string& extra) {
  const std::string en = (data / "en-fr.train.en").string();
  const std::string fr = (data / "en-fr.train.fr").string();
  return "task: translation\n"
         "source:\n  tokenizer: {plugin: whitespace, corpus: " + en + ", max_size: 200}\n"
         "target:\n  tokenizer: {plugin: whitespace, corpus: " + fr + ", max_size: 200}\n"
         "encoder: {plugin: bilstm, embedding_size: 8, hidden_size: 8, layers: 1, dropout: 0.1}\n"
         "decoder: {plugin: gru, embedding_size: 8, hidden_size: 8, attention: general, dropout: 0.1}\n"
         "search: {beam_size: 1, max_length_a: 1.0, max_length_b: 3}\n"
         "max_source_length: 32\n"
         "train:\n"
         "  data: {source: " + en + ", target: " + fr + ", valid_source: " +
         (dir / "valid.en").string() + ", valid_target: " + (dir / "valid.fr").string() +
         ", max_length: 32, valid_bleu_lines: 5}\n"
         "  batch_tokens: 400\n  lr: 0.01\n  epochs: 2\n  max_steps: 16\n  log_every: 3\n"
         "  valid_every: 4\n  checkpoint_dir: ckpt\n  seed: 3\n" + extra;
}

void write_head(const fs::path& from, const fs::path& to, int lines) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  for (int i = 0; i < lines && std::getline(in, line); ++i) out << line << '\n';
}

}  // namespace

fs::path make_tiny_run(const fs::path& root, const std::string& name, const std::string& extra_train_keys) {
  const fs::path dir = root / name;
  fs::create_directories(dir);
  const fs::path data = RECUR_TEST_DATA_DIR "/ddtp";
  write_head(data / "sample-test.en", dir / "valid.en", 20);
  write_head(data / "sample-test.fr", dir / "valid.fr", 20);
  std::ofstream(dir / "tiny.yaml") << pipeline_yaml(data, dir, extra_train_keys);
  return dir;
}

}  // namespace recur::testing
