// `recur caption -o FILE` killed with SIGKILL mid-job resumes to a byte-identical output,
// attention file and confidence file; a resume with flags that change the output (--json)
// is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "cli/run_recur.h"
#include "tasks/caption/scene_png.h"

extern char** environ;

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kModel = RECUR_TEST_DATA_DIR "/fixtures/caption";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> caption_args(const fs::path& images, const fs::path& out,
                                      const std::vector<std::string>& extra) {
  std::vector<std::string> args{"caption", "-m", kModel, "-i", images.string(), "-o", out.string(),
                                "--attention", out.string() + ".jsonl", "--confidence", out.string() + ".conf.jsonl",
                                "--maxi-batch", "4",
                                "--workers", "1", "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(CaptionCli, AKilledJobResumesToByteIdenticalFilesAndOtherFlagsAreRefused) {
  TempDir dir;
  const fs::path images = dir.path() / "images";
  fs::create_directories(images);
  constexpr int kImages = 200;
  for (int i = 0; i < kImages; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img%03d.png", i);
    write_bytes(images / name, scene_png({i % 3, i % 2 == 0, i % 4 < 2, i % 5 < 3}));
  }
  write_text(images / "img050.png", "broken");
  const fs::path whole = dir.path() / "whole.tsv", out = dir.path() / "out.tsv";
  RunResult first = run_recur(caption_args(images, whole, {}));
  ASSERT_EQ(first.code, 0) << first.err;
  const fs::path journal = out.string() + ".progress";
  ASSERT_TRUE(run_recur_and_kill(caption_args(images, out, {}), journal, kImages))
      << "the job finished before it could be killed";
  EXPECT_FALSE(fs::exists(out));
  // The same job with JSON output would append JSON lines to TSV ones.
  RunResult json = run_recur(caption_args(images, out, {"--resume", "--json"}));
  EXPECT_EQ(json.code, 1) << json.err;
  EXPECT_THAT(json.err, HasSubstr("written by a different job"));
  RunResult resumed = run_recur(caption_args(images, out, {"--resume"}));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(read(out), read(whole));
  EXPECT_EQ(read(out.string() + ".jsonl"), read(whole.string() + ".jsonl"));
  EXPECT_EQ(read(out.string() + ".conf.jsonl"), read(whole.string() + ".conf.jsonl"));
  EXPECT_THAT(read(out.string() + ".conf.jsonl"), HasSubstr("{\"line\":200,\"tokens\":["));
  EXPECT_FALSE(fs::exists(journal));
}

}  // namespace
}  // namespace recur::testing
