// Plugins run in-process (issue 18, item 6), seen from the executable: a plugin may not
// replace a built-in component unless --allow-plugin-override; a crash while a plugin
// loads names the file; an exit() called by a plugin during a command is a failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "run_recur.h"

namespace fs = std::filesystem;

namespace recur::testing {
namespace {

using ::testing::HasSubstr;

std::string dir_of(const std::string& name) {
  return fs::weakly_canonical(fs::path(RECUR_TEST_PLUGIN_DIR) / name).string();
}
std::string file_of(const std::string& name) { return dir_of(name) + "/lib" + name + ".so"; }

TEST(PluginTrustCli, APluginReplacingABuiltInComponentIsRefusedUnlessAllowed) {
  RunResult r = run_recur({"plugins", "--plugin-path", dir_of("replaces_builtin")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("cannot load plugin " + file_of("replaces_builtin") +
                               ": tokenizer 'whitespace' is provided by the built-in plugin "));
  EXPECT_THAT(r.out, HasSubstr("(--allow-plugin-override)"));

  r = run_recur({"plugins", "--allow-plugin-override", "--plugin-path", dir_of("replaces_builtin")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  replaces_builtin 1.0.0  " + file_of("replaces_builtin") +
                               "\n    tokenizer/whitespace\n"));
  EXPECT_THAT(r.out, HasSubstr("duplicate tokenizer 'whitespace': registered by plugin "
                               "'replaces_builtin'"));
}

TEST(PluginTrustCli, ACrashWhileAPluginLoadsNamesTheFile) {
  RunResult r = run_recur({"plugins", "--plugin-path", dir_of("crashes")});
  // The signal then ends the process (or, under a sanitizer, its handler reports and
  // exits 1): never a clean exit.
  EXPECT_NE(r.code, 0);
  EXPECT_THAT(r.err, HasSubstr("recur: fatal signal 11 while loading plugin " +
                               file_of("crashes") + "\n"));
}

TEST(PluginTrustCli, AnExitCalledByAPluginDuringACommandIsAFailure) {
  TempDir dir;
  const fs::path yaml = dir.path() / "pipeline.yaml";
  std::ofstream(yaml) << "task: translation\nsource:\n  tokenizer: {plugin: exits}\n";
  std::ofstream(dir.path() / "in.txt") << "hello\n";
  RunResult r = run_recur({"run", yaml.string(), "-i", (dir.path() / "in.txt").string(),
                           "--plugin-path", dir_of("exits")});
  EXPECT_EQ(r.code, 70) << r.err;
  EXPECT_EQ(r.err,
            "recur: error: the process was told to exit while running 'recur run' (exit() "
            "called by a plugin?)\n");
  // Help and usage errors still end the ordinary way.
  EXPECT_EQ(run_recur({"run", "--help"}).code, 0);
}

}  // namespace
}  // namespace recur::testing
