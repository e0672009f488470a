// Section structure: nested sections, sequences of sections, unknown keys, fail().
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace recur::config::testing {
namespace {

constexpr const char* kDecoder =
    "name: demo\n"
    "decoder:\n"
    "  hiden_size: 256\n"
    "  attention: general\n"
    "  layers: 2\n";

TEST(ConfigSection, NestedSectionsHaveDottedPaths) {
  Section s = parse("a:\n  b:\n    c: 3\n");
  Section b = s.section("a").section("b");
  EXPECT_EQ(s.path(), "");
  EXPECT_EQ(b.path(), "a.b");
  EXPECT_EQ(b.get<int>("c"), 3);
  EXPECT_EQ(b.mark().str(), "pipeline.yaml:2:3");
  EXPECT_EQ(config_error([&] { b.get<int>("d"); }), "pipeline.yaml:2:3: a.b.d: required key is missing");
}

TEST(ConfigSection, MissingRequiredKeyPointsAtTheSection) {
  Section s = parse("name: demo\n\ndecoder:\n  layers: 2\n");
  EXPECT_EQ(config_error([&] { s.section("decoder").positive<int>("hidden_size"); }),
            "pipeline.yaml:3:1: decoder.hidden_size: required key is missing");
  EXPECT_EQ(config_error([&] { s.section("encoder"); }), "pipeline.yaml:1:1: encoder: required key is missing");
}

TEST(ConfigSection, SectionMustBeAMapping) {
  Section s = parse("decoder: gru\nlist: [1]\n");
  EXPECT_EQ(config_error([&] { s.section("decoder"); }),
            "pipeline.yaml:1:10: decoder: expected a mapping, got \"gru\"");
  EXPECT_EQ(config_error([&] { s.optional_section("list"); }),
            "pipeline.yaml:2:7: list: expected a mapping, got a sequence");
}

TEST(ConfigSection, EmptyOrAbsentOptionalSectionHasNoKeys) {
  Section s = parse("search:\n# beam_size: 4\nname: x\n");
  Section search = s.section("search");
  EXPECT_TRUE(search.keys().empty());
  EXPECT_EQ(search.get<int>("beam_size", 4), 4);
  EXPECT_NO_THROW(search.finish());
  Section train = s.optional_section("train");
  EXPECT_EQ(train.path(), "train");
  EXPECT_FALSE(train.has("epochs"));
  EXPECT_EQ(train.positive<int>("epochs", 10), 10);
  EXPECT_EQ(config_error([&] { train.get<int>("epochs"); }), "pipeline.yaml:1:1: train.epochs: required key is missing");
  EXPECT_NO_THROW(train.finish());
}

TEST(ConfigSection, SequenceOfSections) {
  Section s = parse(
      "corpora:\n"
      "  - {source: a.en, weight: 1}\n"
      "  - source: b.en\n"
      "    weight: 0.5\n"
      "    extra: 1\n");
  std::vector<Section> corpora = s.sections("corpora");
  ASSERT_EQ(corpora.size(), 2u);
  EXPECT_EQ(corpora[0].path(), "corpora[0]");
  EXPECT_EQ(corpora[1].path(), "corpora[1]");
  EXPECT_EQ(corpora[0].get<std::string>("source"), "a.en");
  EXPECT_EQ(corpora[0].positive<double>("weight"), 1.0);
  EXPECT_EQ(corpora[1].get<std::string>("source"), "b.en");
  EXPECT_EQ(corpora[1].positive<double>("weight"), 0.5);
  EXPECT_EQ(corpora[1].mark().str(), "pipeline.yaml:3:5");
  EXPECT_NO_THROW(corpora[0].finish());
  EXPECT_EQ(config_error([&] { corpora[1].get<std::string>("target"); }),
            "pipeline.yaml:3:5: corpora[1].target: required key is missing");
  EXPECT_EQ(config_error([&] { corpora[1].finish(); }),
            "pipeline.yaml:5:5: corpora[1].extra: unknown key (expected one of: source, target, weight)");
  EXPECT_TRUE(parse("corpora: []\n").sections("corpora").empty());
}

TEST(ConfigSection, SequenceOfSectionsRejectsOtherItems) {
  EXPECT_EQ(config_error([] { parse("c:\n  - {a: 1}\n  - b\n").sections("c"); }),
            "pipeline.yaml:3:5: c[1]: expected a mapping, got \"b\"");
  EXPECT_EQ(config_error([] { parse("c: {a: 1}\n").sections("c"); }),
            "pipeline.yaml:1:4: c: expected a sequence of mappings, got a mapping");
  EXPECT_EQ(config_error([] { parse("x: 1\n").sections("c"); }), "pipeline.yaml:1:1: c: required key is missing");
}

TEST(ConfigSection, FinishNamesTheFirstUnknownKeyAndListsTheKnownOnes) {
  Section s = parse(kDecoder);
  Section dec = s.section("decoder");
  dec.positive<int>("hidden_size", 128);
  dec.one_of("attention", {"dot", "general", "mlp"});
  dec.positive<int>("layers");
  EXPECT_EQ(config_error([&] { dec.finish(); }),
            "pipeline.yaml:3:3: decoder.hiden_size: unknown key (expected one of: attention, hidden_size, layers)");
  // The root read "decoder" but not "name".
  EXPECT_EQ(config_error([&] { s.finish(); }), "pipeline.yaml:1:1: name: unknown key (expected one of: decoder)");
  s.get<std::string>("name");
  EXPECT_NO_THROW(s.finish());
}

TEST(ConfigSection, FinishOnASectionThatReadsNothing) {
  Section s = parse("plugin: {x: 1}\n");
  EXPECT_EQ(config_error([&] { s.section("plugin").finish(); }),
            "pipeline.yaml:1:10: plugin.x: unknown key (this section takes no keys)");
}

TEST(ConfigSection, AskingTwiceSharesTheRecordOfKnownKeys) {
  Section s = parse("d: {a: 1, b: 2}\n");
  s.section("d").get<int>("a");
  s.section("d").get<int>("b");
  EXPECT_NO_THROW(s.section("d").finish());
  Section copy = s.section("d");
  EXPECT_NO_THROW(copy.finish());
}

TEST(ConfigSection, HasAndKeysDoNotCountAsReading) {
  Section s = parse("b: 1\na: 2\n");
  EXPECT_TRUE(s.has("a"));
  EXPECT_FALSE(s.has("c"));
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(config_error([&] { s.finish(); }), "pipeline.yaml:1:1: b: unknown key (this section takes no keys)");
}

TEST(ConfigSection, FailPointsAtTheValueOrTheSection) {
  Section s = parse("decoder:\n  hidden_size: 100\n");
  Section dec = s.section("decoder");
  EXPECT_EQ(config_error([&] { dec.fail("hidden_size", "must be a multiple of 64"); }),
            "pipeline.yaml:2:16: decoder.hidden_size: must be a multiple of 64");
  EXPECT_EQ(config_error([&] { dec.fail("heads", "needs hidden_size"); }),
            "pipeline.yaml:1:1: decoder.heads: needs hidden_size");
}

TEST(ConfigSection, CopiesOutliveTheLoader) {
  Section dec = parse("decoder: {layers: 3}\n").section("decoder");
  Section copy = dec;
  EXPECT_EQ(copy.get<int>("layers"), 3);
  copy = parse("decoder: {layers: 4}\n").section("decoder");
  EXPECT_EQ(copy.get<int>("layers"), 4);
}

}  // namespace
}  // namespace recur::config::testing
