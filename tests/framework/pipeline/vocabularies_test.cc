// ensure_vocabularies: which tokenizer models are trained, by which trainer, from which
// corpora; a tokenizer without a trainer is an error at its `model:` key.
#include "recur/pipeline/vocabularies.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "framework/nn/temp_dir.h"
#include "recur/core/error.h"
#include "recur/tokenizer_trainer.h"

namespace recur {
namespace {

namespace fs = std::filesystem;

// Records each call and writes the model file.
struct Calls {
  std::vector<TokenizerTrainOptions> options;
};

class RecordingTrainer final : public TokenizerTrainer {
 public:
  explicit RecordingTrainer(Calls& calls) : calls_(calls) {}
  void train(const TokenizerTrainOptions& o) const override {
    calls_.options.push_back(o);
    std::ofstream(o.model) << "model";
  }

 private:
  Calls& calls_;
};

class Vocabularies : public ::testing::Test {
 protected:
  Vocabularies() {
    registry_.add(TokenizerTrainer::kKind, "spm",
                  [this](const config::Section&, const BuildContext&) -> std::unique_ptr<Component> {
                    return std::make_unique<RecordingTrainer>(calls_);
                  },
                  "test", "test.so");
    training_.source_corpus = dir_ / "train.en";
    training_.target_corpus = dir_ / "train.fr";
    training_.source_size = 100;
    training_.target_size = 200;
    training_.sample_lines = 50;
  }
  std::vector<fs::path> ensure(const std::string& yaml) {
    return ensure_vocabularies(registry_, config::load_string(yaml, "p.yaml", dir_.path()), training_);
  }

  testing::TempDir dir_;
  Registry registry_;
  Calls calls_;
  VocabularyTraining training_;
};

TEST_F(Vocabularies, TrainsEachMissingModelFromItsSide) {
  std::ofstream(dir_ / "have.model") << "x";
  const auto written = ensure(
      "source:\n  tokenizer: {plugin: spm, model: sub/src.model}\n"
      "target:\n  tokenizer: {plugin: spm, model: tgt.model}\n");
  EXPECT_EQ(written, (std::vector<fs::path>{dir_ / "sub/src.model", dir_ / "tgt.model"}));
  ASSERT_EQ(calls_.options.size(), 2u);
  EXPECT_EQ(calls_.options[0].corpora, std::vector<fs::path>{dir_ / "train.en"});
  EXPECT_EQ(calls_.options[0].vocab_size, 100);
  EXPECT_EQ(calls_.options[0].sample_lines, 50);
  EXPECT_FALSE(calls_.options[0].exact_vocab_size);
  EXPECT_EQ(calls_.options[1].corpora, std::vector<fs::path>{dir_ / "train.fr"});
  EXPECT_EQ(calls_.options[1].vocab_size, 200);

  // Both exist now: nothing to do.
  EXPECT_TRUE(ensure("source:\n  tokenizer: {plugin: spm, model: sub/src.model}\n"
                     "target:\n  tokenizer: {plugin: spm, model: tgt.model}\n")
                  .empty());
  EXPECT_EQ(calls_.options.size(), 2u);
}

TEST_F(Vocabularies, OneJointModelWhenBothSidesNameTheSameFile) {
  const auto written = ensure(
      "source:\n  tokenizer: {plugin: spm, model: joint.model}\n"
      "target:\n  tokenizer: {plugin: spm, model: ./joint.model}\n");
  EXPECT_EQ(written, std::vector<fs::path>{dir_ / "joint.model"});
  ASSERT_EQ(calls_.options.size(), 1u);
  EXPECT_EQ(calls_.options[0].corpora, (std::vector<fs::path>{dir_ / "train.en", dir_ / "train.fr"}));
  EXPECT_EQ(calls_.options[0].vocab_size, 100);
}

TEST_F(Vocabularies, SidesWithoutAModelFileAreSkipped) {
  EXPECT_TRUE(ensure("source:\n  tokenizer: {plugin: whitespace, vocab: v.txt}\n"
                     "target:\n  preprocessor: {plugin: opencv}\n")
                  .empty());
  EXPECT_TRUE(calls_.options.empty());
}

TEST_F(Vocabularies, AMissingModelWithoutATrainerIsAnErrorAtTheKey) {
  std::ofstream(dir_ / "src.model") << "x";
  try {
    ensure("source:\n  tokenizer: {plugin: spm, model: src.model}\n"
           "target:\n  tokenizer:\n    plugin: bpe\n    model: tgt.model\n");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("p.yaml:6:12: target.tokenizer.model: " + (dir_ / "tgt.model").string() +
                                              " does not exist, and the 'bpe' tokenizer has no trainer",
                                          0),
              0u)
        << e.what();
  }
  EXPECT_TRUE(calls_.options.empty());
}

}  // namespace
}  // namespace recur
