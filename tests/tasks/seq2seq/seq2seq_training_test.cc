// tasks/seq2seq/seq2seq_training.cc with the extended vocabulary: a training pair whose
// source has words outside the vocabulary keeps its extended source ids, its target's
// copies of them get their extended ids (other unknown words stay unk), and the loss
// of such a batch is finite over the decoder's extended columns; without the extended
// vocabulary the targets keep unk.
#include "seq2seq_training.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include <unistd.h>

#include "recur/plugin/host.h"

namespace recur::tasks {
namespace {

namespace fs = std::filesystem;

TEST(Seq2SeqTraining, PairsCopyTheirSourcesOovWords) {
  PluginHost host;
  host.load_search_path({});
  Pipeline p = Pipeline::load(RECUR_TEST_DATA_DIR "/fixtures/copy/gru_general_extended/pipeline.yaml",
                              host.registry());
  const fs::path dir = fs::temp_directory_path() / ("recur_seq2seq_training_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "src") << "the zzqx package for qqpl\nthe package\n";
  std::ofstream(dir / "tgt") << "qqpl for zzqx and wwvb\nthe package\n";
  const Tokenizer& tok = p.target_tokenizer();
  const std::int64_t v = tok.vocab_size(), unk = tok.unk_id();
  const ExtendedVocabulary ext(tok, dynamic_cast<const SurfaceTokenizer&>(tok));

  PairCorpus c = load_pairs(p, dir / "src", dir / "tgt", 100, &ext);
  ASSERT_EQ(c.source.size(), 2u);
  ASSERT_EQ(c.copy_source.size(), 1u);  // the second pair has no OOV
  EXPECT_EQ(c.copy_source[0][1], v);
  EXPECT_EQ(c.copy_source[0][4], v + 1);
  EXPECT_EQ(c.source[0][1], unk);  // the encoder still reads unk
  EXPECT_EQ(c.target[0][0], v + 1);
  EXPECT_EQ(c.target[0][2], v);
  EXPECT_EQ(c.target[0][4], unk);  // wwvb: not in its source
  p.model().train();
  train::StepLoss loss = seq2seq_loss(p, c, {0, 1}, 0.1f, true);
  EXPECT_TRUE(std::isfinite(loss.loss.item()));
  EXPECT_EQ(loss.tokens, 5 + 1 + 2 + 1);

  PairCorpus plain = load_pairs(p, dir / "src", dir / "tgt", 100);
  EXPECT_TRUE(plain.copy_source.empty());
  EXPECT_EQ(plain.target[0][0], unk);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace recur::tasks
