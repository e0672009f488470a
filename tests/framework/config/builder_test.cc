// The YAML tree builder: what a file may not contain, and where the error points.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace recur::config::testing {
namespace {

TEST(ConfigBuilder, DuplicateKeyNamesTheFirstOccurrence) {
  EXPECT_EQ(load_error("decoder:\n  layers: 1\n  attention: dot\n  layers: 2\n"),
            "pipeline.yaml:4:3: decoder.layers: duplicate key 'layers' (first at line 2)");
  EXPECT_EQ(load_error("a: 1\nb: 2\na: 3\n"), "pipeline.yaml:3:1: a: duplicate key 'a' (first at line 1)");
  EXPECT_EQ(load_error("a: {x: 1, x: 2}\n"), "pipeline.yaml:1:11: a.x: duplicate key 'x' (first at line 1)");
}

TEST(ConfigBuilder, SameKeyInDifferentMappingsIsFine) {
  Section s = parse("a: {x: 1}\nb: {x: 2}\nl: [{x: 1}, {x: 2}]\n");
  EXPECT_EQ(s.section("a").get<int>("x"), 1);
  EXPECT_EQ(s.section("b").get<int>("x"), 2);
}

TEST(ConfigBuilder, AnchorsAndAliasesAreRefused) {
  EXPECT_EQ(load_error("base: &b {x: 1}\nother: *b\n"),
            "pipeline.yaml:1:7: base: anchor '&b' is not allowed (recur YAML has no anchors or aliases)");
  EXPECT_EQ(load_error("list:\n  - 1\n  - &x 2\n"),
            "pipeline.yaml:3:5: list[1]: anchor '&x' is not allowed (recur YAML has no anchors or aliases)");
  // An alias of an anchor that was never defined is yaml-cpp's own error.
  EXPECT_EQ(load_error("a: *nowhere\n"), "pipeline.yaml:1:4: the referenced anchor is not defined");
}

TEST(ConfigBuilder, ExplicitTagsAreRefused) {
  EXPECT_EQ(load_error("a: !!str 3\n"), "pipeline.yaml:1:4: a: tag 'tag:yaml.org,2002:str' is not allowed");
  EXPECT_EQ(load_error("a: !custom {x: 1}\n"), "pipeline.yaml:1:4: a: tag '!custom' is not allowed");
}

TEST(ConfigBuilder, KeysMustBePlainScalars) {
  EXPECT_EQ(load_error("? [a, b]\n: 1\n"), "pipeline.yaml:1:3: a mapping key must be a scalar, got a sequence");
  EXPECT_EQ(load_error("outer:\n  ? {a: 1}\n  : 1\n"),
            "pipeline.yaml:2:5: outer: a mapping key must be a scalar, got a mapping");
  EXPECT_EQ(load_error(": 1\n"), "pipeline.yaml:1:1: a mapping key must not be empty");
}

TEST(ConfigBuilder, RootMustBeOneMapping) {
  EXPECT_EQ(load_error("- a\n- b\n"), "pipeline.yaml:1:1: expected a mapping at the top of the file, got a sequence");
  EXPECT_EQ(load_error("just text\n"),
            "pipeline.yaml:1:1: expected a mapping at the top of the file, got \"just text\"");
  EXPECT_EQ(load_error(""), "pipeline.yaml:1:1: the file holds no YAML mapping (it is empty)");
  EXPECT_EQ(load_error("# only a comment\n"), "pipeline.yaml:1:1: the file holds no YAML mapping (it is empty)");
  EXPECT_EQ(load_error("---\n"), "pipeline.yaml:2:1: expected a mapping at the top of the file, got null");
  EXPECT_EQ(load_error("a: 1\n---\nb: 2\n"), "pipeline.yaml:2:1: only one YAML document is allowed");
}

TEST(ConfigBuilder, SyntaxErrorsCarryFileLineColumn) {
  EXPECT_EQ(load_error("a: [1, 2\n"), "pipeline.yaml:2:1: end of sequence flow not found");
  EXPECT_EQ(load_error("a: 1\n b: 2\n"), "pipeline.yaml:2:3: illegal map value");
  EXPECT_EQ(load_error("a: \"open"), "pipeline.yaml:1:9: illegal EOF in scalar");
}

TEST(ConfigBuilder, MarksAreOneBasedAndPointAtValues) {
  Section s = parse("# header\nencoder:\n  layers: 2\n  cells: [a, b]\n");
  EXPECT_EQ(s.mark().str(), "pipeline.yaml:2:1");
  Section enc = s.section("encoder");
  EXPECT_EQ(enc.mark().str(), "pipeline.yaml:2:1");
  EXPECT_EQ(config_error([&] { enc.fail("layers", "too many"); }), "pipeline.yaml:3:11: encoder.layers: too many");
  EXPECT_EQ(config_error([&] { enc.list<int>("cells"); }),
            "pipeline.yaml:4:11: encoder.cells[0]: expected an integer, got \"a\"");
}

TEST(ConfigBuilder, EmptyValueIsNullAtItsKey) {
  // yaml-cpp places an empty value at the next token; the message points at the key.
  EXPECT_EQ(config_error([] { parse("a:\nb: 1\n").get<int>("a"); }),
            "pipeline.yaml:1:1: a: expected an integer, got null");
  EXPECT_EQ(config_error([] { parse("a: ~\n").get<std::string>("a"); }),
            "pipeline.yaml:1:4: a: expected a string, got null");
}

TEST(ConfigBuilder, MessagesStayOnOneLine) {
  EXPECT_EQ(load_error("\"a\\nb\": 1\n\"a\\nb\": 2\n"),
            "pipeline.yaml:2:1: a\\x0ab: duplicate key 'a\\x0ab' (first at line 1)");
}

TEST(ConfigBuilder, MessagesQuoteAndShortenScalars) {
  std::string longtext(100, 'x');
  EXPECT_EQ(config_error([&] { parse("a: " + longtext + "\n").get<int>("a"); }),
            "pipeline.yaml:1:4: a: expected an integer, got \"" + std::string(60, 'x') + "...\"");
  EXPECT_EQ(config_error([] { parse("a: \"x\\\"y\\n\\u0001\"\n").get<int>("a"); }),
            "pipeline.yaml:1:4: a: expected an integer, got \"x\\\"y\\n\\x01\"");
}

}  // namespace
}  // namespace recur::config::testing
