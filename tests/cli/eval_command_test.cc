// `recur eval`: parallel line files, and caption TSVs (--format tsv) joined on the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "run_recur.h"

namespace recur::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path path = dir.path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

// Two images, the first with two references. The hypotheses come in another order than
// the references; "a.png" equals one of its references, "b.png" does not.
class EvalTsv : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string refs_ = write(dir_, "refs.tsv",
                            "images/a.png\tgrinning face\nimages/b.png\tflag: Egypt\n"
                            "images/a.png\tgrinning face with big eyes\n");
  std::string hyps_ =
      write(dir_, "hyps.tsv", "images/b.png\tflag: Spain\nimages/a.png\tgrinning face\n");
};

TEST_F(EvalTsv, ScoresCaptionsJoinedOnThePath) {
  RunResult r = run_recur({"eval", "--format", "tsv", "--metric", "cider", "--metric", "exact",
                           "--metric", "bleu", "--ref", refs_, hyps_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("CIDEr-D = "));
  EXPECT_THAT(r.out, HasSubstr("\nExact match = 50.00\n"));
  EXPECT_THAT(r.out, HasSubstr("\nBLEU = "));
  EXPECT_EQ(r.err, "");

  // The same hypotheses as parallel line files give the same scores.
  const std::string hyp_lines = write(dir_, "hyp.txt", "flag: Spain\ngrinning face\n");
  const std::string ref1 = write(dir_, "ref1.txt", "flag: Egypt\ngrinning face\n");
  const std::string ref2 = write(dir_, "ref2.txt", "\ngrinning face with big eyes\n");
  RunResult lines = run_recur({"eval", "--metric", "cider", "--metric", "exact", "--metric", "bleu",
                               "-r", ref1, "-r", ref2, hyp_lines});
  ASSERT_EQ(lines.code, 0) << lines.err;
  EXPECT_EQ(lines.out, r.out);
}

TEST_F(EvalTsv, ScoreOnlyAndUnscoredReferencesAreWarned) {
  const std::string one = write(dir_, "one.tsv", "images/a.png\tgrinning face\n");
  RunResult r =
      run_recur({"eval", "--format", "tsv", "--metric", "exact", "--score-only", "-r", refs_, one});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "100.00\n");
  EXPECT_THAT(r.err, HasSubstr("1 of the 2 keys in " + refs_ + " have no hypothesis"));
}

TEST_F(EvalTsv, InputErrorsNameFileAndLine) {
  const std::string unknown = write(dir_, "unknown.tsv", "images/a.png\tx\nimages/z.png\ty\n");
  RunResult r = run_recur({"eval", "--format", "tsv", "-r", refs_, unknown});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "recur: error: " + unknown + ":2: 'images/z.png' has no reference in " + refs_ + "\n");

  const std::string no_tab = write(dir_, "notab.tsv", "images/a.png\tx\nimages/b.png flag\n");
  r = run_recur({"eval", "--format", "tsv", "-r", refs_, no_tab});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(no_tab + ":2: no TAB"));

  const std::string twice = write(dir_, "twice.tsv", "images/a.png\tx\nimages/a.png\ty\n");
  r = run_recur({"eval", "--format", "tsv", "-r", refs_, twice});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(twice + ":2: 'images/a.png' already has a hypothesis at line 1"));

  const std::string empty_ref = write(dir_, "empty.tsv", "images/a.png\t \n");
  r = run_recur({"eval", "--format", "tsv", "-r", empty_ref, hyps_});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(empty_ref + ":1: empty reference for 'images/a.png'"));
}

TEST_F(EvalTsv, UsageErrorsNameTheFlag) {
  RunResult r = run_recur({"eval", "--format", "csv", "-r", refs_, hyps_});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err,
              StartsWith("recur eval: --format: unknown format 'csv' (expected lines or tsv)"));
  r = run_recur({"eval", "--format", "tsv", "--metric", "meteor", "-r", refs_, hyps_});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("recur eval: --metric: unknown metric 'meteor'"));
}

TEST(EvalLines, LineCountMismatchIsAnError) {
  TempDir dir;
  RunResult r =
      run_recur({"eval", "-r", write(dir, "ref.txt", "a\nb\n"), write(dir, "hyp.txt", "a\n")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("ref.txt: 2 lines, but "));
}


// `recur classify` output (label<TAB>probability) against label lines: accuracy, macro-F1
// (hand-computed as in metrics/classification_test.cc) and the confusion matrix.
TEST(EvalAccuracy, ClassifierLabelsAgainstReferenceLabels) {
  TempDir dir;
  const std::string refs = write(dir, "ref.label", "a\na\na\nb\nb\nc\n");
  const std::string hyps = write(dir, "hyp.out", "a\t0.9\na\t0.8\nb\t0.6\nb\t0.7\nc\t0.5\nc\t0.99\n");
  RunResult r = run_recur({"eval", "--metric", "accuracy", "--ref", refs, hyps});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Accuracy = 66.67"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Macro-F1 = 65.56 (6 segments, 3 labels)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("        a         2         1         0     80.00"), std::string::npos) << r.out;
  RunResult quiet = run_recur({"eval", "--metric", "accuracy", "--score-only", "--ref", refs, hyps});
  EXPECT_EQ(quiet.out, "66.67\n65.56\n");
  RunResult bad = run_recur({"eval", "--metric", "acc", "--ref", refs, hyps});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--metric"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace recur::testing
