// The guarantees of every batch job (`recur translate` here, on the tiny model): bad
// flags are usage errors naming the flag, a job that cannot run never touches its
// output, the input is never the output, a killed job resumes to a byte-identical
// file, a second writer is refused, write errors exit 1, long lines cost bounded memory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "cli/run_recur.h"
#include "tiny_model.h"

extern char** environ;

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `copies` copies of the checked-in sample, one sentence per line.
fs::path sample_input(const fs::path& dir, int copies) {
  const std::string sample = read(RECUR_TEST_DATA_DIR "/ddtp/sample-test.en");
  const fs::path p = dir / "in.en";
  std::ofstream out(p, std::ios::binary);
  for (int i = 0; i < copies; ++i) out << sample;
  return p;
}

RunResult translate(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"translate", "-m", tiny_model_dir().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_recur(args);
}

TEST(BatchJobCli, BadValuesAreUsageErrorsNamingTheFlag) {
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 1);
  const struct {
    std::vector<std::string> flags;
    std::string named;
  } cases[] = {{{"--beam", "0"}, "--beam"},          {{"--beam", "100000"}, "--beam"},
               {{"--n-best", "0"}, "--n-best"},       {{"--maxi-batch", "-1"}, "--maxi-batch"},
               {{"--threads", "0"}, "--threads"},     {{"--workers", "-3"}, "--workers"},
               {{"--batch-tokens", "0"}, "--batch-tokens"},
               {{"--no-repeat-ngram", "-1"}, "--no-repeat-ngram"},
               {{"--coverage-penalty", "-0.5"}, "--coverage-penalty"},
               {{"--length-penalty", "-1"}, "--length-penalty"}};
  for (const auto& c : cases) {
    std::vector<std::string> args{"-i", in.string(), "-o", (dir.path() / "out").string()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    RunResult r = translate(args);
    EXPECT_EQ(r.code, 2) << c.flags[0] << " " << c.flags[1] << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr("recur translate: " + c.named + ": ")) << r.err;
    EXPECT_FALSE(fs::exists(dir.path() / "out")) << c.flags[0];
  }
}

// "text ||| score" lines (--scores) -> (text, score) per line.
std::vector<std::pair<std::string, double>> scored_lines(const std::string& text) {
  std::vector<std::pair<std::string, double>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto bar = line.rfind(" ||| ");
    out.emplace_back(line.substr(0, bar), std::stod(line.substr(bar + 5)));
  }
  return out;
}

TEST(BatchJobCli, LengthPenaltyFlagRescoresTheSearch) {
  // alpha 0 scores a hypothesis by its log-probability; alpha 1 divides it by
  // (5 + |y| + 1) / 6, which is > 1 for a non-empty output: a line's best score can only
  // rise (log-probabilities are negative), and rises when its output has a token.
  // The shipped model: the tiny one's best outputs are empty, which no alpha rescales.
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 1);
  const std::string model = RECUR_SOURCE_DIR "/models/en-fr";
  std::vector<std::pair<std::string, double>> lines[2];
  for (int alpha : {0, 1}) {
    const fs::path out = dir.path() / ("out" + std::to_string(alpha));
    RunResult r = run_recur({"translate", "-m", model, "-i", in.string(), "-o", out.string(), "--beam", "3",
                             "--scores", "--length-penalty", std::to_string(alpha)});
    ASSERT_EQ(r.code, 0) << r.err;
    lines[alpha] = scored_lines(read(out));
  }
  ASSERT_EQ(lines[0].size(), lines[1].size());
  int nonempty = 0;
  for (std::size_t i = 0; i < lines[0].size(); ++i) {
    EXPECT_LT(lines[0][i].second, 0) << i;
    EXPECT_GE(lines[1][i].second, lines[0][i].second - 1e-4) << i;
    if (lines[0][i].first.empty()) continue;
    ++nonempty;
    EXPECT_GT(lines[1][i].second, lines[0][i].second) << i << ": " << lines[0][i].first;
  }
  EXPECT_GT(nonempty, 0);
}

TEST(BatchJobCli, AJobThatCannotRunLeavesItsOutputAlone) {
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 1), out = dir.path() / "out";
  std::ofstream(out) << "precious\n";
  EXPECT_EQ(translate({"-i", in.string(), "-o", out.string(), "--n-best", "0"}).code, 2);
  RunResult r = translate({"-i", dir.path().string(), "-o", out.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("is a directory"));
  EXPECT_EQ(read(out), "precious\n");
  EXPECT_FALSE(fs::exists(dir.path() / "never"));
  EXPECT_EQ(translate({"-i", (dir.path() / "missing").string(), "-o", (dir.path() / "never").string()}).code, 1);
  EXPECT_FALSE(fs::exists(dir.path() / "never"));
}

TEST(BatchJobCli, TheInputIsNeverTheOutput) {
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 1), link = dir.path() / "link.en";
  const std::string before = read(in);
  fs::create_hard_link(in, link);
  for (const fs::path& out : {in, link}) {
    RunResult r = translate({"-i", in.string(), "-o", out.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.err, HasSubstr("is the input"));
  }
  EXPECT_EQ(read(in), before);
}

TEST(BatchJobCli, WriteErrorsExitOneNamingTheFile) {
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 1);
  RunResult r = translate({"-i", in.string(), "-o", "/dev/full"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("/dev/full: write error"));
}

