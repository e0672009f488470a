// EditableDocument: the edits a model folder's pipeline.yaml needs (drop a key, set a
// scalar, rewrite settings that name files), emitted as YAML that loads back.
#include "recur/config/editable_document.h"

#include <gtest/gtest.h>

#include <fstream>

#include "config_test_util.h"
#include "framework/nn/temp_dir.h"

namespace recur::config {
namespace {

using recur::testing::TempDir;

constexpr const char* kPipeline =
    "task: translation  # a comment\n"
    "source:\n  tokenizer: {plugin: sentencepiece, model: spm.model}\n"
    "target:\n  tokenizer: {plugin: sentencepiece, model: missing.model}\n"
    "encoder: {plugin: bilstm, embeddings: data/vec.txt, hidden_size: 4}\n"
    "train:\n  data: {source: a.en, target: a.fr}\n";

class EditableDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "data");
    std::ofstream(dir_ / "spm.model") << "x";
    std::ofstream(dir_ / "data/vec.txt") << "x";
    std::ofstream(dir_ / "pipeline.yaml") << kPipeline;
  }
  TempDir dir_;
};

TEST_F(EditableDocumentTest, RemovesSetsAndEmitsWhatLoadsBack) {
  auto doc = EditableDocument::load_file(dir_ / "pipeline.yaml");
  EXPECT_TRUE(doc.has("train"));
  doc.remove("train");
  doc.remove("no_such_key");
  EXPECT_FALSE(doc.has("train"));
  doc.set("weights", "model.safetensors");
  doc.set("task", "summarization");
  const Section back = load_string(doc.emit(), "out.yaml", dir_.path());
  EXPECT_EQ(back.keys(), (std::vector<std::string>{"task", "source", "target", "encoder", "weights"}));
  EXPECT_EQ(back.get<std::string>("task"), "summarization");
  EXPECT_EQ(back.get<std::string>("weights"), "model.safetensors");
  EXPECT_EQ(back.section("encoder").get<std::int64_t>("hidden_size"), 4);
}

TEST_F(EditableDocumentTest, RewritesOnlySettingsThatNameExistingFiles) {
  auto doc = EditableDocument::load_file(dir_ / "pipeline.yaml");
  std::vector<std::string> seen;
  auto rename = [&](const std::string& key, const std::filesystem::path& file) -> std::optional<std::string> {
    seen.push_back(key + "=" + file.lexically_relative(dir_.path()).string());
    return "bundled-" + file.filename().string();
  };
  doc.rewrite_file_settings({"source", "tokenizer"}, rename);
  doc.rewrite_file_settings({"target", "tokenizer"}, rename);  // missing.model: not visited
  doc.rewrite_file_settings({"encoder"}, rename);
  doc.rewrite_file_settings({"decoder"}, rename);              // absent: nothing
  doc.rewrite_file_settings({"task", "x"}, rename);            // not a mapping: nothing
  EXPECT_EQ(seen, (std::vector<std::string>{"model=spm.model", "embeddings=data/vec.txt"}));
  const Section back = load_string(doc.emit(), "out.yaml", "/m");
  EXPECT_EQ(back.section("source").section("tokenizer").get<std::string>("model"), "bundled-spm.model");
  EXPECT_EQ(back.section("target").section("tokenizer").get<std::string>("model"), "missing.model");
  EXPECT_EQ(back.section("encoder").get<std::string>("embeddings"), "bundled-vec.txt");
  EXPECT_EQ(back.section("encoder").get<std::string>("plugin"), "bilstm");

  // Returning nothing keeps the value.
  doc.rewrite_file_settings({"encoder"}, [](const std::string&, const std::filesystem::path&) {
    return std::optional<std::string>();
  });
  EXPECT_EQ(load_string(doc.emit(), "out.yaml", "/m").section("encoder").get<std::string>("embeddings"),
            "bundled-vec.txt");
}

TEST_F(EditableDocumentTest, RemovesSettingsOfANestedMapping) {
  auto doc = EditableDocument::load_file(dir_ / "pipeline.yaml");
  EXPECT_TRUE(doc.has_setting({"encoder"}, "embeddings"));
  EXPECT_FALSE(doc.has_setting({"decoder"}, "embeddings"));
  EXPECT_TRUE(doc.has_setting({"source", "tokenizer"}, "model"));
  doc.remove_settings({"encoder"}, {"embeddings", "embeddings_vocab"});
  EXPECT_FALSE(doc.has_setting({"encoder"}, "embeddings"));
  doc.remove_settings({"decoder"}, {"embeddings"});  // absent: nothing happens
  const Section root = load_string(doc.emit(), "emitted.yaml", dir_.path());
  const Section enc = root.section("encoder");
  EXPECT_FALSE(enc.has("embeddings"));
  EXPECT_EQ(enc.get<int>("hidden_size"), 4);
  EXPECT_EQ(enc.get<std::string>("plugin"), "bilstm");
}

TEST_F(EditableDocumentTest, RefusesWhatLoadFileRefuses) {
  EXPECT_EQ(testing::config_error([] { EditableDocument::load_string("a: 1\na: 2\n", "p.yaml", "/m"); }),
            testing::config_error([] { load_string("a: 1\na: 2\n", "p.yaml", "/m"); }));
  EXPECT_NE(testing::config_error([] { EditableDocument::load_string("a: &x 1\nb: *x\n", "p.yaml", "/m"); })
                .find("p.yaml:1:4"),
            std::string::npos);
  EXPECT_NE(testing::config_error([&] { EditableDocument::load_file(dir_ / "none.yaml"); }).find("none.yaml"),
            std::string::npos);
}

}  // namespace
}  // namespace recur::config
