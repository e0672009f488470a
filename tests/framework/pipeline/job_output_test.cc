// Resumable job output: nothing under the final name until commit, a journal after
// every checkpoint, resume cuts back to the journal and continues byte-identically, a
// journal of another job or a second writer is refused, devices are written directly.
#include "recur/pipeline/job_output.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "framework/nn/temp_dir.h"
#include "recur/core/error.h"

namespace recur {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(JobOutput, WritesUnderPartialNamesUntilCommit) {
  TempDir dir;
  const fs::path out = dir / "out.txt", side = dir / "side.jsonl";
  std::ofstream(out) << "an old complete file\n";
  {
    JobOutput o({out, side}, "job", false);
    o.stream(0) << "line 1\n";
    o.stream(1) << "{}\n";
    o.checkpoint(1);
    EXPECT_EQ(read(out), "an old complete file\n");  // untouched until the job finishes
    EXPECT_EQ(read(JobOutput::partial_path(out)), "line 1\n");
    EXPECT_TRUE(fs::exists(JobOutput::journal_path(out)));
    o.commit();
  }
  EXPECT_EQ(read(out), "line 1\n");
  EXPECT_EQ(read(side), "{}\n");
  EXPECT_FALSE(fs::exists(JobOutput::partial_path(out)));
  EXPECT_FALSE(fs::exists(JobOutput::journal_path(out)));
}

TEST(JobOutput, ResumeCutsBackToTheLastCheckpointAndContinues) {
  TempDir dir;
  const fs::path out = dir / "out.txt", side = dir / "side.txt";
  {
    JobOutput o({out, side}, "job", false);
    o.stream(0) << "a\nb\n";
    o.stream(1) << "A\nB\n";
    o.checkpoint(2);
    o.stream(0) << "c\n";  // written after the checkpoint, then killed
    o.stream(0).flush();
  }
  JobOutput o({out, side}, "job", true);
  EXPECT_EQ(o.records_done(), 2u);
  o.stream(0) << "c\nd\n";
  o.stream(1) << "C\nD\n";
  o.checkpoint(4);
  o.commit();
  EXPECT_EQ(read(out), "a\nb\nc\nd\n");
  EXPECT_EQ(read(side), "A\nB\nC\nD\n");
}

TEST(JobOutput, AJournalOfAnotherJobIsRefused) {
  TempDir dir;
  const fs::path out = dir / "out.txt";
  {
    JobOutput o({out}, "job one", false);
    o.stream(0) << "x\n";
    o.checkpoint(1);
  }
  try {
    JobOutput o({out}, "job two", true);
    FAIL() << "resumed another job";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("written by a different job"), std::string::npos) << e.what();
  }
  // Without --resume the old progress is discarded and the job starts over.
  JobOutput o({out}, "job two", false);
  EXPECT_EQ(o.records_done(), 0u);
  o.commit();
  EXPECT_EQ(read(out), "");
}

TEST(JobOutput, ASecondWriterIsRefusedAndTouchesNothing) {
  TempDir dir;
  const fs::path out = dir / "out.txt";
  JobOutput first({out}, "job", false);
  first.stream(0) << "first\n";
  first.checkpoint(1);
  try {
    JobOutput second({out}, "job", false);
    FAIL() << "two writers on one output";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("another recur job is writing it"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(JobOutput::partial_path(out)), "first\n");
}

TEST(JobOutput, DevicesAreWrittenDirectlyAndCannotResume) {
  {
    JobOutput o({"/dev/null"}, "job", false);
    o.stream(0) << "gone\n";
    o.checkpoint(1);
    o.commit();
  }
  EXPECT_FALSE(fs::exists("/dev/null.partial"));
  EXPECT_THROW(JobOutput({"/dev/null"}, "job", true), IoError);
}

TEST(JobOutput, AFullDeviceIsAWriteErrorNamingIt) {
  JobOutput o({"/dev/full"}, "job", false);
  o.stream(0) << std::string(1 << 16, 'x');
  try {
    o.checkpoint(1);
    o.commit();
    FAIL() << "a write to /dev/full succeeded";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/full: write error"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recur
