// Settings of the gru / lstm / rnn decoders as a pipeline YAML gives them, and the plugins
// loaded the way the pipeline loads them.
#include <gtest/gtest.h>

#include "attention_decoder.h"
#include "recur/config/section.h"
#include "recur/core/error.h"
#include "recur/plugin/host.h"

namespace recur::decoders {
namespace {

const DecoderSizes kSizes{20, 16, 16, 0};

config::Section section(const std::string& yaml) {
  return config::load_string(yaml, "pipeline.yaml", "/models/m").section("decoder");
}

AttentionDecoderSettings parse(const std::string& yaml) {
  return parse_attention_decoder_settings(section(yaml), ops::RnnCell::gru, kSizes);
}

std::string config_error(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(DecoderSettings, DefaultsAreTheSpecs) {
  AttentionDecoderSettings s = parse("decoder: {}\n");
  EXPECT_EQ(s.cell, ops::RnnCell::gru);
  EXPECT_EQ(s.embedding_size, 256);
  EXPECT_EQ(s.hidden_size, 256);
  EXPECT_EQ(s.layers, 1);
  EXPECT_EQ(s.attention, AttentionKind::general);
  EXPECT_EQ(s.attention_size, 256);
  EXPECT_FLOAT_EQ(s.dropout, 0.2f);
  EXPECT_FLOAT_EQ(s.weight_drop, 0.0f);
  EXPECT_FALSE(s.tie_embeddings);
  EXPECT_FALSE(s.copy);
  EXPECT_FALSE(s.coverage);
  EXPECT_FLOAT_EQ(s.coverage_loss, 1.0f);
}

TEST(DecoderSettings, ReadsCopyAndCoverage) {
  AttentionDecoderSettings s =
      parse("decoder:\n  copy: true\n  coverage: true\n  coverage_loss: 0.25\n");
  EXPECT_TRUE(s.copy);
  EXPECT_TRUE(s.coverage);
  EXPECT_FLOAT_EQ(s.coverage_loss, 0.25f);
  EXPECT_TRUE(parse("decoder:\n  copy: true\n").copy);
  // The weight of a loss that is not there is a mistake, not a silent no-op.
  std::string orphan = config_error("decoder:\n  copy: true\n  coverage_loss: 2\n");
  EXPECT_NE(orphan.find("pipeline.yaml:3"), std::string::npos) << orphan;
  EXPECT_NE(orphan.find("coverage: true"), std::string::npos) << orphan;
  EXPECT_NE(config_error("decoder:\n  coverage: true\n  coverage_loss: -1\n").find("coverage_loss"),
            std::string::npos);
}

TEST(DecoderSettings, ReadsEveryKey) {
  AttentionDecoderSettings s = parse(
      "decoder:\n  embedding_size: 16\n  hidden_size: 16\n  layers: 2\n  attention: mlp\n"
      "  attention_size: 8\n  dropout: 0.5\n  weight_drop: 0.25\n  tie_embeddings: true\n"
      "  seed: 3\n");
  EXPECT_EQ(s.embedding_size, 16);
  EXPECT_EQ(s.hidden_size, 16);
  EXPECT_EQ(s.layers, 2);
  EXPECT_EQ(s.attention, AttentionKind::mlp);
  EXPECT_EQ(s.attention_size, 8);
  EXPECT_FLOAT_EQ(s.dropout, 0.5f);
  EXPECT_FLOAT_EQ(s.weight_drop, 0.25f);
  EXPECT_TRUE(s.tie_embeddings);
  EXPECT_EQ(s.seed, 3u);
  // attention_size follows hidden_size unless set.
  EXPECT_EQ(parse("decoder:\n  hidden_size: 16\n").attention_size, 16);
  EXPECT_EQ(parse("decoder:\n  hidden_size: 16\n  attention: dot\n").attention, AttentionKind::dot);
}

TEST(DecoderSettings, ErrorsNameFileLineAndKey) {
  EXPECT_NE(config_error("decoder:\n  attention: luong\n").find("pipeline.yaml:2"), std::string::npos);
  EXPECT_NE(config_error("decoder:\n  attention: luong\n").find("general"), std::string::npos);
  EXPECT_NE(config_error("decoder:\n  layer: 2\n").find("layer"), std::string::npos);
  EXPECT_NE(config_error("decoder:\n  dropout: 1.0\n").find("below 1"), std::string::npos);
  // dot attention: hidden size must equal the encoder's memory size (16).
  std::string dot = config_error("decoder:\n  hidden_size: 8\n  attention: dot\n");
  EXPECT_NE(dot.find("pipeline.yaml:3"), std::string::npos) << dot;
  EXPECT_NE(dot.find("memory size (16)"), std::string::npos) << dot;
  std::string tie = config_error("decoder:\n  embedding_size: 8\n  tie_embeddings: true\n");
  EXPECT_NE(tie.find("pipeline.yaml:3"), std::string::npos) << tie;
}

// The plugin module registers the three names; the factories read the BuildContext.
TEST(DecoderPlugin, RegistersGruLstmAndRnn) {
  PluginHost host;
  host.load_file(std::filesystem::path(RECUR_BUILD_PLUGIN_DIR) / "librecur_decoder_attention.so");
  EXPECT_EQ(host.registry().names("decoder"), (std::vector<std::string>{"gru", "lstm", "rnn"}));
  BuildContext ctx;
  ctx.registry = &host.registry();
  ctx.target_vocab_size = 20;
  ctx.memory_size = 16;
  ctx.summary_size = 12;
  ctx.pad_id = 0;
  auto yaml = "decoder:\n  embedding_size: 4\n  hidden_size: 8\n";
  auto gru = host.registry().create<Decoder>("gru", section(yaml), ctx);
  auto lstm = host.registry().create<Decoder>("lstm", section(yaml), ctx);
  auto rnn = host.registry().create<Decoder>("rnn", section(yaml), ctx);
  EXPECT_EQ(gru->vocab_size(), 20);
  auto shape_of = [](const Decoder& d, const std::string& name) {
    for (const auto& [n, t] : d.named_parameters()) {
      if (n == name) return t.shape();
    }
    return Shape{};
  };
  EXPECT_EQ(shape_of(*gru, "rnn.l0.w_hh"), (Shape{8, 24}));
  EXPECT_EQ(shape_of(*lstm, "rnn.l0.w_hh"), (Shape{8, 32}));
  EXPECT_EQ(shape_of(*rnn, "rnn.l0.w_hh"), (Shape{8, 8}));
  EXPECT_EQ(shape_of(*rnn, "rnn.l0.bias"), (Shape{8}));
  EXPECT_EQ(shape_of(*lstm, "bridge.weight"), (Shape{8, 12}));
  EXPECT_EQ(shape_of(*lstm, "attention.w_key"), (Shape{8, 16}));

  // Without an encoder built first there are no memory sizes.
  ctx.memory_size = 0;
  EXPECT_THROW(host.registry().create<Decoder>("gru", section(yaml), ctx), ConfigError);
}

TEST(EncoderPlugin, RegistersBiLstm) {
  PluginHost host;
  host.load_file(std::filesystem::path(RECUR_BUILD_PLUGIN_DIR) / "librecur_encoder_bilstm.so");
  BuildContext ctx;
  ctx.source_vocab_size = 30;
  auto enc = host.registry().create<Encoder>(
      "bilstm", config::load_string("encoder:\n  hidden_size: 5\n", "p.yaml", "/m").section("encoder"), ctx);
  EXPECT_EQ(enc->memory_size(), 10);
  EXPECT_EQ(enc->summary_size(), 10);
}

}  // namespace
}  // namespace recur::decoders
