// The confidence JSON line: the chosen pieces with eos last, the candidates' pieces and
// rounded probabilities per step, empty lists for a blank line, a mismatch refused.
#include "recur/pipeline/confidence_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "recur/core/error.h"

namespace recur {
namespace {

// Piece of id i: "p<i>", eos "</s>".
class NamedTokenizer : public Tokenizer {
 public:
  std::vector<std::int64_t> encode(std::string_view) const override { return {}; }
  std::string decode(const std::vector<std::int64_t>&) const override { return ""; }
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override {
    std::vector<std::string> out;
    for (std::int64_t id : ids) out.push_back(id == eos_id() ? "</s>" : "p" + std::to_string(id));
    return out;
  }
  std::int64_t vocab_size() const override { return 20; }
  std::int64_t pad_id() const override { return 0; }
  std::int64_t bos_id() const override { return 1; }
  std::int64_t eos_id() const override { return 2; }
  std::int64_t unk_id() const override { return 3; }
};

TEST(ConfidenceJson, ChosenPiecesThenEosAndTheCandidatesOfEveryStep) {
  std::ostringstream out;
  const search::StepCandidates steps{{{7, 0.8f}, {9, 0.1234567f}}, {{2, 0.6f}, {7, 0.3f}}};
  write_confidence_json(out, 4, {7}, steps, NamedTokenizer{});
  const std::string line = out.str();
  ASSERT_EQ(line.back(), '\n');
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["line"], 4);
  EXPECT_EQ(j["tokens"], nlohmann::json::parse(R"(["p7", "</s>"])"));
  ASSERT_EQ(j["top_k"].size(), 2u);
  EXPECT_EQ(j["top_k"][0][1][0], "p9");
  EXPECT_DOUBLE_EQ(j["top_k"][0][1][1].get<double>(), 0.123457);  // six decimals
  EXPECT_EQ(j["top_k"][1][0][0], "</s>");
}

TEST(ConfidenceJson, ABlankLineHasEmptyListsAndAMismatchIsRefused) {
  std::ostringstream out;
  write_confidence_json(out, 2, {}, {}, NamedTokenizer{});
  EXPECT_EQ(out.str(), "{\"line\":2,\"tokens\":[],\"top_k\":[]}\n");
  EXPECT_THROW(write_confidence_json(out, 3, {7, 8}, {{{7, 1.0f}}}, NamedTokenizer{}), ShapeError);
}

}  // namespace
}  // namespace recur
