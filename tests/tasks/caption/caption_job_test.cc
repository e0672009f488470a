// The captioning job through the runner: one output per input record, in input order,
// whatever the batching; unusable images (missing, corrupt, not an image, too large,
// empty lines) get an empty caption and a counted warning naming input:line and the
// path, or an error in strict mode; real PNGs of the fixture's scenes get their captions.
#include <gmock/gmock.h>

#include "caption_job_fixture.h"

namespace recur::testing {
namespace {

using ::testing::HasSubstr;

std::string path_of(const std::string& line) { return line.substr(0, line.find('\t')); }
std::string caption_of(const std::string& line) { return line.substr(line.find('\t') + 1); }

std::vector<Scene> all_scenes() {
  std::vector<Scene> scenes;
  for (int colour = 0; colour < 3; ++colour) {
    for (bool top : {true, false}) {
      scenes.push_back({colour, true, top, true});
      for (bool left : {true, false}) scenes.push_back({colour, false, top, left});
    }
  }
  return scenes;
}

TEST_F(CaptionJobTest, PngScenesGetTheirCaptions) {
  std::vector<std::string> lines;
  const std::vector<Scene> scenes = all_scenes();
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    lines.push_back(scene("s" + std::to_string(i) + ".png", scenes[i]));
  }
  const auto out = split_lines(run(lines).out);
  ASSERT_EQ(out.size(), scenes.size());
  int right = 0;
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    EXPECT_EQ(path_of(out[i]), lines[i]);
    right += caption_of(out[i]) == scenes[i].caption();
  }
  // A model trained for 800 steps on noisy images: most clean scenes, not necessarily all.
  EXPECT_GE(right, static_cast<int>(scenes.size()) * 3 / 4) << run(lines).out;
}

TEST_F(CaptionJobTest, OutputsFollowTheInputOrderWhateverTheBatching) {
  std::vector<std::string> lines;
  const std::vector<Scene> scenes = all_scenes();
  for (std::size_t i = 0; i < 24; ++i) {
    lines.push_back(scene("img" + std::to_string(i) + ".png", scenes[(i * 7) % scenes.size()]));
  }
  const JobResult whole = run(lines);
  const auto out = split_lines(whole.out);
  ASSERT_EQ(out.size(), lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(path_of(out[i]), lines[i]);
  EXPECT_EQ(whole.counts.get("records"), lines.size());
  JobOptions one_by_one;
  one_by_one.batch.max_rows = 1;
  one_by_one.maxi_batch = 5;
  one_by_one.workers = 2;
  EXPECT_EQ(run(lines, {}, 1, one_by_one).out, whole.out);
  JobOptions big;
  big.batch.max_rows = 64;
  big.workers = 1;
  EXPECT_EQ(run(lines, {}, 1, big).out, whole.out);
}

TEST_F(CaptionJobTest, TheSameImageGetsTheSameCaptionEveryTime) {
  const std::string a = scene("a.png", {1, false, false, true});
  const std::string b = scene("b.png", {2, true, true, true});
  const auto out = split_lines(run({a, b, a, a, b}).out);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(caption_of(out[0]), caption_of(out[2]));
  EXPECT_EQ(caption_of(out[0]), caption_of(out[3]));
  EXPECT_EQ(caption_of(out[1]), caption_of(out[4]));
  EXPECT_FALSE(caption_of(out[0]).empty());
}

TEST_F(CaptionJobTest, BadImagesGetEmptyCaptionsAndCountedWarningsWithoutShiftingLines) {
  const std::string good1 = scene("good1.png", {0, true, true, true});
  const std::string good2 = scene("good2.png", {2, false, false, false});
  write_bytes(dir_.path() / "truncated.png", truncated_png());
  write_text(dir_.path() / "text.png", "this is not an image\n");
  write_text(dir_.path() / "empty.png", "");
  write_bytes(dir_.path() / "huge.png", huge_png());
  const std::vector<std::string> lines{good1,      "missing.png", "truncated.png", "text.png",
                                       "",         "empty.png",   "huge.png",      good2};
  const JobResult r = run(lines);
  const auto out = split_lines(r.out);
  ASSERT_EQ(out.size(), lines.size()) << r.out;
  const auto good = split_lines(run({good1, good2}).out);
  EXPECT_EQ(out.front(), good[0]);
  EXPECT_EQ(out.back(), good[1]);
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) EXPECT_EQ(out[i], lines[i] + "\t") << i;
  EXPECT_EQ(r.counts.get("unusable image"), 6u);
  EXPECT_EQ(r.counts.warnings(), 6u);
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    const std::string where = "list.txt:" + std::to_string(i + 1) + ": ";
    EXPECT_THAT(r.warnings, HasSubstr(where + (lines[i].empty() ? "(no path)" : lines[i]))) << where;
  }
  EXPECT_THAT(r.warnings, HasSubstr("empty line"));
  EXPECT_THAT(r.warnings, HasSubstr("30000"));
}

TEST_F(CaptionJobTest, StrictModeStopsAtTheFirstBadImageNamingInputLineAndPath) {
  const std::string good = scene("good.png", {0, true, true, true});
  JobRequest strict;
  strict.strict = true;
  try {
    run({good, "missing.png", good}, strict);
    ADD_FAILURE() << "a missing image was accepted in strict mode";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("list.txt:2: missing.png: "));
  }
  EXPECT_EQ(split_lines(run({good, good}, strict).out).size(), 2u);
}

TEST_F(CaptionJobTest, RelativePathsAreReadFromTheListsFolderAndAbsoluteOnesAsGiven) {
  std::filesystem::create_directories(dir_.path() / "sub");
  const std::string rel = scene("sub/x.png", {1, true, false, true});
  const std::string abs = (dir_.path() / scene("y.png", {0, false, true, false})).string();
  const JobResult r = run({rel, abs});
  const auto out = split_lines(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(path_of(out[0]), rel);
  EXPECT_EQ(path_of(out[1]), abs);
  EXPECT_EQ(r.counts.warnings(), 0u) << r.warnings;
}

}  // namespace
}  // namespace recur::testing
