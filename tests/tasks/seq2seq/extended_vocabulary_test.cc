// tasks/seq2seq/extended_vocabulary.cc: each source numbers its own OOV words from V in
// order of first appearance (repeats share an id), targets get the ids of the OOVs their
// source has (others stay unknown), output ids are written as the words, and side files
// see the unknown id.
#include "extended_vocabulary.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"
#include "vocab_tokenizer.h"

namespace recur::tasks {
namespace {

std::unique_ptr<plugins::VocabTokenizer> words() {
  plugins::VocabTokenizerSettings s;
  s.kind = text::SymbolKind::kWord;
  s.vocab = RECUR_TEST_DATA_DIR "/fixtures/copy/joint.vocab";
  return plugins::make_vocab_tokenizer(s);
}

std::vector<std::int64_t> with_eos(const Tokenizer& tok, std::string_view text) {
  std::vector<std::int64_t> ids = tok.encode(text);
  ids.push_back(tok.eos_id());
  return ids;
}

TEST(ExtendedVocabulary, EachSourceNumbersItsOwnOovWords) {
  const auto tok = words();
  const ExtendedVocabulary ext(*tok, *tok);
  const std::int64_t v = tok->vocab_size(), unk = tok->unk_id();
  const std::string text = "the zzqx package for qqpl and zzqx";
  const std::vector<std::int64_t> ids = with_eos(*tok, text);
  ASSERT_EQ(ids[1], unk);
  OovWords oovs;
  const std::vector<std::int64_t> copy = ext.extend_source(text, ids, oovs);
  EXPECT_EQ(oovs, (OovWords{"zzqx", "qqpl"}));
  ASSERT_EQ(copy.size(), ids.size());
  EXPECT_EQ(copy[1], v);
  EXPECT_EQ(copy[4], v + 1);
  EXPECT_EQ(copy[6], v);
  EXPECT_EQ(copy.back(), tok->eos_id());
  for (std::size_t i : {0, 2, 3, 5}) EXPECT_EQ(copy[i], ids[i]) << i;

  // A cropped source keeps the OOVs of what is left.
  std::vector<std::int64_t> cropped(ids.begin(), ids.begin() + 3);
  cropped.push_back(tok->eos_id());
  EXPECT_EQ(ext.extend_source(text, cropped, oovs), (std::vector<std::int64_t>{ids[0], v, ids[2], ids[7]}));
  EXPECT_EQ(oovs, (OovWords{"zzqx"}));

  // No OOV: the ids as they are, no words.
  const std::vector<std::int64_t> known = with_eos(*tok, "the package");
  EXPECT_EQ(ext.extend_source("the package", known, oovs), known);
  EXPECT_TRUE(oovs.empty());
}

TEST(ExtendedVocabulary, TargetsCopyTheirSourcesOovsOnly) {
  const auto tok = words();
  const ExtendedVocabulary ext(*tok, *tok);
  const std::int64_t v = tok->vocab_size(), unk = tok->unk_id();
  const OovWords oovs{"zzqx", "qqpl"};
  const std::string target = "qqpl for zzqx not wwvb";
  std::vector<std::int64_t> ids = tok->encode(target);
  ext.extend_target(target, ids, oovs);
  EXPECT_EQ(ids[0], v + 1);
  EXPECT_EQ(ids[2], v);
  EXPECT_EQ(ids[4], unk);  // not in its source
}

TEST(ExtendedVocabulary, OutputAndSideFilesWriteTheWords) {
  const auto tok = words();
  const ExtendedVocabulary ext(*tok, *tok);
  const std::int64_t v = tok->vocab_size();
  const std::vector<std::int64_t> the = tok->encode("the");
  const std::vector<std::int64_t> out{the[0], v + 1, v};
  EXPECT_EQ(ext.decode(out, {"zzqx", "qqpl"}), "the qqpl zzqx");
  EXPECT_EQ(ext.decode(the, {}), "the");
  EXPECT_EQ(ext.pieces(out, {"zzqx", "qqpl"}), (std::vector<std::string>{tok->pieces(the)[0], "qqpl", "zzqx"}));
  EXPECT_THROW(ext.decode(out, {"zzqx"}), Error);  // id v + 1 needs two words
  EXPECT_THROW(ext.pieces(out, {"zzqx"}), Error);
}

}  // namespace
}  // namespace recur::tasks
