#include "tiny_model.h"

#include <gtest/gtest.h>

#include <fstream>

#include "cli/run_recur.h"

namespace recur::testing {

namespace fs = std::filesystem;

namespace {

std::string pipeline_yaml(const fs::path& data) {
  const std::string en = (data / "en-fr.train.en").string();
  const std::string fr = (data / "en-fr.train.fr").string();
  return "task: translation\n"
         "source:\n  tokenizer: {plugin: whitespace, corpus: " + en + ", max_size: 400}\n"
         "target:\n  tokenizer: {plugin: whitespace, corpus: " + fr + ", max_size: 400}\n"
         "encoder: {plugin: bilstm, embedding_size: 24, hidden_size: 16, layers: 1, dropout: 0.1}\n"
         "decoder: {plugin: gru, embedding_size: 24, hidden_size: 32, attention: general, dropout: 0.1}\n"
         "search: {beam_size: 3, max_length_a: 1.2, max_length_b: 5}\n"
         "max_source_length: 64\n"
         "train:\n"
         "  data: {source: " + en + ", target: " + fr + ", max_length: 64}\n"
         "  batch_tokens: 600\n  lr: 0.01\n  epochs: 1\n  max_steps: 12\n  log_every: 4\n"
         "  valid_every: 100\n  checkpoint_dir: ckpt\n  seed: 3\n";
}

}  // namespace

const fs::path& tiny_model_dir() {
  static TempDir dir;
  static fs::path model;
  if (model.empty()) {
    const fs::path yaml = dir.path() / "tiny.yaml";
    std::ofstream(yaml) << pipeline_yaml(RECUR_TEST_DATA_DIR "/ddtp");
    RunResult r = run_recur({"train", yaml.string(), "-o", (dir.path() / "model").string()});
    EXPECT_EQ(r.code, 0) << r.err;
    model = dir.path() / "model";
  }
  return model;
}

}  // namespace recur::testing
