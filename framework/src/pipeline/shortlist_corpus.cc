#include "recur/pipeline/shortlist_corpus.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "recur/data/line_reader.h"
#include "recur/pipeline/shortlist_file.h"
#include "recur/text/joint_vocabulary.h"
#include "recur/text/utf8.h"

namespace recur {

namespace {

std::vector<std::vector<std::int64_t>> read_ids(const std::filesystem::path& path, const Tokenizer& tokenizer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for reading");
  data::LineReader reader(in, path.string());
  std::vector<std::vector<std::int64_t>> ids;
  while (true) {
    std::vector<data::Line> lines = reader.next(4096);
    if (lines.empty()) break;
    for (data::Line& line : lines) {
      text::replace_invalid_utf8(line.text);
      ids.push_back(tokenizer.encode(line.text));
    }
  }
  return ids;
}

}  // namespace

LearnedShortlist learn_shortlist(const Pipeline& pipeline, const std::filesystem::path& source,
                                 const std::filesystem::path& target, search::ShortlistLearning l) {
  const Tokenizer* source_tokenizer = pipeline.source_tokenizer();
  if (!source_tokenizer) throw Error("shortlist: the pipeline's source is not text (no source tokenizer)");
  const Tokenizer& target_tokenizer = pipeline.target_tokenizer();
  auto src = read_ids(source, *source_tokenizer);
  auto tgt = read_ids(target, target_tokenizer);
  if (src.size() != tgt.size()) {
    throw IoError(source.string() + " has " + std::to_string(src.size()) + " lines but " + target.string() +
                  " has " + std::to_string(tgt.size()));
  }
  std::size_t kept = 0;  // pairs with both sides non-empty, moved to the front
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src[i].empty() || tgt[i].empty()) continue;
    if (kept != i) {
      src[kept] = std::move(src[i]);
      tgt[kept] = std::move(tgt[i]);
    }
    ++kept;
  }
  src.resize(kept);
  tgt.resize(kept);
  l.source_vocab = source_tokenizer->vocab_size();
  l.target_vocab = target_tokenizer.vocab_size();
  l.joint = text::shares_vocabulary(*source_tokenizer, target_tokenizer);
  return {search::learn_shortlist(src, tgt, l), static_cast<std::int64_t>(kept)};
}

LearnedShortlist write_learned_shortlist(const Pipeline& pipeline, const std::filesystem::path& source,
                                         const std::filesystem::path& target, const search::ShortlistLearning& how,
                                         const std::filesystem::path& out) {
  LearnedShortlist learned = learn_shortlist(pipeline, source, target, how);
  std::ostringstream min_score;
  min_score << how.min_score;
  save_shortlist(out, learned.table,
                 {{"score", how.score == search::ShortlistScore::llr ? "llr" : "dice"},
                  {"min_score", min_score.str()},
                  {"pairs", std::to_string(learned.pairs)},
                  {"source", source.filename().string()},
                  {"target", target.filename().string()}});
  return learned;
}

}  // namespace recur
