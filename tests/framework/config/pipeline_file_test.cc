// Whole files, read the way components read them: one settings struct each, parsed in
// one place, unknown keys refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "config_test_util.h"

namespace recur::config::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kDataDir = fs::path(RECUR_TEST_DATA_DIR) / "config";

struct TokenizerSettings {
  std::string plugin;
  fs::path model;
};

struct EncoderSettings {
  std::string plugin;
  int hidden_size = 256;
  int layers = 1;
  double dropout = 0.0;
};

struct DecoderSettings {
  std::string plugin;
  std::int64_t hidden_size = 256;
  std::string attention;
  bool copy = false;
};

struct SearchSettings {
  int beam_size = 4;
  double length_penalty = 0.0;
  double max_length_ratio = 1.5;
};

struct CorpusSettings {
  fs::path source;
  fs::path target;
  double weight = 1.0;
};

TokenizerSettings parse_tokenizer(const Section& sec) {
  TokenizerSettings s;
  s.plugin = sec.get<std::string>("plugin");
  s.model = sec.path_value("model");
  sec.finish();
  return s;
}

EncoderSettings parse_encoder(const Section& sec) {
  EncoderSettings s;
  s.plugin = sec.get<std::string>("plugin");
  s.hidden_size = sec.positive<int>("hidden_size", s.hidden_size);
  s.layers = sec.positive<int>("layers", s.layers);
  s.dropout = sec.in_range("dropout", 0.0, 1.0, s.dropout);
  sec.finish();
  return s;
}

DecoderSettings parse_decoder(const Section& sec) {
  DecoderSettings s;
  s.plugin = sec.get<std::string>("plugin");
  s.hidden_size = sec.positive<std::int64_t>("hidden_size", s.hidden_size);
  s.attention = sec.one_of("attention", {"dot", "general", "mlp"}, "general");
  s.copy = sec.get<bool>("copy", s.copy);
  sec.finish();
  return s;
}

SearchSettings parse_search(const Section& sec) {
  SearchSettings s;
  s.beam_size = sec.positive<int>("beam_size", s.beam_size);
  s.length_penalty = sec.non_negative<double>("length_penalty", s.length_penalty);
  s.max_length_ratio = sec.positive<double>("max_length_ratio", s.max_length_ratio);
  sec.finish();
  return s;
}

std::vector<CorpusSettings> parse_corpora(const Section& data) {
  std::vector<CorpusSettings> out;
  for (const Section& sec : data.sections("corpora")) {
    CorpusSettings c;
    c.source = sec.path_value("source");
    c.target = sec.path_value("target");
    c.weight = sec.positive<double>("weight", c.weight);
    sec.finish();
    out.push_back(c);
  }
  return out;
}

TEST(ConfigPipelineFile, ReadsEverySetting) {
  Section root = load_file(kDataDir / "pipeline.yaml");
  EXPECT_EQ(root.get<std::string>("name"), "en-fr");
  TokenizerSettings src = parse_tokenizer(root.section("source_tokenizer"));
  TokenizerSettings tgt = parse_tokenizer(root.section("target_tokenizer"));
  EncoderSettings enc = parse_encoder(root.section("encoder"));
  DecoderSettings dec = parse_decoder(root.section("decoder"));
  SearchSettings search = parse_search(root.section("search"));
  Section data = root.section("data");
  std::vector<CorpusSettings> corpora = parse_corpora(data);
  EXPECT_EQ(data.list<std::string>("languages"), (std::vector<std::string>{"en", "fr"}));
  EXPECT_EQ(data.list<int>("vocab_sizes"), (std::vector<int>{8000, 8000}));
  data.finish();
  root.finish();

  EXPECT_EQ(src.plugin, "sentencepiece");
  EXPECT_EQ(src.model, kDataDir / "spm/en.model");
  EXPECT_EQ(tgt.model, fs::path("/opt/recur/models/fr.model"));
  EXPECT_EQ(enc.hidden_size, 256);
  EXPECT_EQ(enc.layers, 2);
  EXPECT_EQ(enc.dropout, 0.25);
  EXPECT_EQ(dec.plugin, "gru");
  EXPECT_EQ(dec.hidden_size, 512);
  EXPECT_EQ(dec.attention, "general");
  EXPECT_FALSE(dec.copy);
  EXPECT_EQ(search.beam_size, 5);
  EXPECT_EQ(search.length_penalty, 0.6);
  EXPECT_EQ(search.max_length_ratio, 2.0);
  ASSERT_EQ(corpora.size(), 2u);
  EXPECT_EQ(corpora[1].source, kDataDir / "data/extra.en");
  EXPECT_EQ(corpora[1].weight, 0.5);
}

// Runs `f` with the test data directory as the working directory, so file names stay
// relative the way a user types them.
template <class F>
void in_data_dir(F&& f) {
  fs::path saved = fs::current_path();
  fs::current_path(RECUR_TEST_DATA_DIR);
  try {
    f();
  } catch (...) {
    fs::current_path(saved);
    throw;
  }
  fs::current_path(saved);
}

TEST(ConfigPipelineFile, RelativeFileNameStaysRelativeInMessages) {
  in_data_dir([] {
    Section root = load_file("config/bad_hidden_size.yaml");
    EXPECT_EQ(config_error([&] { parse_decoder(root.section("decoder")); }),
              "config/bad_hidden_size.yaml:12:16: decoder.hidden_size: expected a positive integer, got \"big\"");
    EXPECT_EQ(root.base_dir(), fs::path("config"));
  });
}

TEST(ConfigPipelineFile, RelativePathsResolveAgainstARelativeFile) {
  in_data_dir([] {
    Section root = load_file("config/pipeline.yaml");
    EXPECT_EQ(root.section("source_tokenizer").path_value("model"), fs::path("config/spm/en.model"));
    EXPECT_TRUE(fs::equivalent(root.section("data").sections("corpora")[0].path_value("source").parent_path().parent_path(),
                               kDataDir));
  });
}

TEST(ConfigPipelineFile, UnknownKeyInAFile) {
  fs::path file = kDataDir / "unknown_key.yaml";
  Section root = load_file(file);
  std::string message = config_error([&] {
    Section dec = root.section("decoder");
    dec.get<std::string>("plugin");
    dec.positive<int>("hidden_size", 256);
    dec.one_of("attention", {"dot", "general", "mlp"});
    dec.positive<int>("layers");
    dec.finish();
  });
  EXPECT_EQ(message, file.string() +
                         ":3:3: decoder.hiden_size: unknown key (expected one of: attention, hidden_size, layers, plugin)");
}

TEST(ConfigPipelineFile, DuplicateSectionInAFile) {
  fs::path file = kDataDir / "duplicate_key.yaml";
  EXPECT_EQ(config_error([&] { load_file(file); }), file.string() + ":8:1: decoder: duplicate key 'decoder' (first at line 1)");
}

TEST(ConfigPipelineFile, BillionLaughsFile) {
  fs::path file = kDataDir / "billion_laughs.yaml";
  EXPECT_EQ(config_error([&] { load_file(file); }),
            file.string() + ":2:4: a: anchor '&a' is not allowed (recur YAML has no anchors or aliases)");
}

TEST(ConfigPipelineFile, MissingFileAndDirectory) {
  EXPECT_EQ(config_error([] { load_file("no/such/pipeline.yaml"); }),
            "no/such/pipeline.yaml: cannot read the file: no such file");
  EXPECT_EQ(config_error([] { load_file(kDataDir); }), kDataDir.string() + ": is a directory, not a YAML file");
}

}  // namespace
}  // namespace recur::config::testing
