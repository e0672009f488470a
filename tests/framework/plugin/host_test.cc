#include "recur/plugin/host.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "recur/encoder.h"
#include "recur/plugin/abi.h"
#include "recur/tokenizer.h"
#include "unread_settings.h"

namespace fs = std::filesystem;

namespace recur {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// <build>/tests/plugins/<dir>/lib<name>.so, as the loader names it.
fs::path fixture(const std::string& dir, const std::string& name) {
  return fs::weakly_canonical(fs::path(RECUR_TEST_PLUGIN_DIR) / dir / ("lib" + name + ".so"));
}
fs::path fixture(const std::string& name) { return fixture(name, name); }

std::string refusal(PluginHost& host, const fs::path& file) {
  try {
    host.load_file(file);
  } catch (const PluginError& e) {
    return e.what();
  }
  ADD_FAILURE() << file << " was not refused";
  return "";
}

std::string prefix(const fs::path& file) { return "cannot load plugin " + file.string() + ": "; }

TEST(PluginHost, LoadsAPluginAndListsWhatItProvides) {
  PluginHost host;
  host.load_file(fixture("good"));
  ASSERT_EQ(host.plugins().size(), 1u);
  const LoadedPlugin& p = host.plugins()[0];
  EXPECT_EQ(p.name, "good");
  EXPECT_EQ(p.version, "1.2.3");
  EXPECT_EQ(p.file, fixture("good"));
  EXPECT_EQ(p.components, (std::vector<ComponentId>{{"tokenizer", "toy"}, {"encoder", "toy"}}));
  EXPECT_EQ(host.registry().find("encoder", "toy").file, fixture("good").string());
  EXPECT_TRUE(host.refused().empty());
}

TEST(PluginHost, ComponentsOfAPluginWorkAcrossTheLibraryBoundary) {
  PluginHost host;
  host.load_file(fixture("good"));
  auto tok = host.registry().create<Tokenizer>("toy", testing::unread_settings(), {});
  EXPECT_EQ(tok->encode("ab!"), (std::vector<std::int64_t>{4, 5, 3}));
  EXPECT_EQ(tok->decode({1, 4, 5, 3, 2}), "ab?");
  EXPECT_THROW(tok->decode({30}), Error);  // an exception thrown inside the plugin

  auto enc = host.registry().create<Encoder>("toy", testing::unread_settings(), {});
  ASSERT_EQ(enc->named_parameters().size(), 1u);
  EXPECT_EQ(enc->named_parameters()[0].first, "scale");
  const std::vector<std::int64_t> ids = {4, 5, 6, 0};
  Memory m = enc->encode({Tensor::from<std::int64_t>({2, 2}, ids), {2, 1}});
  EXPECT_EQ(m.states.shape(), (Shape{2, 2, 1}));
  EXPECT_EQ(m.states.to_vector(), (std::vector<float>{8, 10, 12, 0}));
  EXPECT_EQ(m.mask.to_vector(), (std::vector<float>{1, 1, 1, 0}));
  EXPECT_EQ(m.summary.to_vector(), (std::vector<float>{18, 12}));
  ASSERT_TRUE(m.source_ids.defined());  // ABI 2: a Memory crosses the boundary with its ids
  EXPECT_EQ(m.source_ids.shape(), (Shape{2, 2}));
  // A name the plugin does not provide is refused.
  EXPECT_THROW(host.registry().create<Encoder>("nope", testing::unread_settings(), {}),
               PluginError);
}

TEST(PluginHost, RefusesAMissingFile) {
  PluginHost host;
  const fs::path f = fixture("good", "missing");
  EXPECT_EQ(refusal(host, f), prefix(f) + "no such file");
}

TEST(PluginHost, RefusesAFileThatIsNotASharedLibraryWithDlerrorText) {
  PluginHost host;
  const fs::path f = fixture("not_library");
  const std::string m = refusal(host, f);
  EXPECT_THAT(m, StartsWith(prefix(f)));
  EXPECT_GT(m.size(), prefix(f).size() + 5) << m;  // dlerror's explanation follows
  EXPECT_EQ(m.find(f.string(), prefix(f).size()), std::string::npos) << "file named twice: " << m;
}

TEST(PluginHost, RefusesALibraryWithoutTheEntrySymbol) {
  PluginHost host;
  EXPECT_EQ(refusal(host, fixture("no_symbol")),
            prefix(fixture("no_symbol")) + "no recur_plugin_v1 symbol (not a recur plugin)");
  EXPECT_EQ(refusal(host, fixture("null_descriptor")),
            prefix(fixture("null_descriptor")) + "recur_plugin_v1 returned no descriptor");
}

// These fixtures' register functions throw if called: an ABI refusal proves they were not.
TEST(PluginHost, RefusesAnotherAbiMajorOrANewerMinorBeforeRegistering) {
  static_assert(RECUR_ABI_MAJOR == 4 && RECUR_ABI_MINOR == 4, "update the versions below");
  PluginHost host;
  EXPECT_EQ(refusal(host, fixture("abi_major")),
            prefix(fixture("abi_major")) + "incompatible ABI (plugin: 5.0, recur: 4.4)");
  EXPECT_EQ(refusal(host, fixture("abi_minor")),
            prefix(fixture("abi_minor")) + "incompatible ABI (plugin: 4.5, recur: 4.4)");
}

// A plugin built before the component contracts of ABI 2 names both versions.
TEST(PluginHost, RefusesAnAbi1PluginNamingBothVersions) {
  PluginHost host;
  EXPECT_EQ(refusal(host, fixture("abi_1")),
            prefix(fixture("abi_1")) + "incompatible ABI (plugin: 1.1, recur: 4.4)");
  EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginHost, RefusesAnotherToolchain) {
  PluginHost host;
  EXPECT_EQ(refusal(host, fixture("toolchain")),
            prefix(fixture("toolchain")) +
                "incompatible toolchain (plugin: libc++/c++20, recur: " RECUR_TOOLCHAIN_TAG ")");
}

TEST(PluginHost, RefusesNullOrEmptyNamesAndMissingRegisterFunction) {
  PluginHost host;
  EXPECT_EQ(refusal(host, fixture("no_name")),
            prefix(fixture("no_name")) + "the plugin descriptor has no name");
  EXPECT_EQ(refusal(host, fixture("empty_name")),
            prefix(fixture("empty_name")) + "the plugin descriptor has no name");
  EXPECT_EQ(
      refusal(host, fixture("no_register")),
      prefix(fixture("no_register")) + "plugin 'no_register' has no register_components function");
}

TEST(PluginHost, RegisterThatThrowsLeavesNothingBehind) {
  PluginHost host;
  EXPECT_EQ(refusal(host, fixture("throws")),
            prefix(fixture("throws")) + "register_components failed: cannot open toy vocabulary");
  EXPECT_FALSE(host.registry().contains("encoder", "half"));
  EXPECT_EQ(host.registry().size(), 0u);
  EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginHost, DuplicateComponentNamesBothFilesAndLeavesNothingBehind) {
  PluginHost host;
  host.load_file(fixture("good"));
  const fs::path dup = fixture("duplicate");
  EXPECT_EQ(refusal(host, dup), prefix(dup) +
                                    "duplicate tokenizer 'toy': registered by plugin 'good' (" +
                                    fixture("good").string() +
                                    ") and again by plugin 'duplicate' (" + dup.string() + ")");
  EXPECT_FALSE(host.registry().contains("encoder", "dup_extra"));
  EXPECT_EQ(host.registry().find("tokenizer", "toy").plugin, "good");
  EXPECT_EQ(host.plugins().size(), 1u);
}

TEST(PluginHost, APluginSwallowingItsDuplicateErrorIsRefusedAllTheSame) {
  PluginHost host;
  host.load_file(fixture("good"));
  EXPECT_THAT(refusal(host, fixture("swallow")),
              StartsWith(prefix(fixture("swallow")) + "duplicate tokenizer 'toy'"));
  EXPECT_FALSE(host.registry().contains("tokenizer", "swallow_extra"));
  EXPECT_EQ(host.registry().size(), 2u);
}

TEST(PluginHost, RefusesASecondPluginOfTheSameName) {
  PluginHost host;
  host.load_file(fixture("good"));
  EXPECT_EQ(refusal(host, fixture("same_name")), prefix(fixture("same_name")) +
                                                     "plugin 'good' is already loaded from " +
                                                     fixture("good").string());
  EXPECT_FALSE(host.registry().contains("tokenizer", "other_toy"));
}

TEST(PluginHost, LoadingADirectoryCarriesOnPastRefusalsInNameOrder) {
  PluginHost host;
  host.load_path(fs::path(RECUR_TEST_PLUGIN_DIR) / "mixed");
  std::vector<std::string> names;
  for (const LoadedPlugin& p : host.plugins()) names.push_back(p.name);
  EXPECT_THAT(names, ElementsAre("second", "good"));
  ASSERT_EQ(host.refused().size(), 2u);  // plugin.so, libzzz.so.1 and README are skipped
  EXPECT_EQ(host.refused()[0].file, fixture("mixed", "aaa_abi"));
  EXPECT_THAT(host.refused()[0].reason, HasSubstr("incompatible ABI (plugin: 5.0, recur: 4.4)"));
  EXPECT_EQ(host.refused()[1].file, fixture("mixed", "ccc_throws"));
  EXPECT_THAT(host.refused()[1].reason, HasSubstr("cannot open toy vocabulary"));
  EXPECT_TRUE(host.registry().contains("tokenizer", "second"));
  EXPECT_TRUE(host.registry().contains("encoder", "toy"));
}

TEST(PluginHost, LoadPathRecordsAMissingPathAndSkipsFilesAlreadyTried) {
  PluginHost host;
  const fs::path missing = fs::path(RECUR_TEST_PLUGIN_DIR) / "no_such_dir";
  host.load_path(missing);
  host.load_path(fixture("abi_major"));
  host.load_path(fs::path(RECUR_TEST_PLUGIN_DIR) / "good");
  host.load_path(fixture("good"));  // the same file again, named directly
  host.load_path(fs::path(RECUR_TEST_PLUGIN_DIR) / "abi_major");
  ASSERT_EQ(host.refused().size(), 2u);
  EXPECT_EQ(host.refused()[0].reason,
            "cannot load plugin " + missing.string() + ": no such file or directory");
  EXPECT_THAT(host.refused()[1].reason, HasSubstr("incompatible ABI"));
  EXPECT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.searched().size(), 5u);
}

