// End to end: `recur train` fits a small classifier to a slice of the UCI sentiment
// sentences (tests/data/sentiment), `recur classify` labels files with it (one line per
// input line, blank lines kept, JSON distributions) and `recur eval --metric accuracy`
// scores it; flags and data the task cannot take are errors naming them.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cli/run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kData = RECUR_TEST_DATA_DIR "/sentiment";

std::string pipeline_yaml(const std::string& label_file) {
  const std::string train = (kData / "train.text").string();
  return "task: classification\n"
         "labels: [negative, positive]\n"
         "source:\n  tokenizer: {plugin: whitespace, corpus: " + train +
         ", lowercase: true, split_punctuation: true}\n"
         "encoder: {plugin: bilstm, embedding_size: 32, hidden_size: 32, layers: 1, dropout: 0.0}\n"
         "classifier: {pooling: max, dropout: 0.0}\n"
         "max_source_length: 80\n"
         "train:\n"
         "  data: {text: " + train + ", label: " + label_file +
         ", valid_text: " + (kData / "valid.text").string() + ", valid_label: " + (kData / "valid.label").string() +
         "}\n"
         "  batch_tokens: 2000\n  lr: 0.01\n  warmup_steps: 0\n  decay: constant\n  epochs: 12\n"
         "  label_smoothing: 0.0\n  log_every: 10\n  valid_every: 20\n  metric: accuracy\n  patience: 100\n"
         "  checkpoint_dir: ckpt\n  seed: 3\n";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One test: every ctest case is its own process, and each would train the model again.
TEST(ClassifyCli, TrainClassifyEvalJsonAndUsageErrors) {
  TempDir dir;
  const fs::path yaml = dir.path() / "sentiment.yaml", model = dir.path() / "model";
  std::ofstream(yaml) << pipeline_yaml((kData / "train.label").string());
  RunResult train = run_recur({"train", yaml.string(), "-o", model.string(), "--threads", "1"});
  ASSERT_EQ(train.code, 0) << train.err;
  EXPECT_NE(train.err.find("training texts per class: negative 192, positive 208"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("accuracy"), std::string::npos);
  EXPECT_NE(train.err.find(" texts/s | "), std::string::npos) << train.err;  // the log names what it counts

  {
    SCOPED_TRACE("every line labelled; the model fits its training data");
    const fs::path out = dir.path() / "train.out";
    RunResult r = run_recur({"classify", "-m", model.string(), "-i", (kData / "train.text").string(), "-o", out.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto labels = lines_of(read(out));
    ASSERT_EQ(labels.size(), 400u);
    for (const auto& l : labels) {
      const auto tab = l.find('\t');
      ASSERT_NE(tab, std::string::npos) << l;
      const std::string label = l.substr(0, tab);
      EXPECT_TRUE(label == "negative" || label == "positive") << l;
      const double p = std::stod(l.substr(tab + 1));
      EXPECT_GE(p, 0.5);
      EXPECT_LE(p, 1.0);
    }
    // Twelve epochs over 400 sentences: the model has learnt its training data.
    RunResult e = run_recur({"eval", "--metric", "accuracy", "--ref", (kData / "train.label").string(), out.string(),
                             "--score-only"});
    ASSERT_EQ(e.code, 0) << e.err;
    const auto scores = lines_of(e.out);
    ASSERT_EQ(scores.size(), 2u) << e.out;
    EXPECT_GE(std::stod(scores[0]), 90.0) << e.out;  // accuracy
    EXPECT_GE(std::stod(scores[1]), 90.0) << e.out;  // macro-F1
  }
  {
    SCOPED_TRACE("blank lines keep their place; --json gives the distribution");
    const fs::path in = dir.path() / "mixed.txt";
    std::ofstream(in) << "Great product, works perfectly.\n\nTerrible. It broke after a day.\n";
    RunResult r = run_recur({"classify", "-m", model.string(), "-i", in.string(), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = lines_of(r.out);
    ASSERT_EQ(out.size(), 3u) << r.out;
    EXPECT_EQ(out[1], "{}");
    for (std::size_t i : {0u, 2u}) {
      const auto j = nlohmann::json::parse(out[i]);
      const double neg = j["probabilities"]["negative"], pos = j["probabilities"]["positive"];
      EXPECT_NEAR(neg + pos, 1.0, 1e-5);
      EXPECT_EQ(j["label"], pos > neg ? "positive" : "negative");
      EXPECT_DOUBLE_EQ(j["probability"].get<double>(), std::max(neg, pos));
    }
    RunResult plain = run_recur({"classify", "-m", model.string(), "-i", in.string()});
    ASSERT_EQ(plain.code, 0) << plain.err;
    EXPECT_EQ(lines_of(plain.out)[1], "");
    EXPECT_NE(plain.err.find("empty"), std::string::npos) << plain.err;
  }
  {
    SCOPED_TRACE("search flags are usage errors");
    RunResult r = run_recur({"classify", "-m", model.string(), "-i", (kData / "valid.text").string(), "--beam", "2"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("--beam"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("does not search"), std::string::npos) << r.err;
    const fs::path att = dir.path() / "att.jsonl";
    RunResult a = run_recur({"classify", "-m", model.string(), "-i", (kData / "valid.text").string(), "--attention",
                             att.string()});
    EXPECT_NE(a.code, 0);
    EXPECT_NE(a.err.find("--attention"), std::string::npos) << a.err;
    EXPECT_FALSE(fs::exists(att));  // nothing is written before everything is checked
  }
}

TEST(ClassifyTrainErrors, AnUnknownLabelNamesFileAndLine) {
  TempDir dir;
  const fs::path labels = dir.path() / "train.label";
  std::string text = read(kData / "train.label");
  const auto third = text.find('\n', text.find('\n') + 1) + 1;
  text.replace(third, text.find('\n', third) - third, "neutral");
  std::ofstream(labels) << text;
  const fs::path yaml = dir.path() / "p.yaml";
  std::ofstream(yaml) << pipeline_yaml(labels.string());
  RunResult r = run_recur({"train", yaml.string(), "-o", (dir.path() / "m").string()});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find(labels.string() + ":3: unknown label 'neutral'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace recur::testing
