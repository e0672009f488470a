// `recur caption` on the fixture model folder (tests/data/fixtures/caption/): a folder
// holding a corrupt PNG, an empty file, a text file named .png, a PNG header declaring
// 30000 x 30000 pixels and good images gets one output line per image, in name order,
// with every problem named on stderr (issue #12); images as arguments, a list file with
// paths relative to its folder, stdin; --json and --attention; exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_recur.h"
#include "tasks/caption/scene_png.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kModel = RECUR_TEST_DATA_DIR "/fixtures/caption";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

RunResult caption(const std::vector<std::string>& extra, const RunOptions& options = {}) {
  std::vector<std::string> args{"caption", "-m", kModel, "--n-best", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_recur(args, options);
}

// dir/images: good and bad files, in name order; plus a file that is not listed.
struct ImageFolder {
  explicit ImageFolder(const fs::path& root) : path(root / "images") {
    fs::create_directories(path);
    write_bytes(path / "a_good.png", scene_png({0, true, true, true}));
    write_bytes(path / "b_corrupt.png", truncated_png());
    write_text(path / "c_empty.png", "");
    write_text(path / "d_text.png", "hello, I am a text file\n");
    write_bytes(path / "e_huge.png", huge_png());
    write_bytes(path / "f_good.png", scene_png({2, false, false, false}));
    write_text(path / "notes.txt", "not an image name: not listed\n");
  }
  const std::vector<std::string> names{"a_good.png", "b_corrupt.png", "c_empty.png",
                                       "d_text.png", "e_huge.png",    "f_good.png"};
  fs::path path;
};

TEST(CaptionCli, AFolderOfGoodAndBadImagesGetsOneLinePerImageInNameOrder) {
  TempDir dir;
  ImageFolder images(dir.path());
  const fs::path out = dir.path() / "out.tsv";
  RunResult r = caption({"-i", images.path.string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto lines = lines_of(read(out));
  ASSERT_EQ(lines.size(), images.names.size()) << read(out);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string path = (images.path / images.names[i]).string();
    const bool good = images.names[i].find("good") != std::string::npos;
    EXPECT_EQ(lines[i].substr(0, path.size() + 1), path + "\t") << lines[i];
    EXPECT_EQ(lines[i].size() > path.size() + 1, good) << lines[i];
    if (!good) {
      EXPECT_THAT(r.err, HasSubstr(":" + std::to_string(i + 1) + ": " + path + ": "));
    }
  }
  EXPECT_THAT(r.err, HasSubstr("30000"));
  EXPECT_THAT(r.err, HasSubstr("recur: 6 images"));
  EXPECT_THAT(r.err, HasSubstr("4 warnings (4 unusable image)"));
  EXPECT_THAT(r.err, Not(HasSubstr("source tokens")));  // images have none
}

TEST(CaptionCli, ImagesGivenAsArgumentsAreCaptionedInArgumentOrder) {
  TempDir dir;
  ImageFolder images(dir.path());
  const std::string a = (images.path / "f_good.png").string(), b = (images.path / "a_good.png").string();
  RunResult r = caption({a, b, a});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_THAT(lines[0], HasSubstr(a + "\ta "));
  EXPECT_THAT(lines[1], HasSubstr(b + "\ta "));
  EXPECT_EQ(lines[2], lines[0]);
  RunResult both = caption({a, "-i", images.path.string()});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("--input"));
}

TEST(CaptionCli, AListFilesRelativePathsAreRelativeToItsFolder) {
  TempDir dir;
  ImageFolder images(dir.path());
  const fs::path list = dir.path() / "list.tsv";
  write_text(list, "images/a_good.png\ta red bar at the top\nimages/missing.png\n" +
                       (images.path / "f_good.png").string() + "\n");
  RunResult r = caption({"-i", list.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_THAT(lines[0], HasSubstr("images/a_good.png\ta "));
  EXPECT_EQ(lines[1], "images/missing.png\t");
  EXPECT_THAT(lines[2], HasSubstr((images.path / "f_good.png").string() + "\ta "));
  EXPECT_THAT(r.err, HasSubstr("list.tsv:2: images/missing.png: "));
  EXPECT_THAT(r.err, HasSubstr("1 warnings (1 unusable image)"));
}

TEST(CaptionCli, PathsOnStdinAreCaptionedLikeAList) {
  TempDir dir;
  ImageFolder images(dir.path());
  const fs::path stdin_file = dir.path() / "stdin.txt";
  std::string paths;
  for (const auto& n : images.names) paths += (images.path / n).string() + "\n";
  write_text(stdin_file, paths);
  RunOptions options;
  options.stdin_file = stdin_file;
  RunResult r = caption({}, options);
  ASSERT_EQ(r.code, 0) << r.err;
  RunResult folder = caption({"-i", images.path.string()});
  ASSERT_EQ(folder.code, 0) << folder.err;
  EXPECT_EQ(r.out, folder.out);
  EXPECT_THAT(r.err, HasSubstr("<stdin>:2: "));
}

TEST(CaptionCli, JsonAndAttentionFilesHaveOneLinePerImage) {
  TempDir dir;
  ImageFolder images(dir.path());
  const fs::path out = dir.path() / "out.jsonl", att = dir.path() / "att.jsonl";
  RunResult r = caption({"-i", images.path.string(), "-o", out.string(), "--json", "--attention",
                         att.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto json = lines_of(read(out)), side = lines_of(read(att));
  ASSERT_EQ(json.size(), images.names.size());
  ASSERT_EQ(side.size(), images.names.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    const auto j = nlohmann::json::parse(json[i]), a = nlohmann::json::parse(side[i]);
    const std::string path = (images.path / images.names[i]).string();
    EXPECT_EQ(j["path"], path);
    EXPECT_EQ(a["path"], path);
    EXPECT_EQ(a["line"], i + 1);
    const bool good = images.names[i].find("good") != std::string::npos;
    EXPECT_EQ(j.contains("error"), !good) << json[i];
    if (good) {
      EXPECT_EQ(a["grid"], nlohmann::json::array({3, 5}));
      EXPECT_EQ(a["attention"].size(), a["words"].size());
    }
  }
}

TEST(CaptionCli, BadFlagsAreUsageErrorsAndAMissingModelIsNamed) {
  TempDir dir;
  ImageFolder images(dir.path());
  const fs::path out = dir.path() / "out.tsv";
  RunResult beam = caption({"-i", images.path.string(), "-o", out.string(), "--beam", "0"});
  EXPECT_EQ(beam.code, 2) << beam.err;
  EXPECT_THAT(beam.err, HasSubstr("recur caption: --beam: "));
  EXPECT_FALSE(fs::exists(out));
  RunResult model = run_recur({"caption", "-m", (dir.path() / "nowhere").string(), "-i",
                               images.path.string(), "-o", out.string()});
  EXPECT_EQ(model.code, 1) << model.err;
  EXPECT_THAT(model.err, HasSubstr("nowhere: not a model folder"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(CaptionCli, ThePipelinesNBestFollowsASmallerBeamChosenByFlags) {
  TempDir dir;
  ImageFolder images(dir.path());
  const std::string a = (images.path / "a_good.png").string();
  RunResult n_best = run_recur({"caption", "-m", kModel, a});  // the pipeline's n_best: 5
  ASSERT_EQ(n_best.code, 0) << n_best.err;
  EXPECT_EQ(lines_of(n_best.out).size(), 5u) << n_best.out;
  RunResult greedy = run_recur({"caption", "-m", kModel, "--beam", "1", a});
  ASSERT_EQ(greedy.code, 0) << greedy.err;
  EXPECT_EQ(lines_of(greedy.out).size(), 1u) << greedy.out;
  RunResult sampled = run_recur({"caption", "-m", kModel, "--sample", "--seed", "3", a});
  ASSERT_EQ(sampled.code, 0) << sampled.err;
  EXPECT_EQ(lines_of(sampled.out).size(), 1u) << sampled.out;
  RunResult too_many = run_recur({"caption", "-m", kModel, "--beam", "2", "--n-best", "3", a});
  EXPECT_EQ(too_many.code, 2);
  EXPECT_THAT(too_many.err, HasSubstr("--n-best: "));
}

}  // namespace
}  // namespace recur::testing

namespace recur::testing {
namespace {

// A name with a newline would be two records (two output lines for one image).
TEST(CaptionCli, AFolderImageWhoseNameHasANewlineIsRefusedBeforeAnyOutput) {
  TempDir dir;
  ImageFolder images(dir.path());
  write_bytes(images.path / "g_two\nlines.png", scene_png({1, true, true, true}));
  const fs::path out = dir.path() / "out.tsv";
  RunResult r = caption({"-i", images.path.string(), "-o", out.string()});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_THAT(r.err, HasSubstr("g_two\nlines.png"));
  EXPECT_THAT(r.err, HasSubstr("newline"));
  EXPECT_FALSE(fs::exists(out));
  fs::rename(images.path / "g_two\nlines.png", images.path / "g_tab\there.png");
  RunResult tab = caption({"-i", images.path.string(), "-o", out.string()});
  EXPECT_EQ(tab.code, 1) << tab.out;
  EXPECT_THAT(tab.err, HasSubstr("g_tab\there.png"));
  EXPECT_FALSE(fs::exists(out));
  RunResult argument = caption({(images.path / "g_tab\there.png").string()});
  EXPECT_EQ(argument.code, 2) << argument.out;
  EXPECT_THAT(argument.err, HasSubstr("IMAGE: a path with a newline or TAB"));
}

}  // namespace
}  // namespace recur::testing
