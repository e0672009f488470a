// The command line as a whole: help, usage errors (exit 2), runtime errors (exit 1),
// verbosity.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "run_recur.h"

namespace recur::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kGoodDir = std::string(RECUR_TEST_PLUGIN_DIR) + "/good";

TEST(Cli, HelpListsTheCommandsOnStdout) {
  for (const char* flag : {"--help", "-h"}) {
    RunResult r = run_recur({flag});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, StartsWith("usage: recur [-v]... <command> [options]"));
    EXPECT_THAT(r.out, HasSubstr("\n  plugins "));
    EXPECT_THAT(r.out, HasSubstr("--verbose"));
    EXPECT_EQ(r.err, "");
  }
}

TEST(Cli, NoCommandIsAUsageError) {
  RunResult r = run_recur({});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("recur: no command given\n"));
  EXPECT_THAT(r.err, HasSubstr("usage: recur"));
}

TEST(Cli, UnknownCommandIsAUsageError) {
  RunResult r = run_recur({"-v", "frobnicate", "--plugin-path", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("recur: unknown command 'frobnicate'\n"));
  EXPECT_THAT(r.err, HasSubstr("usage: recur [-v]... <command>"));
}

TEST(Cli, UnknownGlobalFlagIsAUsageError) {
  RunResult r = run_recur({"--frobnicate", "plugins"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("recur: unrecognised option '--frobnicate'"));
  EXPECT_THAT(r.err, HasSubstr("usage: recur [-v]... <command>"));
}

TEST(Cli, WrongFlagOfACommandPrintsThatCommandsUsage) {
  RunResult r = run_recur({"plugins", "--frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("recur plugins: unrecognised option '--frobnicate'"));
  EXPECT_THAT(r.err, HasSubstr("usage: recur plugins [--plugin-path DIR]..."));

  r = run_recur({"plugins", "--plugin-path"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("'--plugin-path' is missing"));

  r = run_recur({"plugins", "stray"});  // plugins takes no positional argument
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("usage: recur plugins"));
}

TEST(Cli, CommandHelpGoesToStdout) {
  RunResult r = run_recur({"plugins", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, StartsWith("usage: recur plugins [--plugin-path DIR]...\n"));
  EXPECT_THAT(r.out, HasSubstr("--plugin-path DIR"));
  EXPECT_THAT(r.out, HasSubstr("--verbose"));
  EXPECT_EQ(r.err, "");
}

// Required options (translate's --model, train's pipeline, eval's files) are not needed
// to ask for help: every command's --help prints its usage and exits 0.
TEST(Cli, EveryCommandsHelpExitsZeroWithoutItsRequiredOptions) {
  for (const char* command : {"translate", "run", "train", "eval", "spm-train", "plugins"}) {
    for (const char* flag : {"--help", "-h"}) {
      RunResult r = run_recur({command, flag});
      EXPECT_EQ(r.code, 0) << command << " " << flag << ": " << r.err;
      EXPECT_THAT(r.out, StartsWith(std::string("usage: recur ") + command + " ")) << command;
      EXPECT_EQ(r.err, "") << command;
    }
  }
  RunResult r = run_recur({"translate", "--beam", "3", "--help"});
  EXPECT_EQ(r.code, 0) << r.err;
  r = run_recur({"translate", "--beam", "3"});  // without --help, still required
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("'--model' is required"));
}

TEST(Cli, VerboseRaisesTheLogLevelBeforeOrAfterTheCommand) {
  RunResult quiet = run_recur({"plugins", "--plugin-path", kGoodDir});
  EXPECT_EQ(quiet.code, 0);
  EXPECT_THAT(quiet.err, Not(HasSubstr("loaded plugin good")));
  for (auto args : {std::vector<std::string>{"-v", "plugins", "--plugin-path", kGoodDir},
                    std::vector<std::string>{"plugins", "--verbose", "--plugin-path", kGoodDir},
                    std::vector<std::string>{"-vv", "plugins", "-v", "--plugin-path", kGoodDir}}) {
    RunResult r = run_recur(args);
    EXPECT_EQ(r.code, 0);
    EXPECT_THAT(r.err, HasSubstr("[info] loaded plugin good 1.2.3 from "));
  }
}

TEST(Cli, RuntimeFailureIsOneErrorLineAndExitCodeOne) {
  RunOptions full;
  full.stdout_file = "/dev/full";
  RunResult r = run_recur({"plugins"}, full);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "recur: error: cannot write to standard output\n");
}

}  // namespace
}  // namespace recur::testing