TEST(PluginHost, SearchesExplicitPathsBeforeTheEnvironment) {
  const fs::path good_dir = fs::path(RECUR_TEST_PLUGIN_DIR) / "good";
  const fs::path dup_dir = fs::path(RECUR_TEST_PLUGIN_DIR) / "duplicate";
  const std::string env =
      good_dir.string() + "::" + (fs::path(RECUR_TEST_PLUGIN_DIR) / "gone").string();
  ASSERT_EQ(setenv("RECUR_PLUGIN_PATH", env.c_str(), 1), 0);
  PluginHost host;
  host.load_search_path({dup_dir});
  unsetenv("RECUR_PLUGIN_PATH");
  // The built-in directory holds the real plugins: loaded first, so that no other plugin
  // replaces their components. Then "duplicate" came before "good", so "good" is the one
  // refused for tokenizer 'toy'.
  std::vector<std::string> names;
  for (const LoadedPlugin& p : host.plugins()) {
    if (p.origin != SearchDir::Origin::builtin) names.push_back(p.name);
  }
  EXPECT_THAT(names, ElementsAre("duplicate"));
  std::vector<RefusedFile> refused;
  for (const RefusedFile& r : host.refused()) {
    if (r.file.string().starts_with(RECUR_TEST_PLUGIN_DIR)) refused.push_back(r);
  }
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].file, fixture("good"));
  EXPECT_THAT(refused[0].reason, HasSubstr("registered by plugin 'duplicate'"));
  EXPECT_THAT(refused[1].reason, HasSubstr("gone: no such file or directory"));
  ASSERT_EQ(host.searched().size(), 4u);
  EXPECT_EQ(host.searched()[0].origin, SearchDir::Origin::builtin);
  EXPECT_EQ(host.searched()[1].origin, SearchDir::Origin::explicit_path);
  EXPECT_EQ(host.searched()[2].origin, SearchDir::Origin::environment);
  EXPECT_EQ(host.searched()[3].origin, SearchDir::Origin::environment);
}

}  // namespace
}  // namespace recur