TEST(BatchJobCli, ASecondWriterIsRefused) {
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 1), out = dir.path() / "out";
  const int fd = ::open((out.string() + ".partial").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // as a running job holds it
  RunResult r = translate({"-i", in.string(), "-o", out.string()});
  ::close(fd);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("another recur job is writing it"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(BatchJobCli, NulLinesAreCountedAsInvalidText) {
  TempDir dir;
  const fs::path in = dir.path() / "in.en", out = dir.path() / "out";
  std::ofstream(in, std::ios::binary) << "a package\n" << std::string(5, '\0') << "\nlast line\n";
  RunResult r = translate({"-i", in.string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("in.en:2: invalid UTF-8 or NUL bytes replaced"));
  EXPECT_THAT(r.err, HasSubstr("1 warnings (1 invalid UTF-8)"));
}

TEST(BatchJobCli, AHugeLineIsReadOnlyAsFarAsTheModelReads) {
  TempDir dir;
  const fs::path in = dir.path() / "in.en", out = dir.path() / "out";
  {
    std::ofstream f(in, std::ios::binary);
    f << "first line\n";
    for (int i = 0; i < 200000; ++i) f << "the package ";  // 2.4 MB on one line
    f << "\nlast line\n";
  }
  RunResult r = translate({"-i", in.string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("in.en:2: longer than 4096 bytes: only the first 4096 read"));
  std::ifstream lines(out);
  int n = 0;
  for (std::string l; std::getline(lines, l);) ++n;
  EXPECT_EQ(n, 3);
}

// Starts `recur translate args...` on the tiny model and kills it once it has checkpointed
// some records but not all; whether it was killed in time.
bool start_and_kill(const std::vector<std::string>& args, const fs::path& journal, std::uint64_t total) {
  std::vector<std::string> full{"translate", "-m", tiny_model_dir().string()};
  full.insert(full.end(), args.begin(), args.end());
  return run_recur_and_kill(full, journal, total);
}

TEST(BatchJobCli, AKilledJobResumesToAByteIdenticalOutput) {
  TempDir dir;
  const fs::path in = sample_input(dir.path(), 40), whole = dir.path() / "whole", out = dir.path() / "out";
  std::uint64_t total = 0;
  for (char c : read(in)) total += c == '\n';
  const std::vector<std::string> flags{"--maxi-batch", "20", "--workers", "1", "--beam", "2"};
  auto with = [&](const fs::path& o, std::vector<std::string> extra) {
    std::vector<std::string> a{"-i", in.string(), "-o", o.string(), "--attention", o.string() + ".jsonl"};
    a.insert(a.end(), flags.begin(), flags.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  ASSERT_EQ(translate(with(whole, {})).code, 0);
  int kills = 0;
  if (start_and_kill(with(out, {}), out.string() + ".progress", total)) ++kills;
  for (int i = 0; i < 2 && kills > 0; ++i) {
    if (start_and_kill(with(out, {"--resume"}), out.string() + ".progress", total)) ++kills;
  }
  ASSERT_GT(kills, 0) << "the job always finished before it could be killed";
  EXPECT_FALSE(fs::exists(out)) << "a killed job left a file under the final name";
  RunResult r = translate(with(out, {"--resume"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read(out), read(whole)) << kills << " kills";
  EXPECT_EQ(read(out.string() + ".jsonl"), read(whole.string() + ".jsonl"));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  EXPECT_FALSE(fs::exists(out.string() + ".progress"));
  // Other flags: not the same job.
  std::ofstream(out.string() + ".progress") << "recur-job-progress 1\n0000000000000000\n5\n0\n0\n";
  std::ofstream(out.string() + ".partial");
  RunResult other = translate(with(out, {"--resume"}));
  EXPECT_EQ(other.code, 1);
  EXPECT_THAT(other.err, HasSubstr("written by a different job"));
}

}  // namespace
}  // namespace recur::testing

namespace recur::testing {
namespace {

// A model folder whose pipeline.yaml names its weights outside the folder.
TEST(BatchJobCli, AModelFolderNamesOnlyFilesInsideIt) {
  TempDir dir;
  const fs::path model = dir.path() / "model", elsewhere = dir.path() / "elsewhere";
  fs::create_directories(elsewhere);
  fs::copy(tiny_model_dir(), model, fs::copy_options::recursive);
  fs::rename(model / "model.safetensors", elsewhere / "model.safetensors");
  std::string yaml = read(model / "pipeline.yaml");
  yaml.replace(yaml.find("weights: model.safetensors"), 26, "weights: ../elsewhere/model.safetensors");
  std::ofstream(model / "pipeline.yaml") << yaml;
  const fs::path in = sample_input(dir.path(), 1);
  RunResult r = run_recur({"translate", "-m", model.string(), "-i", in.string(), "-o", (dir.path() / "out").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("weights: "));
  EXPECT_THAT(r.err, HasSubstr("outside"));
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
  RunResult allowed = run_recur({"translate", "-m", model.string(), "-i", in.string(), "-o",
                                 (dir.path() / "out").string(), "--allow-external-files"});
  EXPECT_EQ(allowed.code, 0) << allowed.err;
}

}  // namespace
}  // namespace recur::testing
