// Text records: invalid bytes and NUL bytes are replaced and counted (or an error in
// strict mode), blank lines run nothing, long ones are cropped with eos kept.
#include "recur/pipeline/text_records.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur {
namespace {

// One id per byte (its value + 10); eos 2.
class ByteTokenizer : public Tokenizer {
 public:
  std::vector<std::int64_t> encode(std::string_view text) const override {
    std::vector<std::int64_t> ids;
    for (unsigned char c : text) ids.push_back(c + 10);
    return ids;
  }
  std::string decode(const std::vector<std::int64_t>&) const override { return ""; }
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override {
    return std::vector<std::string>(ids.size());
  }
  std::int64_t vocab_size() const override { return 266; }
  std::int64_t pad_id() const override { return 0; }
  std::int64_t bos_id() const override { return 1; }
  std::int64_t eos_id() const override { return 2; }
  std::int64_t unk_id() const override { return 3; }
};

std::vector<std::int64_t> ids_of(std::string text, const TextRecordRules& rules, JobCounts& counts) {
  data::Line line{7, std::move(text), 0};
  return text_record_ids(line, ByteTokenizer{}, rules, "in.txt", counts);
}

TEST(TextRecords, NulBytesAreNotTextAndAreCounted) {
  JobCounts counts;
  declare_text_warnings(counts);
  auto ids = ids_of(std::string("\0\0", 2), {}, counts);
  EXPECT_EQ(counts.get("invalid UTF-8"), 1u);
  EXPECT_EQ(counts.warnings(), 1u);
  // Each NUL became U+FFFD (3 bytes), then eos.
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(ids.back(), 2);
}

TEST(TextRecords, StrictModeNamesTheLineAndByte) {
  JobCounts counts;
  TextRecordRules rules;
  rules.strict = true;
  try {
    ids_of(std::string("ab\0", 3), rules, counts);
    FAIL() << "accepted a NUL byte";
  } catch (const IoError& e) {
    EXPECT_STREQ(e.what(), "in.txt:7: NUL byte at byte 3");
  }
  EXPECT_THROW(ids_of("a\xFF", rules, counts), IoError);
}

TEST(TextRecords, BlankLinesRunNothingAndLongOnesAreCropped) {
  JobCounts counts;
  declare_text_warnings(counts);
  EXPECT_TRUE(ids_of(" \t ", {}, counts).empty());
  EXPECT_EQ(counts.get("empty"), 1u);
  TextRecordRules rules;
  rules.max_length = 4;
  auto ids = ids_of("abcdef", rules, counts);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{'a' + 10, 'b' + 10, 'c' + 10, 2}));
  EXPECT_EQ(counts.get("cropped"), 1u);
}

TEST(TextRecords, OutputsStayOnOneLine) { EXPECT_EQ(one_line("a\nb\rc"), "a b c"); }

}  // namespace
}  // namespace recur
